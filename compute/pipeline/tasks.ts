/**
 * The worker task registry: every kind of task the worker pool runs, by `task.kind`. Add one line
 * per kind (its handler runs inside a worker thread; return an ArrayBuffer, e.g. Arrow IPC, to
 * have it moved to the caller without a copy, or any structured-cloneable value).
 */
import { runCrossmatchTask } from '../crossmatch/worker-task';
import { runTrainingSetWorkerTask } from './trainingset-task';
import { UserError } from '../errors';
import { dieNow, type FaultHow } from './worker-fault';

/** A task sent to the pool: `kind` picks the handler, the rest is the handler's input. */
export interface PoolTask {
  kind: string;
  /** 2 when the pool submits the task again because its first worker thread died (pool.ts). */
  attempt?: number;
}

export type TaskHandler = (task: never) => Promise<unknown>;

export const TASK_HANDLERS: Record<string, TaskHandler> = {
  crossmatch: runCrossmatchTask,
  trainingset: runTrainingSetWorkerTask,
  selftest: runSelftestTask,
};

/** A pool self-test: busy-waits `spinMs` (CPU-bound, like a kernel), then answers. */
export interface SelftestTask extends PoolTask {
  kind: 'selftest';
  spinMs: number;
  /** Returned as is; with `bytes`, an ArrayBuffer of that many bytes valued i % 251 is returned. */
  value?: unknown;
  bytes?: number;
  /** Throw a UserError with this message. */
  fail?: string;
  /** Waits this long without blocking the thread, then answers when it started and ended. */
  sleepMs?: number;
  /** Pool tests: stop the worker thread this way (worker-fault.ts) on the first attempt or always. */
  die?: { how: FaultHow; when: 'first' | 'always' };
}

async function runSelftestTask(task: SelftestTask): Promise<unknown> {
  if (task.die && (task.die.when === 'always' || (task.attempt ?? 1) === 1)) {
    await dieNow(task.die.how);
  }
  if (task.sleepMs !== undefined) {
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, task.sleepMs));
    return { started, ended: Date.now() };
  }
  const end = Date.now() + task.spinMs;
  while (Date.now() < end) {
    // Busy on purpose: cancellation must stop a worker that never yields.
  }
  if (task.fail) throw new UserError(task.fail);
  if (task.bytes !== undefined) {
    const b = new Uint8Array(task.bytes);
    for (let i = 0; i < b.length; i++) b[i] = i % 251;
    return b.buffer;
  }
  return task.value;
}
