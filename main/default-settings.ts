import type { Settings } from '../preload/api';

/** Settings of a first launch: everything inside `dataDir`, worker threads chosen per run. */
export function defaultSettings(dataDir: string): Settings {
  return {
    dataDir,
    dustMapDir: '',
    workers: null,
    cacheSizeMb: 0,
    stallSeconds: null,
  };
}
