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
  | { page: 'settings' }
  /** An address that names no page (a typo, a bookmark of another version): said so. */
  | { page: 'missing'; address: string };

/**
 * Other names a user may type or bookmark for a page (the sidebar's words, `#/runs` for the Runs
 * page whose address is `#/history`), read as the page's own.
 */
const PAGE_ALIASES: Record<string, string> = {
  runs: 'history',
  'current-run': 'run',
  new: 'wizard',
  'new-training-set': 'wizard',
  catalog: 'catalogs',
};

const part = (id: string | null | undefined) => (id ? `/${encodeURIComponent(id)}` : '');

/** The address fragment (`#/results/<run id>`, ...) of where `state` is. */
export function placeHash(
  state: Pick<
    TsmState,
    'page' | 'selectedCatalogId' | 'step' | 'currentRun' | 'resultsRunId' | 'missingAddress'
  >,
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
    case 'missing':
      // the address typed stays, so that the user sees what was not found
      return state.missingAddress ?? '#/';
    default:
      return `#/${state.page}`;
  }
}

/** The place an address fragment names; null for none or one this version does not know. */
export function parsePlace(hash: string): Place | null {
  const [typed, detail, ...rest] = hash.replace(/^#\/?/, '').replace(/\/$/, '').split('/');
  if (rest.length > 0) return null;
  const lower = typed.toLowerCase();
  const page = PAGE_ALIASES[lower] ?? lower;
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
      // #/runs/<id>: the results of that run, as the Runs page's button opens them
      return id ? { page: 'results', runId: id } : { page };
    case 'settings':
      return id ? null : { page };
    default:
      return null;
  }
}

/**
 * Where an address sends the app when it opens or the user edits it: nowhere in particular (the
 * first page) for none, the "no such page" page for one that names no page.
 */
export function placeOfAddress(hash: string): Place | null {
  if (hash.replace(/^#\/?/, '') === '') return null;
  return parsePlace(hash) ?? { page: 'missing', address: hash };
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
    const place = placeOfAddress(win.location.hash);
    if (place) void store.getState().goToPlace(place);
    else write(store.getState());
  };
  win.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
