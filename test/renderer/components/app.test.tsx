// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../../compute/pipeline/project';
import type { RunRecord } from '../../../preload/api';
import { App } from '../../../renderer/components/app';
import type { TsmStore } from '../../../renderer/state/store';
import { TsmStoreProvider } from '../../../renderer/state/store-context';
import { WIZARD_STEPS } from '../../../renderer/state/wizard-slice';
import { startedStore, wizardCatalogs } from '../../helpers/started-store';

const done: RunRecord = {
  id: 'run-1',
  name: 'dp1 day one',
  status: 'done',
  startedAt: '2026-11-27T09:59:04.000Z',
  finishedAt: '2026-11-27T09:59:11.000Z',
  project: defaultProject(),
  outputDir: '/data/runs/run-1',
  outputPath: '/data/runs/run-1/dp1_day_one.parquet',
  counts: {
    rowsIn: 3,
    matched: 1,
    unmatched: 2,
    duplicatesResolved: 0,
    train: 1,
    test: 0,
    rowsOut: 1,
  },
};

let store: TsmStore;

beforeEach(async () => {
  ({ store } = await startedStore(wizardCatalogs(), [done]));
  render(
    <TsmStoreProvider store={store}>
      <App />
    </TsmStoreProvider>,
  );
  await settle();
});
afterEach(cleanup);

/** Lets pending promises (validation, loads) settle inside act(). */
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

/**
 * The headings of the window in document order as `h<level> <text>`, and the first that skips a
 * level (axe-core's heading-order: a heading is at most one level below the one before it; the
 * page's title is the first heading, an h1).
 */
function outline(): { headings: string[]; skip: string | null } {
  const all = [...document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6')];
  const headings = all.map((h) => `${h.tagName.toLowerCase()} ${h.textContent}`);
  let previous = 0;
  for (const [i, h] of all.entries()) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1) return { headings, skip: headings[i] };
    previous = level;
  }
  return { headings, skip: null };
}

describe('the heading outline of every page (screen readers list and jump by it)', () => {
  it('goes down one level at a time on every step of New training set', async () => {
    act(() => store.getState().navigate('wizard'));
    for (const step of WIZARD_STEPS) {
      act(() => store.getState().goToStep(step));
      await settle();
      const { headings, skip } = outline();
      expect(headings[0]).toBe('h1 New training set');
      expect({ step, skip }).toEqual({ step, skip: null });
    }
    // the numbered sections of the original form are the step's own headings, under the title
    act(() => store.getState().goToStep('crossmatch'));
    expect(outline().headings).toEqual([
      'h1 New training set',
      'h2 5. Select the cross-matching configuration choices',
      'h2 6. Select unique galaxies',
    ]);
    act(() => store.getState().goToStep('output'));
    expect(outline().headings).toEqual([
      'h1 New training set',
      'h2 7. Train/test split',
      'h2 8. Output',
    ]);
  });

  it('goes down one level at a time on Catalogs, with its forms and a catalog open', async () => {
    expect(outline()).toEqual({
      headings: ['h1 Catalogs', 'h2 Redshift catalogs', 'h2 Photometric catalogs'],
      skip: null,
    });
    act(() => store.getState().selectCatalog('ph-1'));
    expect(outline().skip).toBeNull();
    act(() => store.getState().startRegistration());
    act(() => store.getState().setRegistrationPath('/data/specz.parquet'));
    await act(async () => store.getState().loadPreview());
    await act(async () => store.getState().validateRegistration());
    expect(outline().headings).toContain('h3 Validation report');
    expect(outline().skip).toBeNull();
    act(() => store.getState().cancelRegistration());
    act(() => store.getState().startPhotometric());
    expect(outline().headings).toContain('h2 Add a photometric catalog');
    expect(outline().skip).toBeNull();
  });

  it('goes down one level at a time on Runs, Results and Settings', async () => {
    act(() => store.getState().navigate('history'));
    await settle();
    expect(outline()).toEqual({ headings: ['h1 Runs'], skip: null });
    await act(async () => store.getState().openResults(done.id));
    await settle();
    expect(outline().headings.slice(0, 2)).toEqual(['h1 dp1 day one', 'h2 Quality plots']);
    expect(outline().headings).toContain('h2 Table preview');
    expect(outline().skip).toBeNull();
    act(() => store.getState().navigate('settings'));
    await settle();
    expect(outline()).toEqual({ headings: ['h1 Settings'], skip: null });
  });
});

describe('an address that names no page', () => {
  it('says "No such page" with the address and the way to Catalogs and Runs (it showed Catalogs)', async () => {
    await act(async () => store.getState().goToPlace({ page: 'missing', address: '#/runz' }));
    await settle();
    expect(outline()).toEqual({
      headings: ['h1 No such page', "h2 The pages' addresses"],
      skip: null,
    });
    expect(document.querySelector('.lead')?.textContent).toContain(
      'The address #/runz is not a page of Training Set Maker.',
    );
    const links = [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['#/catalogs', '#/wizard', '#/runs', '#/settings']);
    const runs = [...document.querySelectorAll('main button')].find(
      (b) => b.textContent === 'Go to Runs',
    ) as HTMLButtonElement;
    act(() => runs.click());
    await settle();
    expect(store.getState().page).toBe('history');
    expect(outline().headings).toEqual(['h1 Runs']);
  });
});
