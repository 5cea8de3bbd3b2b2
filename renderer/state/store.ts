import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TsmApi } from '../../preload/api';
import { createAppSlice } from './app-slice';
import { createCatalogsSlice } from './catalogs-slice';
import { createExportSlice } from './export-slice';
import { createGenericSlice } from './generic-slice';
import { createHistorySlice } from './history-slice';
import { createRunSlice } from './run-slice';
import type { TsmState } from './types';
import { createWizardSlice } from './wizard-slice';

export type { TsmState } from './types';
export type TsmStore = StoreApi<TsmState>;

/**
 * The renderer's one store, made of slices (zustand's slices pattern): app (navigation,
 * settings), catalogs, wizard, run and history. Every side effect goes through `api`, so tests
 * drive the store with a fake TsmApi and no React.
 */
export function createTsmStore(api: TsmApi): TsmStore {
  const store = createStore<TsmState>()((...a) => ({
    ...createAppSlice(api)(...a),
    ...createCatalogsSlice(api)(...a),
    ...createGenericSlice(api)(...a),
    ...createWizardSlice(api)(...a),
    ...createExportSlice(api)(...a),
    ...createRunSlice(api)(...a),
    ...createHistorySlice(api)(...a),
  }));
  // the results page left: its plots, if still computed, are not wanted any more
  store.subscribe((state, previous) => {
    if (previous.page === 'results' && state.page !== 'results') state.stopPlots();
  });
  return store;
}
