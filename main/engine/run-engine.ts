import { runTrainingSet } from '../../compute/pipeline/run';
import type { RunEngine } from '../run-manager';

/**
 * The remote-catalog disk cache limit of compute/hats (read from TSM_CACHE_MAX_BYTES when a
 * session opens; worker threads inherit it). 0 keeps the engine's default.
 */
export function applyCacheSize(cacheSizeMb: number): void {
  if (cacheSizeMb > 0)
    process.env.TSM_CACHE_MAX_BYTES = String(Math.round(cacheSizeMb * 1_000_000));
}

/**
 * Runs a project with compute/pipeline/run.ts and maps its counts to the app's: matched and
 * unmatched are spec-z objects; duplicates resolved = rows dropped by the unique-galaxy pass plus
 * by the one-to-one rule.
 */
export const runWithEngine: RunEngine = async (project, options) => {
  applyCacheSize(options.cacheSizeMb);
  const result = await runTrainingSet(project, {
    signal: options.signal,
    onProgress: options.onProgress,
    workers: options.workers,
    dataDir: options.dataDir,
    baseDir: project.output.folder,
    dustMapFolder: options.dustMapDir || undefined,
  });
  const c = result.counts;
  return {
    outputPath: result.outputPath,
    counts: {
      rowsIn: c.speczIn,
      matched: c.matchedSpecz,
      unmatched: c.unmatchedSpecz,
      duplicatesResolved: (result.uniqueGalaxies?.dropped ?? 0) + (result.oneToOneDropped ?? 0),
      train: c.train,
      test: c.test,
      rowsOut: c.written,
    },
  };
};
