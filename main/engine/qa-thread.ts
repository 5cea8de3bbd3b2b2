import { Worker } from 'node:worker_threads';
import { CancelledError, UserError } from '../../compute/errors';
import { bundlePath } from '../../compute/pipeline/worker-path';
import type { QaData, RunRecord } from '../../preload/api';

/** What the QA worker thread is given (qa-worker.ts). */
export interface QaWorkerInput {
  run: RunRecord;
  dataDir: string;
}

/** What the QA worker thread posts: the part read (a few times), then the data or the error. */
export type QaWorkerMessage =
  | { progress: number }
  | { qa: QaData }
  | { error: { name: string; message: string; user: boolean } };

/** Said by a QA computation stopped before its end (the page left, another run opened). */
export const QA_CANCELLED = 'The plots were not made: cancelled.';

/** Path of the bundled QA worker `dist/qa-worker.js` (bundlePath). */
export function qaWorkerPath(): string {
  return bundlePath('qa-worker.js', import.meta.url, 'main/engine', 'QA worker bundle');
}

/** QA worker threads started and not yet ended (tests: a cancelled computation frees its thread). */
const running = new Set<Worker>();

/** How many QA worker threads are running now. */
export function runningQaWorkers(): number {
  return running.size;
}

/**
 * Computes a run's QA data (run-qa.ts computeRunQa) in a worker thread of its own, so that main's
 * thread answers the table's pages, catalog checks and a run's progress meanwhile. Not the run's
 * piscina pool: there is none between runs (each run makes and destroys its own), a run going on
 * keeps its threads busy, and the pool's bundle, loaded by every thread of every run, would carry
 * the output readers for nothing. `signal` stops it: the thread is terminated (whatever it is
 * reading) before the promise rejects with a CancelledError.
 */
export function computeRunQaInWorker(
  run: RunRecord,
  dataDir: string,
  tell: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<QaData> {
  if (signal?.aborted) return Promise.reject(new CancelledError(QA_CANCELLED));
  const input: QaWorkerInput = { run, dataDir };
  const worker = new Worker(qaWorkerPath(), { workerData: input });
  running.add(worker);
  worker.once('exit', () => running.delete(worker));
  return new Promise<QaData>((resolvePromise, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // settled once the thread is gone: a cancelled computation holds nothing afterwards
      void worker.terminate().finally(settle);
    };
    const onAbort = () => finish(() => reject(new CancelledError(QA_CANCELLED)));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: QaWorkerMessage) => {
      if (settled) return;
      if ('progress' in message) tell(message.progress);
      else if ('qa' in message) finish(() => resolvePromise(message.qa));
      else {
        const { name, message: text, user } = message.error;
        const err = user ? new UserError(text) : new Error(text);
        if (!user) err.name = name;
        finish(() => reject(err));
      }
    });
    // the thread itself failed (out of memory, a broken bundle): not the output's fault
    const stopped = (why: string) =>
      new UserError(
        `The plots of ${run.outputPath} could not be made: their worker thread ${why}. Open the results again; if it stops again, close other programs first (a large output needs memory).`,
      );
    worker.on('error', (err) => finish(() => reject(stopped(`failed (${err.message})`))));
    worker.on('exit', (code) => finish(() => reject(stopped(`stopped (exit code ${code})`))));
  });
}
