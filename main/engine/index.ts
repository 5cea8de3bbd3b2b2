import { UserError } from '../../compute/errors';
import type { CatalogEngine } from '../catalog-registry';
import type { RunEngine } from '../run-manager';
import type { ResultsEngine } from '../tsm-service';
import { describeHats } from './describe-hats';
import { createResultsEngine } from './results';
import { runWithEngine } from './run-engine';

export interface EngineBinding {
  catalogs: CatalogEngine;
  run: RunEngine;
  results: ResultsEngine;
}

const missing = (what: string) => () =>
  Promise.reject(new UserError(`${what} is not available in this build yet.`));

/** Binds the services' engine interfaces to compute/ (no copy of engine logic lives in main/). */
export function createEngine(
  settings: () => Promise<{ dustMapDir: string; dataDir: string }>,
): EngineBinding {
  return {
    catalogs: {
      previewSpecz: missing('Reading spec-z files'),
      validateSpecz: missing('Validating spec-z files'),
      registerSpecz: missing('Registering spec-z catalogs'),
      describeHats: async (location) =>
        describeHats(location, { dustMapDir: (await settings()).dustMapDir, withProfile: true }),
    },
    run: runWithEngine,
    results: createResultsEngine(async () => (await settings()).dataDir),
  };
}
