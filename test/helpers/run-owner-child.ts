/**
 * A process of its own running a training set through RunManager (bundled by
 * test/main/run-manager.test.ts), as the app or a web bridge would: `node child.mjs <dataDir>`
 * starts a run whose engine reports one pixel of two and then a log line ("line N") every 300 ms,
 * prints the run's id and runs until it is cancelled (as the real engine: it stops on its signal,
 * the process then prints how the run ended and exits) or killed, keeping the run's record.json
 * "running" as a process that runs a long run does.
 */
import { cancellationOf } from '../../compute/errors';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunProgress } from '../../compute/pipeline/progress';
import { RunManager, type RunEngine } from '../../main/run-manager';

const dataDir = process.argv[2]!;
const settings = async () => ({
  dataDir,
  dustMapDir: '',
  workers: 1,
  cacheSizeMb: 0,
  stallSeconds: null,
});
const engine: RunEngine = async (_project, options) => {
  let n = 0;
  const step = (): void => {
    n++;
    const progress: RunProgress = {
      stage: 'crossmatch',
      pixelsDone: 1,
      pixelsTotal: 2,
      rowsMatched: 5,
      bytesRead: 100,
      elapsedMs: n,
      message: `line ${n}`,
    };
    options.onProgress(progress);
  };
  step();
  return new Promise((_done, fail) => {
    const timer = setInterval(step, 300);
    options.signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        fail(cancellationOf(options.signal));
      },
      { once: true },
    );
  });
};
const runs = new RunManager(settings, engine, {
  runProgress: () => undefined,
  runFinished: (record) => process.stdout.write(`${record.status}: ${record.error ?? ''}\n`),
});
const project = defaultProject();
const run = await runs.start({
  ...project,
  name: 'Elsewhere',
  specz: { ...project.specz, catalogId: 'sz-1' },
  photometry: { ...project.photometry, location: '/cats/dp1' },
});
process.stdout.write(`${run.id}\n`);
