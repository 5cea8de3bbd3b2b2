// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunRecord, RunResults } from '../../preload/api';
import { ResultsPage } from '../../renderer/components/results/results-page';
import { createTsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi } from './fake-api';

afterEach(cleanup);

const run: RunRecord = {
  id: 'run-gone',
  name: 'dp1 day one',
  status: 'done',
  startedAt: '2026-11-27T09:59:04.000Z',
  finishedAt: '2026-11-27T09:59:11.000Z',
  project: defaultProject(),
  outputDir: '/data/runs/run-gone',
  outputPath: '/data/runs/run-gone/dp1_day_one.parquet',
  counts: {
    rowsIn: 80,
    matched: 54,
    unmatched: 26,
    duplicatesResolved: 0,
    train: 39,
    test: 15,
    rowsOut: 54,
  },
};

describe('the results page', () => {
  it('of a run whose output was deleted shows the run, its counts, Re-run and why there are no plots', async () => {
    const missing =
      "/data/runs/run-gone/dp1_day_one.parquet is no longer there (deleted or moved after the run): the counts are this run's, the plots and the table need the file. Re-run to write it again.";
    const results: RunResults = { run, qa: null, outputMissing: missing };
    const api = new FakeApi();
    api.runs = [run];
    Object.assign(api, { getRunResults: async () => results });
    const store = createTsmStore(api);
    render(
      <TsmStoreProvider store={store}>
        <ResultsPage />
      </TsmStoreProvider>,
    );
    await act(async () => store.getState().openResults(run.id));
    expect(screen.getByRole('heading', { name: 'dp1 day one' })).toBeTruthy();
    expect(screen.getByRole('alert', { name: 'Output missing' }).textContent).toBe(missing);
    // a named group (a name on a plain div is not given to screen readers)
    expect(screen.getByRole('group', { name: 'Counts' }).textContent).toContain('Rows written54');
    expect(screen.getByRole('button', { name: 'Re-run' })).toBeTruthy();
    expect(screen.queryByText('Quality plots')).toBeNull();
    // no table page is asked for a file that is not there
    expect(api.callsOf('getTablePage')).toEqual([]);
  });
});
