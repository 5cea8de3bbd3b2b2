import type { StoreApi } from 'zustand/vanilla';
import { WIZARD_STEPS, type WizardStep } from './wizard-slice';
import type { TsmState } from './types';

/**
 * Where the user is: the page and what it shows (the catalog opened, the wizard's step, the run
 * followed or whose results are open). Kept in the address as `#/<page>/<detail>`, so that a
 * reload (or Electron's window reload) comes back to it instead of the Catalogs page.
 */
export type Place =
  | { page: 'catalogs'; catalogId: string | null }
  | { page: 'wizard'; step: WizardStep }
  | { page: 'run'; runId: string | null }
  | { page: 'results'; runId: string }
  | { page: 'history' }
  | { page: 'settings' };

const part = (id: string | null | undefined) => (id ? `/${encodeURIComponent(id)}` : '');

/** The address fragment (`#/results/<run id>`, ...) of where `state` is. */
export function placeHash(
  state: Pick<TsmState, 'page' | 'selectedCatalogId' | 'step' | 'currentRun' | 'resultsRunId'>,
): string {
  switch (state.page) {
    case 'catalogs':
      return `#/catalogs${part(state.selectedCatalogId)}`;
    case 'wizard':
      return `#/wizard/${state.step}`;
    case 'run':
      return `#/run${part(state.currentRun?.id)}`;
    case 'results':
      return `#/results${part(state.resultsRunId)}`;
    default:
      return `#/${state.page}`;
  }
}

/** The place an address fragment names; null for none or one this version does not know. */
export function parsePlace(hash: string): Place | null {
  const [page, detail, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (rest.length > 0) return null;
  let id: string | null = null;
  try {
    id = detail ? decodeURIComponent(detail) : null;
  } catch {
    return null;
  }
  switch (page) {
    case 'catalogs':
      return { page, catalogId: id };
    case 'wizard':
      return { page, step: WIZARD_STEPS.find((s) => s === id) ?? 'basics' };
    case 'run':
      return { page, runId: id };
    case 'results':
      return id ? { page, runId: id } : { page: 'history' };
    case 'history':
    case 'settings':
      return id ? null : { page };
    default:
      return null;
  }
}

/**
 * Writes where the store is into the window's address as it changes (replacing the entry, so
 * Back leaves the app as before rather than stepping through its pages), and goes where the
 * address says when the user edits it.
 * @returns the function that stops both
 */
export function keepPlaceInAddress(
  store: StoreApi<TsmState>,
  win: Pick<Window, 'location' | 'history' | 'addEventListener' | 'removeEventListener'>,
): () => void {
  const write = (state: TsmState) => {
    const hash = placeHash(state);
    if (win.location.hash !== hash) win.history.replaceState(win.history.state, '', hash);
  };
  write(store.getState());
  const unsubscribe = store.subscribe(write);
  const onHashChange = () => {
    const place = parsePlace(win.location.hash);
    if (place) void store.getState().goToPlace(place);
    else write(store.getState());
  };
  win.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
