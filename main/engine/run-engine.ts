import type { HttpOptionsInput } from '../../compute/hats/http-options';
import { runTrainingSet } from '../../compute/pipeline/run';
import { appCounts } from '../../compute/pipeline/app-record';
import type { RunEngine } from '../run-manager';

/**
 * The remote-catalog settings of a run from the app's settings: the disk cache limit in bytes
 * (1 MB = 10^6 bytes, as the Settings page says MB), and the stall timeout in ms. 0 MB and a null
 * stall timeout keep the engine's defaults (2 GiB, or TSM_CACHE_MAX_BYTES; 30 s, or
 * TSM_STALL_SECONDS; compute/hats/http-options.ts). Passed to the engine as `remote`, which
 * hands it to every worker thread with its tasks. Always an object, so that a run also resets
 * the main thread's default remote session (compute/hats/store.ts configureRemoteDefaults) left
 * by an earlier run with other settings in this long-lived process.
 */
export function remoteSettings(
  cacheSizeMb: number,
  stallSeconds: number | null = null,
): HttpOptionsInput {
  const remote: HttpOptionsInput = {};
  if (cacheSizeMb > 0) remote.cacheMaxBytes = Math.round(cacheSizeMb * 1_000_000);
  // as tsm run --stall-seconds: at least 1 ms
  if (stallSeconds !== null && stallSeconds > 0) {
    remote.timeoutMs = Math.max(1, Math.round(stallSeconds * 1000));
  }
  return remote;
}

/**
 * Runs a project with compute/pipeline/run.ts and maps its counts to the app's (appCounts, as
 * `tsm run --data-dir` records its runs). The engine's warnings (e.g. no cross match at all, a worker retried)
 * are passed on as they are.
 */
export const runWithEngine: RunEngine = async (project, options) => {
  const result = await runTrainingSet(project, {
    signal: options.signal,
    onProgress: options.onProgress,
    workers: options.workers ?? undefined,
    dataDir: options.dataDir,
    baseDir: project.output.folder,
    dustMapFolder: options.dustMapDir || undefined,
    remote: remoteSettings(options.cacheSizeMb, options.stallSeconds),
  });
  return {
    outputPath: result.outputPath,
    counts: appCounts(result),
    warnings: [...result.warnings],
    seed: result.seed,
    speczColumns: {
      ra: result.speczColumns.ra,
      dec: result.speczColumns.dec,
      z: result.speczColumns.z,
    },
  };
};
