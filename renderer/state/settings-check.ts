import { MAX_WORKERS } from '../../compute/pipeline/worker-limit';
import { MAX_CACHE_MB, MAX_STALL_SECONDS, type Settings } from '../../preload/api';

/** A settings patch as the form gives it: a number field may hold text that is no number. */
export type SettingsInput = Omit<Partial<Settings>, 'workers' | 'cacheSizeMb' | 'stallSeconds'> & {
  workers?: number | string | null;
  cacheSizeMb?: number | string;
  stallSeconds?: number | string | null;
};

/**
 * What is wrong with the numbers of a settings form, in the user's words, or null. The main
 * process checks them again (and the folders: settings-store.ts).
 */
export function settingsProblem(patch: SettingsInput): string | null {
  const { workers, cacheSizeMb, stallSeconds, dataDir } = patch;
  if (dataDir !== undefined && dataDir.trim() === '') return 'The data folder must not be empty.';
  if (
    workers !== undefined &&
    workers !== null &&
    !(
      typeof workers === 'number' &&
      Number.isInteger(workers) &&
      workers >= 1 &&
      workers <= MAX_WORKERS
    )
  ) {
    return `Worker threads must be a whole number from 1 to ${MAX_WORKERS}, or empty to choose per run (got ${workers}).`;
  }
  if (
    cacheSizeMb !== undefined &&
    !(
      typeof cacheSizeMb === 'number' &&
      Number.isInteger(cacheSizeMb) &&
      cacheSizeMb >= 0 &&
      cacheSizeMb <= MAX_CACHE_MB
    )
  ) {
    return `The cache size must be a whole number of MB from 0 to ${MAX_CACHE_MB} (0: the default) (got ${cacheSizeMb}).`;
  }
  if (
    stallSeconds !== undefined &&
    stallSeconds !== null &&
    !(
      typeof stallSeconds === 'number' &&
      Number.isFinite(stallSeconds) &&
      stallSeconds > 0 &&
      stallSeconds <= MAX_STALL_SECONDS
    )
  ) {
    return `The stall timeout for remote catalogs must be a number of seconds above 0, at most ${MAX_STALL_SECONDS}, or empty for the default (got ${stallSeconds}).`;
  }
  return null;
}
