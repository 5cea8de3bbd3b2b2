// @vitest-environment jsdom
/**
 * Errors that reach the page (a failed run's reason, a refused Run, the wizard's error) began
 * with project field paths ("specz.catalogId: ..."), as run.json and record.json keep them; the
 * page says the field as the form labels it and its step, with a "Change in <step>" button, as
 * run warnings do (compute/pipeline/warning-words.ts).
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunRecord } from '../../preload/api';
import { errorLines, errorText } from '../../renderer/components/error-words';
import { HistoryPage } from '../../renderer/components/history/history-page';
import { SummaryStep } from '../../renderer/components/wizard/summary-step';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi } from './fake-api';

const GONE =
  "/data/catalogs/example: the stored copy of the redshift catalog 'example' is no longer there (moved or deleted?)";

describe('errorLines', () => {
  it('names the field as the form labels it and the step that sets it, a line each', () => {
    expect(
      errorLines(
        `specz.catalogId: ${GONE}\nsplit.trainFraction: must satisfy 0 < f < 1 (got 1.5)\nThe app closed.`,
      ),
    ).toEqual([
      {
        label: 'Redshift catalog',
        field: 'specz.catalogId',
        step: 'catalogs',
        before: '',
        text: GONE,
      },
      {
        label: 'Training fraction',
        field: 'split.trainFraction',
        step: 'output',
        before: '',
        text: 'must satisfy 0 < f < 1 (got 1.5)',
      },
      { label: null, field: null, step: null, before: '', text: 'The app closed.' },
    ]);
  });

  it("keeps a project file's name before the field, and a line of no field as written", () => {
    expect(errorText('/p/a.tsm.json: crossmatch.radiusArcsec: must be at most 90 (got 100)')).toBe(
      '/p/a.tsm.json: Threshold distance (arcsec) (3. Crossmatch): must be at most 90 (got 100)',
    );
    // a file's path, a word that is no field: as written
    for (const line of [
      '/data/specz.csv: line 5 has no valid ra',
      'Dust map: something',
      'https://x.org/hats: 503',
    ]) {
      expect(errorText(line)).toBe(line);
    }
    expect(errorText('specz.columns.z: column zz is not in the file')).toBe(
      'Redshift catalog columns (2. Catalogs): column zz is not in the file',
    );
  });
});

let api: FakeApi;
let store: TsmStore;
beforeEach(() => {
  api = new FakeApi();
  store = createTsmStore(api);
});
afterEach(cleanup);

const failed = (error: string): RunRecord => ({
  id: 'r-1',
  name: 'set r-1',
  status: 'failed',
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:00:02.000Z',
  project: { ...defaultProject(), name: 'set r-1' },
  outputDir: '/data/runs/r-1',
  error,
});

describe("a failed run's reason on the Runs page", () => {
  it('says the field in the form\'s words, with "Change in <step>" opening the run\'s parameters there', async () => {
    api.runs = [failed(`specz.catalogId: ${GONE}`)];
    render(
      <TsmStoreProvider store={store}>
        <HistoryPage />
      </TsmStoreProvider>,
    );
    await act(async () => store.getState().loadRuns());
    const row = screen.getByRole('row', { name: /set r-1/ });
    const details = row.querySelector('details')!;
    expect(details.querySelector('.reason-excerpt')!.textContent).toMatch(
      /^Redshift catalog \(2\. Catalogs\): \/data\/catalogs\/example: the stored copy.*…$/,
    );
    expect(row.textContent).not.toContain('specz.catalogId');
    const button = within(details).getByRole('button', {
      name: 'Change in 2. Catalogs: Redshift catalog',
    });
    await act(async () => fireEvent.click(button));
    expect(store.getState().page).toBe('wizard');
    expect(store.getState().step).toBe('catalogs');
    expect(store.getState().draft?.name).toBe('set r-1');
  });
});

describe('a Run refused on the summary', () => {
  it('says the field in the form\'s words, its "Change in <step>" going to the field', async () => {
    await act(async () => store.getState().loadDraft());
    store.setState({ runError: `specz.catalogId: ${GONE}`, issues: [] });
    const went: string[] = [];
    render(
      <TsmStoreProvider store={store}>
        <SummaryStep draft={store.getState().draft!} goToField={(path) => went.push(path)} />
      </TsmStoreProvider>,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe(`Redshift catalog (2. Catalogs): ${GONE} Change in 2. Catalogs`);
    fireEvent.click(within(alert).getByRole('button', { name: /^Change in 2\. Catalogs/ }));
    expect(went).toEqual(['specz.catalogId']);
  });
});
