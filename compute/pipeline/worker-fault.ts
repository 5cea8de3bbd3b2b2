/**
 * TEST ONLY: makes a worker thread die on a chosen pixel, so the tests can check that a run whose
 * worker dies retries that pixel or fails cleanly (pool.ts RetryOptions). Read from the worker
 * thread's environment, never from a project file or an IPC payload:
 *
 *   TSM_TEST_WORKER_FAULT=<how>:<order>/<pixel>:<when>
 *
 * `how` is `exit` (process.exit(70) in the thread), `throw` (an uncaught error) or `oom` (grows
 * the heap until the thread's memory limit stops it; only with a pool `resourceLimits`); the
 * pixel is the task's aligned pixel (`spec.aligned`, trainingset and crossmatch tasks); `when` is
 * `first` (the first attempt only, so the retry succeeds) or `always`.
 */
import type { PoolTask } from './tasks';

export const WORKER_FAULT_ENV = 'TSM_TEST_WORKER_FAULT';

export type FaultHow = 'exit' | 'throw' | 'oom';

interface Fault {
  how: FaultHow;
  order: number;
  pixel: number;
  always: boolean;
}

/** Parses the variable's value; null when unset, and an Error when malformed. */
export function parseWorkerFault(value: string | undefined): Fault | null {
  if (!value) return null;
  const m = /^(exit|throw|oom):(\d+)\/(\d+):(first|always)$/.exec(value.trim());
  if (!m) {
    throw new Error(
      `${WORKER_FAULT_ENV}='${value}': expected <exit|throw|oom>:<order>/<pixel>:<first|always>`,
    );
  }
  return {
    how: m[1] as FaultHow,
    order: Number(m[2]),
    pixel: Number(m[3]),
    always: m[4] === 'always',
  };
}

/** Stops this worker thread the way `how` says; never returns. */
export async function dieNow(how: FaultHow): Promise<never> {
  if (how === 'exit') process.exit(70);
  if (how === 'throw') {
    setImmediate(() => {
      throw new Error('injected uncaught error in a worker thread');
    });
  } else {
    const hoard: number[][] = [];
    for (;;) {
      hoard.push(new Array<number>(1 << 16).fill(hoard.length));
      if (hoard.length % 64 === 0) await new Promise((r) => setImmediate(r));
    }
  }
  return new Promise<never>(() => undefined);
}

/** In the worker, before a task runs: dies when the test variable names this task's pixel. */
export async function injectWorkerFault(task: PoolTask): Promise<void> {
  const configured = parseWorkerFault(process.env[WORKER_FAULT_ENV]);
  if (!configured) return;
  const aligned = (task as { spec?: { aligned?: { order: number; pixel: number } } }).spec?.aligned;
  if (!aligned || aligned.order !== configured.order || aligned.pixel !== configured.pixel) return;
  if (!configured.always && (task.attempt ?? 1) > 1) return;
  await dieNow(configured.how);
}

/**
 * TEST ONLY: `TSM_TEST_TASK_DELAY_MS=<ms>` makes every task wait that long in its worker thread
 * before it runs, so an end-to-end test can act on a run in progress (cancel it) however fast
 * the machine finishes it. Read from the worker thread's environment only.
 */
export const TASK_DELAY_ENV = 'TSM_TEST_TASK_DELAY_MS';

/** Parses the variable's value: 0 when unset, an Error when not a whole number of 0-60000 ms. */
export function parseTaskDelay(value: string | undefined): number {
  if (!value) return 0;
  const ms = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || ms > 60_000) {
    throw new Error(`${TASK_DELAY_ENV}='${value}': expected whole milliseconds, 0 to 60000`);
  }
  return ms;
}

/** In the worker, before a task runs: waits when the test variable asks for it. */
export async function injectTaskDelay(): Promise<void> {
  const ms = parseTaskDelay(process.env[TASK_DELAY_ENV]);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
