// @vitest-environment jsdom
/**
 * A reload (browser or Electron window) brought the app back to the Catalogs page and the wizard
 * to its first step; where the user was is now kept in the address (#/page/detail) and restored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunRecord } from '../../preload/api';
import {
  keepPlaceInAddress,
  parsePlace,
  placeHash,
  placeOfAddress,
} from '../../renderer/state/place';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { FakeApi, summary } from './fake-api';

const run = (id: string, status: RunRecord['status']): RunRecord => ({
  id,
  name: `${status} one`,
  status,
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: status === 'running' ? undefined : '2026-11-25T10:01:00.000Z',
  project: defaultProject(),
  outputDir: `/data/runs/${id}`,
  outputPath: status === 'done' ? `/data/runs/${id}/out.parquet` : undefined,
  counts:
    status === 'done'
      ? {
          rowsIn: 80,
          matched: 54,
          unmatched: 26,
          duplicatesResolved: 0,
          train: 39,
          test: 15,
          rowsOut: 54,
        }
      : undefined,
  error: status === 'failed' ? 'no such folder /cats/dp1' : undefined,
});

/** An app with these runs and two catalogs, as a page freshly loaded at address `hash`. */
async function reloadedAt(hash: string, runs: RunRecord[] = []) {
  const api = new FakeApi();
  api.runs = runs;
  api.catalogs = [summary('sz-1', 'specz', 'sdss'), summary('ph 1/x', 'photometric', 'dp1')];
  const store = createTsmStore(api);
  await store.getState().init(hash);
  await new Promise((r) => setTimeout(r, 0));
  return { api, store };
}

describe('the place in the address', () => {
  it('names each page and what it shows, and reads back the same', () => {
    const base = {
      selectedCatalogId: null,
      step: 'basics' as const,
      currentRun: null,
      resultsRunId: null,
      missingAddress: null,
    };
    const cases: [Parameters<typeof placeHash>[0], string][] = [
      [{ ...base, page: 'catalogs' }, '#/catalogs'],
      [{ ...base, page: 'catalogs', selectedCatalogId: 'ph 1/x' }, '#/catalogs/ph%201%2Fx'],
      [{ ...base, page: 'wizard', step: 'crossmatch' }, '#/wizard/crossmatch'],
      [{ ...base, page: 'run', currentRun: run('run-9', 'running') }, '#/run/run-9'],
      [{ ...base, page: 'results', resultsRunId: 'run-8' }, '#/results/run-8'],
      [{ ...base, page: 'history' }, '#/history'],
      [{ ...base, page: 'settings' }, '#/settings'],
      [{ ...base, page: 'missing', missingAddress: '#/nowhere' }, '#/nowhere'],
    ];
    for (const [state, hash] of cases) expect(placeHash(state)).toBe(hash);
    expect(parsePlace('#/catalogs/ph%201%2Fx')).toEqual({ page: 'catalogs', catalogId: 'ph 1/x' });
    expect(parsePlace('#/wizard/crossmatch')).toEqual({ page: 'wizard', step: 'crossmatch' });
    expect(parsePlace('#/results/run-8')).toEqual({ page: 'results', runId: 'run-8' });
    expect(parsePlace('#/run')).toEqual({ page: 'run', runId: null });
    // what an older or hand-edited address may hold
    expect(parsePlace('#/wizard/nosuchstep')).toEqual({ page: 'wizard', step: 'basics' });
    expect(parsePlace('#/results')).toEqual({ page: 'history' });
    for (const odd of ['', '#', '#/nowhere', '#/settings/x', '#/catalogs/a/b', '#/run/%E0%A4%A'])
      expect(parsePlace(odd)).toBeNull();
  });

  it('reads the addresses a user would guess as the pages they name (#/runs was nothing)', () => {
    expect(parsePlace('#/runs')).toEqual({ page: 'history' });
    expect(parsePlace('#/Runs/')).toEqual({ page: 'history' });
    expect(parsePlace('#/runs/run-8')).toEqual({ page: 'results', runId: 'run-8' });
    expect(parsePlace('#/history/run-8')).toEqual({ page: 'results', runId: 'run-8' });
    expect(parsePlace('#/current-run')).toEqual({ page: 'run', runId: null });
    expect(parsePlace('#/new-training-set')).toEqual({ page: 'wizard', step: 'basics' });
    expect(parsePlace('#/new')).toEqual({ page: 'wizard', step: 'basics' });
    expect(parsePlace('#/catalog')).toEqual({ page: 'catalogs', catalogId: null });
    expect(parsePlace('#/Settings')).toEqual({ page: 'settings' });
  });

  it('sends an address that names no page to "no such page", and none to the first page', () => {
    expect(placeOfAddress('#/nowhere')).toEqual({ page: 'missing', address: '#/nowhere' });
    expect(placeOfAddress('#/settings/x')).toEqual({ page: 'missing', address: '#/settings/x' });
    expect(placeOfAddress('#/runs')).toEqual({ page: 'history' });
    for (const none of ['', '#', '#/']) expect(placeOfAddress(none)).toBeNull();
  });
});

