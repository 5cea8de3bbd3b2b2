import { availableParallelism } from 'node:os';
import type { Settings } from '../preload/api';

/** Settings of a first launch: everything inside `dataDir`, one worker per core but one. */
export function defaultSettings(dataDir: string): Settings {
  return {
    dataDir,
    dustMapDir: '',
    workers: Math.max(1, availableParallelism() - 1),
    cacheSizeMb: 1024,
  };
}
