// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { QaData, RunRecord, RunResults } from '../../preload/api';
import { PLOT_TITLES } from '../../renderer/components/results/qa-plots';
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
    const results: RunResults = { run, outputMissing: missing };
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
    // no table page nor plots are asked for a file that is not there
    expect(api.callsOf('getTablePage')).toEqual([]);
    expect(api.callsOf('getRunQa')).toEqual([]);
  });
});

describe('the results page of a run whose plots take long (a 950k-row CSV output)', () => {
  /** A FakeApi whose getRunQa answers only when `answer` is called (with data or an error). */
  function slowPlots() {
    const api = new FakeApi();
    api.runs = [{ ...run, id: 'run-csv', outputPath: '/data/runs/run-csv/big.csv' }];
    const qa: QaData = {
      sky: { matched: [[1, 2]], unmatched: [], matchedCount: 54, unmatchedCount: 26 },
      redshift: { edges: [0, 1], counts: [54] },
      separationArcsec: { edges: [0, 1], counts: [54] },
      magnitudes: [],
    };
    let answer: (error?: Error) => void = () => undefined;
    api.getRunQa = (id: string) => {
      api.calls.push({ method: 'getRunQa', args: [id] });
      return new Promise<QaData>((resolve, reject) => {
        answer = (error) => (error ? reject(error) : resolve(qa));
      });
    };
    const store = createTsmStore(api);
    render(
      <TsmStoreProvider store={store}>
        <ResultsPage />
      </TsmStoreProvider>,
    );
    return {
      api,
      store,
      answer: (error?: Error) => answer(error),
      // the events main sends (qaProgress) reach the store once it is started
      start: () => store.getState().init(),
    };
  }

  it('shows the counts and the table at once, and says the plots are computed, how far', async () => {
    const { api, store, answer, start } = slowPlots();
    await act(start);
    let opened: Promise<void> = Promise.resolve();
    await act(async () => {
      opened = store.getState().openResults('run-csv');
    });
    // the plots are not there yet: the table is, with its first page
    expect(api.callsOf('getRunQa').map((c) => c.args)).toEqual([['run-csv']]);
    expect(screen.getByRole('group', { name: 'Counts' }).textContent).toContain('Rows written54');
    expect(screen.getByRole('table', { name: 'Output rows' })).toBeTruthy();
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '0.5']);
    expect(screen.getByRole('status').textContent).toBe(
      'Computing the plots from the output… The table below can be used meanwhile.',
    );
    // the plots' boxes hold their place (the table below does not move when they come), empty
    const boxes = screen.getAllByRole('figure');
    expect(boxes.map((f) => f.getAttribute('aria-label'))).toEqual([...PLOT_TITLES]);
    for (const box of boxes) {
      expect(box.getAttribute('aria-busy')).toBe('true');
      expect(box.querySelector('.canvas-box')).toBeTruthy();
      expect(box.querySelector('canvas')).toBeNull();
    }
    expect(screen.getByRole('button', { name: 'Export all plots as PNG' })).toHaveProperty(
      'disabled',
      true,
    );
    // main says how much of the output the plots have read
    act(() => api.emit('qaProgress', { runId: 'run-csv', fraction: 0.4213 }));
    expect(screen.getByRole('status').textContent).toBe(
      'Computing the plots from the output (42 %)… The table below can be used meanwhile.',
    );
    expect(
      screen.getByRole('progressbar', { name: "Plots' progress" }).getAttribute('aria-valuenow'),
    ).toBe('42');
    // another run's progress is not this page's
    act(() => api.emit('qaProgress', { runId: 'other', fraction: 0.9 }));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42');
    await act(async () => {
      answer();
      await opened;
    });
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Redshift distribution' })).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Output rows' })).toBeTruthy();
  });

  it('says why the plots could not be made, and keeps the table', async () => {
    const { store, answer } = slowPlots();
    let opened: Promise<void> = Promise.resolve();
    await act(async () => {
      opened = store.getState().openResults('run-csv');
    });
    await act(async () => {
      answer(
        new Error(
          '/data/runs/run-csv/big.csv: the file ends inside a quoted field (truncated?); fix or re-export the file',
        ),
      );
      await opened;
    });
    expect(screen.getByRole('alert').textContent).toBe(
      'The plots could not be made: /data/runs/run-csv/big.csv: the file ends inside a quoted field (truncated?); fix or re-export the file',
    );
    expect(screen.getByRole('table', { name: 'Output rows' })).toBeTruthy();
  });
});