describe('a reloaded page', () => {
  it('comes back to the wizard step it was on (it came back to Catalogs, step 1)', async () => {
    const { store } = await reloadedAt('#/wizard/crossmatch');
    expect(store.getState().page).toBe('wizard');
    expect(store.getState().step).toBe('crossmatch');
  });

  it("comes back to a run's results, loading them", async () => {
    const { api, store } = await reloadedAt('#/results/run-8', [run('run-8', 'done')]);
    expect(store.getState().page).toBe('results');
    expect(store.getState().resultsRunId).toBe('run-8');
    expect(store.getState().results?.run.id).toBe('run-8');
    expect(api.callsOf('getTablePage').map((c) => c.args)).toEqual([['run-8', 0, 25]]);
  });

  it('comes back to the catalog it showed', async () => {
    const { store } = await reloadedAt('#/catalogs/ph%201%2Fx');
    expect(store.getState().page).toBe('catalogs');
    expect(store.getState().selectedCatalogId).toBe('ph 1/x');
  });

  it('comes back to the page of a run that has ended, saying how it ended', async () => {
    const { store } = await reloadedAt('#/run/run-5', [run('run-5', 'failed')]);
    expect(store.getState().page).toBe('run');
    expect(store.getState().currentRun?.id).toBe('run-5');
    expect(store.getState().runError).toBe('no such folder /cats/dp1');
    expect(store.getState().log).toEqual([
      'Run run-5 (started 2026-11-25 10:00:00); output in /data/runs/run-5',
      'Failed: no such folder /cats/dp1',
    ]);
  });

  it('stays on the page it was on while a run goes on, the run followed under Current run', async () => {
    const { store } = await reloadedAt('#/history', [run('run-9', 'running')]);
    expect(store.getState().page).toBe('history');
    expect(store.getState().currentRun?.id).toBe('run-9');
  });

  it('goes to the Runs page or Catalogs when what it showed is gone, and to Catalogs without an address', async () => {
    expect((await reloadedAt('#/results/gone')).store.getState().page).toBe('history');
    expect((await reloadedAt('#/run/gone')).store.getState().page).toBe('history');
    expect((await reloadedAt('#/runs')).store.getState().goneRunId).toBeNull();
    const catalog = (await reloadedAt('#/catalogs/deleted')).store.getState();
    expect([catalog.page, catalog.selectedCatalogId]).toEqual(['catalogs', null]);
    expect((await reloadedAt('')).store.getState().page).toBe('catalogs');
  });

  it('says on the Runs page that a run an address names is not here (it went there without a word)', async () => {
    for (const hash of ['#/runs/run-gone', '#/results/run-gone', '#/run/run-gone']) {
      const { store } = await reloadedAt(hash, [run('run-8', 'done')]);
      expect([store.getState().page, store.getState().goneRunId]).toEqual(['history', 'run-gone']);
      // gone with the next page
      store.getState().navigate('catalogs');
      expect(store.getState().goneRunId).toBeNull();
    }
    // a run that is here: its results, nothing said
    const { store } = await reloadedAt('#/runs/run-8', [run('run-8', 'done')]);
    expect([store.getState().page, store.getState().goneRunId]).toEqual(['results', null]);
    // the address edited to another place drops it too
    const gone = (await reloadedAt('#/runs/run-gone')).store;
    await gone.getState().goToPlace({ page: 'history' });
    expect(gone.getState().goneRunId).toBeNull();
  });

  it('opens the Runs page at #/runs and says "no such page" at an address of none (it showed Catalogs)', async () => {
    expect((await reloadedAt('#/runs')).store.getState().page).toBe('history');
    const { store } = await reloadedAt('#/nowhere');
    expect([store.getState().page, store.getState().missingAddress]).toEqual([
      'missing',
      '#/nowhere',
    ]);
    store.getState().navigate('catalogs');
    expect(store.getState().missingAddress).toBeNull();
  });
});

describe('keepPlaceInAddress', () => {
  let stop: () => void = () => undefined;
  afterEach(() => {
    stop();
    window.history.replaceState(null, '', '/');
  });

  async function kept(): Promise<TsmStore> {
    const { store } = await reloadedAt('', [run('run-8', 'done')]);
    stop = keepPlaceInAddress(store, window);
    return store;
  }

  it('writes where the store is into the address, replacing the entry (Back leaves the app as before)', async () => {
    const store = await kept();
    const entries = window.history.length;
    expect(window.location.hash).toBe('#/catalogs');
    store.getState().navigate('wizard');
    store.getState().goToStep('output');
    expect(window.location.hash).toBe('#/wizard/output');
    await store.getState().openResults('run-8');
    expect(window.location.hash).toBe('#/results/run-8');
    expect(window.history.length).toBe(entries);
  });

  it('goes where an address typed by the user says', async () => {
    const store = await kept();
    window.location.hash = '#/settings';
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().page).toBe('settings');
    window.location.hash = '#/runs';
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().page).toBe('history');
    expect(window.location.hash).toBe('#/history');
    // it stayed on Settings, the address written back, as if the edit had not been made
    window.location.hash = '#/nowhere';
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().page).toBe('missing');
    expect(window.location.hash).toBe('#/nowhere');
    store.getState().navigate('settings');
    expect(window.location.hash).toBe('#/settings');
  });
});
