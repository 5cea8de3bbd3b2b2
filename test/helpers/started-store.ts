import type { CatalogSummary, RunRecord } from '../../preload/api';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { FakeApi, summary } from '../renderer/fake-api';

/** The catalogs the wizard tests offer: the spec-z catalog 'VVDS' (sz-1) and the DP1 'dp1' (ph-1). */
export const wizardCatalogs = (): CatalogSummary[] => [
  summary('sz-1', 'specz', 'VVDS'),
  summary('ph-1', 'photometric', 'dp1', '/cats/dp1'),
];

/** A FakeApi holding `catalogs` (and `runs`), and a store started on it as the app starts it. */
export async function startedStore(
  catalogs: CatalogSummary[],
  runs: RunRecord[] = [],
): Promise<{ api: FakeApi; store: TsmStore }> {
  const api = new FakeApi();
  api.catalogs = catalogs;
  api.runs = runs;
  const store = createTsmStore(api);
  await store.getState().init();
  return { api, store };
}
