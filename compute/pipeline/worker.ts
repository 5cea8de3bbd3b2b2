// The single worker entry (bundled to dist/worker.js): runs one task of the registry per call.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { UserError } from '../errors';
import { TASK_HANDLERS, type PoolTask } from './tasks';
import { WithTransfer } from './transfer';
import { injectTaskDelay, injectWorkerFault } from './worker-fault';

/** What a worker sends back: the handler's value, or its error as plain data (name kept). */
export type WorkerReply =
  | { ok: true; value: unknown }
  | { ok: false; name: string; message: string; stack?: string; user: boolean };

/** The end of the task this thread runs now (or last ran); never rejects (runOne answers errors). */
let current: Promise<void> = Promise.resolve();

/**
 * Runs the thread's tasks one at a time, in the order they came. piscina hands a thread its next
 * task while one runs (pool.ts TASKS_PER_THREAD), so the thread starts it as soon as this one ends
 * instead of waiting until the main thread, busy encoding the output, gets round to sending it.
 */
export default function runTask(task: PoolTask): Promise<unknown> {
  const reply = current.then(() => runOne(task));
  current = reply.then(() => undefined); // not the reply itself, which may be large
  return reply;
}

async function runOne(task: PoolTask): Promise<unknown> {
  try {
    const handler = TASK_HANDLERS[task?.kind];
    if (!handler) throw new Error(`worker: unknown task kind '${String(task?.kind)}'`);
    await injectWorkerFault(task); // tests only (TSM_TEST_WORKER_FAULT)
    await injectTaskDelay(); // tests only (TSM_TEST_TASK_DELAY_MS)
    const value = await handler(task as never);
    // ArrayBuffers (Arrow IPC) are moved, not copied (js-libs.md §3: move() takes the buffer
    // itself, not an object holding it).
    if (value instanceof ArrayBuffer) return move(value);
    if (value instanceof WithTransfer) {
      const reply: WorkerReply = { ok: true, value: value.value };
      return move({ [transferableSymbol]: value.buffers, [valueSymbol]: reply });
    }
    return { ok: true, value } satisfies WorkerReply;
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return {
      ok: false,
      name: e.name,
      message: e.message,
      stack: e.stack,
      user: err instanceof UserError,
    } satisfies WorkerReply;
  }
}
