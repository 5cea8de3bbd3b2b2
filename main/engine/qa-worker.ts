// The QA worker thread's entry (bundled to dist/qa-worker.js): computes one run's QA data and
// posts the part read as it goes, then the data or the error (qa-thread.ts starts it).
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../compute/errors';
import { computeRunQa } from './run-qa';
import type { QaWorkerInput, QaWorkerMessage } from './qa-thread';

const port = parentPort!;
const post = (message: QaWorkerMessage) => port.postMessage(message);
const { run, dataDir } = workerData as QaWorkerInput;

computeRunQa(run, dataDir, (fraction) => post({ progress: fraction })).then(
  (qa) => post({ qa }),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ error: { name: e.name, message: e.message, user: err instanceof UserError } });
  },
);
