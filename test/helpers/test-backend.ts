import { createBackend } from '../../main/backend';
import { createEngine } from '../../main/engine';
import type { TsmBackend } from '../../main/tsm-service';

/**
 * The app's backend (main/backend.ts) as the web bridge builds it, with the real engine: settings
 * and recent files in `configDir`, a first launch's data folder `dataDir`, one worker, the default
 * cache size and stall timeout, and a host whose folder dialogs pick nothing.
 */
export function createTestBackend(configDir: string, dataDir: string): TsmBackend {
  const backend: TsmBackend = createBackend({
    configDir,
    defaults: { dataDir, dustMapDir: '', workers: 1, cacheSizeMb: 0, stallSeconds: null },
    host: {
      info: { name: 'TSM', version: '9', transport: 'web' },
      pickPath: async () => null,
      openFolder: async () => {},
    },
    engine: createEngine(() => backend.settings.get()),
  });
  return backend;
}
