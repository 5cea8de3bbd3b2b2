/**
 * A process of its own running a training set through RunManager (bundled by
 * test/main/run-manager.test.ts), as the app or a web bridge would: `node child.mjs <dataDir>`
 * starts a run whose engine reports one pixel of two, prints the run's id and then runs until it
 * is killed, keeping the run's record.json "running" as a process that runs a long run does.
 */
import { defaultProject } from '../../compute/pipeline/project';
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
  options.onProgress({
    stage: 'crossmatch',
    pixelsDone: 1,
    pixelsTotal: 2,
    rowsMatched: 5,
    bytesRead: 100,
    elapsedMs: 1,
  });
  return new Promise(() => setInterval(() => undefined, 1000));
};
const runs = new RunManager(settings, engine, {
  runProgress: () => undefined,
  runFinished: () => undefined,
});
const project = defaultProject();
const run = await runs.start({
  ...project,
  name: 'Elsewhere',
  specz: { ...project.specz, catalogId: 'sz-1' },
  photometry: { ...project.photometry, location: '/cats/dp1' },
});
process.stdout.write(`${run.id}\n`);
