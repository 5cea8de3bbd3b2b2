/**
 * The worker task registry: every kind of task the worker pool runs, by `task.kind`. Add one line
 * per kind (its handler runs inside a worker thread; return an ArrayBuffer, e.g. Arrow IPC, to
 * have it moved to the caller without a copy, or any structured-cloneable value).
 */
import { runCrossmatchTask } from '../crossmatch/worker-task';

/** A task sent to the pool: `kind` picks the handler, the rest is the handler's input. */
export interface PoolTask {
  kind: string;
}

export type TaskHandler = (task: never) => Promise<unknown>;

export const TASK_HANDLERS: Record<string, TaskHandler> = {
  crossmatch: runCrossmatchTask,
};
