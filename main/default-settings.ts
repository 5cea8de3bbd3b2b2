import { defaultWorkers } from '../compute/pipeline/pool';
import type { Settings } from '../preload/api';

/** Settings of a first launch: everything inside `dataDir`, one worker per core but one. */
export function defaultSettings(dataDir: string): Settings {
  return {
    dataDir,
    dustMapDir: '',
    workers: defaultWorkers(),
    cacheSizeMb: 1024,
  };
}
