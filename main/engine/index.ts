import { join } from 'node:path';
import type { CatalogEngine } from '../catalog-registry';
import type { RunEngine } from '../run-manager';
import type { ResultsEngine } from '../tsm-service';
import { genericProfile } from '../../compute/photometry/detect-profile';
import { describeHats, profileInfo } from './describe-hats';
import { createResultsEngine } from './results';
import { remoteSettings, runWithEngine } from './run-engine';
import { createSpeczEngine } from './specz';

export interface EngineBinding {
  catalogs: CatalogEngine;
  run: RunEngine;
  results: ResultsEngine;
}

/** Binds the services' engine interfaces to compute/ (no copy of engine logic lives in main/). */
export function createEngine(
  settings: () => Promise<{
    dustMapDir: string;
    dataDir: string;
    cacheSizeMb?: number;
    stallSeconds?: number | null;
  }>,
): EngineBinding {
  return {
    catalogs: {
      ...createSpeczEngine(async () => {
        const { cacheSizeMb, stallSeconds } = await settings();
        return remoteSettings(cacheSizeMb ?? 0, stallSeconds ?? null);
      }),
      describeHats: async (location, signal) => {
        const { dustMapDir, dataDir, cacheSizeMb, stallSeconds } = await settings();
        // The same folder runs use: the setting, else <data folder>/dustmaps (run-plan.ts).
        const folder = dustMapDir || join(dataDir, 'dustmaps');
        return describeHats(location, {
          dustMapDir: folder,
          withProfile: true,
          remote: remoteSettings(cacheSizeMb ?? 0, stallSeconds ?? null),
          signal,
        });
      },
      genericProfile: async (catalog, choices) => {
        const { dustMapDir, dataDir } = await settings();
        const profile = genericProfile(
          {
            columns: catalog.columns.map((c) => c.name),
            columnTypes: Object.fromEntries(catalog.columns.map((c) => [c.name, c.type])),
            location: catalog.location,
          },
          choices,
        );
        return profileInfo(profile, dustMapDir || join(dataDir, 'dustmaps'));
      },
    },
    run: runWithEngine,
    results: createResultsEngine(async () => (await settings()).dataDir),
  };
}
