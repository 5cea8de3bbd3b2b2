// @vitest-environment jsdom
/**
 * Runs that finished with warnings (RunRecord.warnings, the engine's run.json warnings): the run
 * page and the results page show them in a warning box above the counts, the history marks the
 * run, and the results table of an empty output shows its column names with "The output has no
 * rows." (the page main/engine/results.ts gives for such a file, test/main/engine/empty-output).
 */
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunRecord, TablePage } from '../../preload/api';
import { HistoryPage } from '../../renderer/components/history/history-page';
import { ResultsPage } from '../../renderer/components/results/results-page';
import { RunPage } from '../../renderer/components/run/run-page';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, progressAt, summary } from './fake-api';

const NO_MATCH =
  'No cross matches were found: no spec-z row of /data/catalogs/sz-1 has a photometric object of ' +
  '/cats/dp1 within 1 arcsec. Check that the catalogs overlap on the sky, or use a larger radius.';
const RETRY =
  'Pixel Norder=2 Npix=7: its worker thread stopped (out of memory); the task ran again in a fresh thread.';

/** A dust map's warning as run.json stores it (compute/pipeline/run.ts), older runs' too. */
const EBV_TEXT =
  "the dust map 'sfd-lowres' (sfd-lowres-healpix64.fits) gave no value (NaN) at 12 of 300 matched positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes). Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.";
const EBV = `photometry.dereddening.map: ${EBV_TEXT}`;
const ZFLAG_TEXT =
  '2 rows hold a value that is neither a flag of the CRC scale (0-4, 6) nor, as the whole column would need to be, a confidence in [0, 1]; unique galaxies ranked them as missing, the lowest.';

const zero = { rowsIn: 3, matched: 0, unmatched: 3, duplicatesResolved: 0, train: 0, test: 0 };
const finishedRun = (id: string, warnings?: string[], rowsOut = 0): RunRecord => ({
  id,
  name: `set ${id}`,
  status: 'done',
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:00:02.000Z',
  project: { ...defaultProject(), name: `set ${id}` },
  outputDir: `/data/runs/${id}`,
  outputPath: `/data/runs/${id}/set.parquet`,
  counts: { ...zero, rowsOut },
  warnings,
});
const emptyPage: TablePage = {
  columns: ['id', 'ra', 'dec', 'z', 'objectId', '_dist_arcsec', 'is_training_set'],
  rows: [],
  offset: 0,
  total: 0,
};

let api: FakeApi;
let store: TsmStore;
beforeEach(() => {
  api = new FakeApi();
  store = createTsmStore(api);
});
afterEach(cleanup);

function show(page: React.ReactNode) {
  render(<TsmStoreProvider store={store}>{page}</TsmStoreProvider>);
}

