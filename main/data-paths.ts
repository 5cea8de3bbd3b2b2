import { join } from 'node:path';

/** Where the app keeps its files inside the data folder. */
export function dataPaths(dataDir: string) {
  return {
    catalogs: join(dataDir, 'catalogs'),
    catalogIndex: join(dataDir, 'catalogs', 'index.json'),
    runs: join(dataDir, 'runs'),
    uploads: join(dataDir, 'uploads'),
    draft: join(dataDir, 'draft.tsm.json'),
    projects: join(dataDir, 'projects'),
  };
}

export { safeFileName } from '../compute/pipeline/sanitize-name';

export { newId } from '../compute/pipeline/app-record';
