// @vitest-environment jsdom
/**
 * The results page of a run that matched nothing, fed with what the results engine gives for
 * such a run (asserted in empty-results.test.ts: an empty page, QA with no matched point and
 * every spec-z unmatched): counts of 0, plots with no data, "The output has no rows.", no crash.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { QaData, RunRecord, RunResults, TablePage } from '../../preload/api';
import { ResultsPage } from '../../renderer/components/results/results-page';
import { createTsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi } from '../renderer/fake-api';

afterEach(cleanup);

const run: RunRecord = {
  id: 'run-empty',
  name: 'empty set',
  status: 'done',
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:00:01.000Z',
  project: defaultProject(),
  outputDir: '/data/runs/run-empty',
  outputPath: '/data/runs/run-empty/empty_set.parquet',
  counts: {
    rowsIn: 3,
    matched: 0,
    unmatched: 3,
    duplicatesResolved: 0,
    train: 0,
    test: 0,
    rowsOut: 0,
  },
};

describe('the results page of an empty training set', () => {
  it('renders zero counts, empty plots and "The output has no rows."', async () => {
    const results: RunResults = { run };
    const qa: QaData = {
      sky: {
        matched: [],
        unmatched: [
          [10, 80],
          [11, 81],
          [12, 82],
        ],
        matchedCount: 0,
        unmatchedCount: 3,
      },
      redshift: { edges: [], counts: [] },
      separationArcsec: { edges: [], counts: [] },
      magnitudes: [],
      colourVsRedshift: undefined,
    };
    const table: TablePage = { columns: [], rows: [], offset: 0, total: 0 };
    const api = new FakeApi();
    api.runs = [run];
    // FakeApi's own answers are typed narrower than the contract: replace them as a whole
    Object.assign(api, {
      getRunResults: async () => results,
      getRunQa: async () => qa,
      getTablePage: async () => table,
    });
    const store = createTsmStore(api);
    render(
      <TsmStoreProvider store={store}>
        <ResultsPage />
      </TsmStoreProvider>,
    );
    await act(async () => store.getState().openResults(run.id));
    expect(screen.getByRole('heading', { name: 'empty set' })).toBeTruthy();
    expect(screen.getByText('The output has no rows.')).toBeTruthy();
    const counts = screen.getByLabelText('Counts').textContent ?? '';
    expect(counts).toContain('Rows written0');
    expect(counts).toContain('Matched0');
    // the sky map shows the unmatched spec-z; the 4 other plots have no data
    expect(screen.getAllByText('No data for this plot.')).toHaveLength(4);
    expect(screen.getByText('Sky: matched and unmatched spec-z')).toBeTruthy();
  });
});