/** True when `a` comes before `b` in the document. */
const before = (a: Element, b: Element) =>
  (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;

describe('the results page of a run with warnings', () => {
  it('shows the warning above the counts and the empty table with its header row', async () => {
    const run = finishedRun('run-empty', [NO_MATCH]);
    api.runs = [run];
    Object.assign(api, { getTablePage: async () => emptyPage });
    show(<ResultsPage />);
    await act(async () => store.getState().openResults(run.id));
    const box = screen.getByRole('alert', { name: 'Run warnings' });
    expect(box.textContent).toBe(`The run finished with a warning${NO_MATCH}`);
    expect(before(box, screen.getByLabelText('Counts'))).toBe(true);
    const table = screen.getByRole('table', { name: 'Output rows' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['#', ...emptyPage.columns]);
    expect(within(table).getAllByRole('row')).toHaveLength(1);
    expect(screen.getByText('The output has no rows.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
  });

  it('lists several warnings, and shows no box for a run without any', async () => {
    api.runs = [finishedRun('run-two', [NO_MATCH, RETRY]), finishedRun('run-clean', [], 60)];
    show(<ResultsPage />);
    await act(async () => store.getState().openResults('run-two'));
    const box = screen.getByRole('alert', { name: 'Run warnings' });
    expect(within(box).getByText('The run finished with 2 warnings')).toBeTruthy();
    expect(
      within(box)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([NO_MATCH, RETRY]);
    await act(async () => store.getState().openResults('run-clean'));
    expect(screen.getByText('Rows 1–1 of 60 · page 1 of 3')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('the run page', () => {
  it('shows the warnings once the run is done, above the counters, and counts them in the log', async () => {
    await store.getState().init();
    const s = store.getState();
    await s.setField('name', 'empty set');
    await s.setField('specz', { ...s.draft!.specz, catalogId: 'sz-1', path: null });
    await store.getState().choosePhotometric(summary('ph-1', 'photometric', 'dp1', '/cats/dp1'));
    show(<RunPage />);
    await act(async () => {
      expect(await store.getState().startRun()).toBe(true);
    });
    act(() => api.emit('runProgress', { runId: 'run-1', progress: progressAt(1, 1, NO_MATCH) }));
    expect(screen.queryByRole('alert', { name: 'Run warnings' })).toBeNull();
    const record = { ...finishedRun('run-1', [NO_MATCH]), name: 'empty set' };
    await act(async () => api.emit('runFinished', record));
    const box = screen.getByRole('alert', { name: 'Run warnings' });
    expect(box.textContent).toContain(NO_MATCH);
    expect(before(box, screen.getByRole('progressbar'))).toBe(true);
    expect(screen.getByLabelText('Run log').textContent).toContain(
      'Finished: 0 rows written to /data/runs/run-1/set.parquet (1 warning)',
    );
  });
});

describe('the run history', () => {
  it('marks runs that finished with warnings, the mark opening on their text', async () => {
    api.runs = [finishedRun('run-warn', [NO_MATCH, RETRY]), finishedRun('run-clean', [], 60)];
    show(<HistoryPage />);
    await act(async () => store.getState().loadRuns());
    const warned = screen.getByRole('row', { name: /set run-warn/ });
    const mark = within(warned).getByText('2 warnings');
    const details = mark.closest('details')!;
    expect([...details.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      NO_MATCH,
      RETRY,
    ]);
    const clean = screen.getByRole('row', { name: /set run-clean/ });
    expect(within(clean).queryByText(/warning/)).toBeNull();
    expect(within(clean).getByText('done')).toBeTruthy();
  });
});

describe("warnings in the scientist's words (they began with a field path)", () => {
  const warned = () => finishedRun('run-ebv', [EBV, `z_flag: ${ZFLAG_TEXT}`, NO_MATCH], 60);

  it('says on the results page what each is about, with the way to the step that sets it', async () => {
    const run = warned();
    api.runs = [run];
    show(<ResultsPage />);
    await act(async () => store.getState().openResults(run.id));
    const box = screen.getByRole('alert', { name: 'Run warnings' });
    const items = within(box).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      `Dereddening: ${EBV_TEXT} Change in 2. Catalogs`,
      `Unique galaxies (z_flag): ${ZFLAG_TEXT} Change in 3. Crossmatch`,
      NO_MATCH,
    ]);
    expect(box.textContent).not.toContain('photometry.');
    await act(async () =>
      within(items[0]).getByRole('button', { name: 'Change in 2. Catalogs: Dereddening' }).click(),
    );
    const s = store.getState();
    expect([s.page, s.step]).toEqual(['wizard', 'catalogs']);
    expect(s.draft?.name).toBe(run.project.name);
  });

  it('says them so on the runs page, without the field path', async () => {
    api.runs = [warned()];
    show(<HistoryPage />);
    await act(async () => store.getState().loadRuns());
    const row = screen.getByRole('row', { name: /set run-ebv/ });
    const details = within(row).getByText('3 warnings').closest('details')!;
    expect([...details.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      `Dereddening: ${EBV_TEXT}`,
      `Unique galaxies (z_flag): ${ZFLAG_TEXT}`,
      NO_MATCH,
    ]);
  });
});
