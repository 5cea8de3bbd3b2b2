// @vitest-environment jsdom
/**
 * The Runs page after the app was reopened: the reason of a failed or cancelled run is in its
 * row (text, and a Details disclosure for a long one), not only in a hover tooltip.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunRecord } from '../../preload/api';
import { HistoryPage } from '../../renderer/components/history/history-page';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, summary } from './fake-api';

const LONG =
  'The photometric catalog https://data.example.org/hats/dp1/object_collection could not be read: ' +
  'the server answered 503 five times; try again later or use a local copy.';
const SHORT = 'The app closed while this run was in progress; run it again.';

const run = (id: string, status: RunRecord['status'], error?: string): RunRecord => ({
  id,
  name: `set ${id}`,
  status,
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:00:02.000Z',
  project: { ...defaultProject(), name: `set ${id}` },
  outputDir: `/data/runs/${id}`,
  ...(error ? { error } : {}),
});

let api: FakeApi;
let store: TsmStore;
beforeEach(() => {
  api = new FakeApi();
  store = createTsmStore(api);
});
afterEach(cleanup);

async function showRuns(runs: RunRecord[]) {
  api.runs = runs;
  render(
    <TsmStoreProvider store={store}>
      <HistoryPage />
    </TsmStoreProvider>,
  );
  await act(async () => store.getState().loadRuns());
}

describe('the reason of a run that did not finish', () => {
  it('is written in the row under its status when short, with no tooltip holding it', async () => {
    await showRuns([run('r-closed', 'failed', SHORT)]);
    const row = screen.getByRole('row', { name: /set r-closed/ });
    expect(within(row).getByText(SHORT).tagName).toBe('P');
    expect(row.querySelector(`[title="${SHORT}"]`)).toBeNull();
  });

  it('opens from its first words with the keyboard when long (a Details disclosure)', async () => {
    await showRuns([run('r-long', 'failed', LONG)]);
    const row = screen.getByRole('row', { name: /set r-long/ });
    const details = row.querySelector('details')!;
    const summary = details.querySelector('summary')!;
    const excerpt = summary.querySelector('.reason-excerpt')!.textContent!;
    expect(excerpt).toMatch(/^The photometric catalog https:\/\/data\.example.*…$/);
    expect(excerpt.length).toBeLessThan(LONG.length);
    expect(within(details).getByText(LONG)).toBeTruthy();
    expect(details.open).toBe(false);
    fireEvent.click(summary); // what Enter or Space on the focused summary does
    expect(details.open).toBe(true);
    // the cell holds no tooltip over its name and status any more (only the long name's own)
    const cell = (row as HTMLTableRowElement).cells[0];
    expect(cell.hasAttribute('title')).toBe(false);
    expect([...cell.querySelectorAll('[title]')].map((e) => e.className)).toEqual(['clamp']);
  });

  it('says a cancelled run left no output, and shows nothing for a finished one', async () => {
    await showRuns([run('r-stop', 'cancelled'), run('r-ok', 'done')]);
    const stopped = screen.getByRole('row', { name: /set r-stop/ });
    expect(within(stopped).getByText('Cancelled; no output file was left behind.')).toBeTruthy();
    const done = screen.getByRole('row', { name: /set r-ok/ });
    expect(done.querySelector('.run-reason')).toBeNull();
  });

  it('says a run was cancelled because the app closed, when it was', async () => {
    const closed = run(
      'r-closed',
      'cancelled',
      'Cancelled because the app was closed during the run',
    );
    await showRuns([closed]);
    const row = screen.getByRole('row', { name: /set r-closed/ });
    expect(
      within(row).getByText(
        'Cancelled because the app was closed during the run; no output file was left behind.',
      ),
    ).toBeTruthy();
  });
});

// "— × des_dr2 · auto · sfd-lowres / 1″ · 1 nn" read as a code to a new user
describe('the catalogs and match of a run', () => {
  it('names a spec-z file given by path and says what each setting is', async () => {
    const base = defaultProject();
    const r = run('r-words', 'done');
    r.project = {
      ...base,
      name: 'set r-words',
      specz: { ...base.specz, catalogId: null, path: '/home/me/specz/deep_field.parquet' },
      photometry: { ...base.photometry, location: '/data/hats/des_dr2', fluxType: 'auto' },
      crossmatch: { ...base.crossmatch, radiusArcsec: 1.5, nNeighbors: 3 },
    };
    await showRuns([r]);
    const row = screen.getByRole('row', { name: /set r-words/ });
    const cell = within(row)
      .getByText(/deep_field\.parquet/)
      .closest('td')!;
    expect(within(row).getByText('Parquet')).toBeTruthy(); // as the wizard names formats
    expect(cell.textContent).toBe(
      `deep_field.parquet× des_dr2 · flux auto · dust ${base.photometry.dereddening.map}radius 1.5″ · 3 neighbours · inner join`,
    );
  });

  // it said "flux cmodel · dust sfd-lowres", the project's ids, where the wizard offered
  // "cModel" and "SFD98 low resolution, ..."
  it("names the flux type and dust map as the wizard's lists do, for an added catalog", async () => {
    api.catalogs = [summary('ph-1', 'photometric', 'dp1', '/cats/dp1')];
    await act(async () => store.getState().loadCatalogs());
    const base = defaultProject();
    const r = run('r-labels', 'done');
    r.project = {
      ...base,
      name: 'set r-labels',
      photometry: {
        ...base.photometry,
        location: '/cats/dp1',
        fluxType: 'cmodel',
        dereddening: { map: 'sfd-lowres', scale: 1 },
      },
    };
    await showRuns([r]);
    const row = screen.getByRole('row', { name: /set r-labels/ });
    // the fake profile's labels: cModel, and "SFD low-res" for sfd-lowres
    expect(within(row).getByText(/× dp1 ·/).textContent).toBe(
      '× dp1 · flux cModel · dust SFD low-res',
    );
  });
});

// the warnings were in a hover tooltip on the mark
describe('the warnings of a finished run', () => {
  it('open from their mark as a Details disclosure listing each one', async () => {
    const r = { ...run('r-warned', 'done'), warnings: ['First warning.', 'Second warning.'] };
    await showRuns([r]);
    const row = screen.getByRole('row', { name: /set r-warned/ });
    const details = row.querySelector('details.run-warnings')!;
    expect(details.querySelector('summary')!.textContent).toBe('2 warnings');
    expect([...details.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'First warning.',
      'Second warning.',
    ]);
    expect([...row.querySelectorAll('[title]')].map((e) => e.getAttribute('title'))).not.toContain(
      'First warning.\nSecond warning.',
    );
  });
});

describe('the Runs page when the data folder cannot be read', () => {
  it('shows the reason alone, not "No runs yet" under it', async () => {
    const gone =
      'The data folder /media/disk/tsm-data is not there any more (deleted, moved, or its disk not connected), so its catalogs and runs cannot be shown and nothing is saved there: reconnect its disk (or put the folder back) and reload, or choose another data folder in Settings.';
    api.listRuns = async () => {
      throw new Error(gone);
    };
    await showRuns([]);
    expect(screen.getByRole('alert').textContent).toBe(gone);
    // it said "No runs yet: Build a training set from New training set" under the error
    expect(screen.queryByText('No runs yet')).toBeNull();
  });
});

describe('a run another process is running (the app, a web bridge or tsm run on the data folder)', () => {
  it('says which process runs it, under its status, with a Progress button that follows it, as a run of this process', async () => {
    const elsewhere = 'Running in tsm run (pid 4242): 3 of 12 pixels done.';
    const tsmRun = {
      ...run('r-tsm', 'running'),
      finishedAt: undefined,
      runningElsewhere: elsewhere,
    };
    await showRuns([tsmRun, { ...run('r-here', 'running'), finishedAt: undefined }]);
    const other = screen.getByRole('row', { name: /set r-tsm/ });
    expect(within(other).getByText(elsewhere).tagName).toBe('P');
    api.runLogs.set('r-tsm', {
      progress: null,
      lines: [{ elapsedMs: 1500, message: '12 aligned pixels to crossmatch' }],
    });
    // it had no Progress button ("follow or cancel it there")
    fireEvent.click(within(other).getByRole('button', { name: 'Progress of set r-tsm' }));
    expect(store.getState()).toMatchObject({ page: 'run', currentRun: tsmRun });
    // with the log its owner wrote so far (getRunLog reads its log file)
    await act(async () => undefined);
    expect(store.getState().log.at(-1)).toBe('   1.5 s  12 aligned pixels to crossmatch');
    const here = screen.getByRole('row', { name: /set r-here/ });
    expect(within(here).getByRole('button', { name: 'Progress of set r-here' })).toBeTruthy();
    expect(here.querySelector('.run-reason')).toBeNull();
  });

  it('is not followed when the app opens (a run of this process is)', async () => {
    api.runs = [
      {
        ...run('r-tsm', 'running'),
        finishedAt: undefined,
        runningElsewhere: 'Running in tsm run (pid 4242).',
      },
    ];
    await act(async () => store.getState().init());
    expect(store.getState().currentRun).toBeNull();
    api.runs = [{ ...run('r-here', 'running'), finishedAt: undefined }];
    const again = createTsmStore(api);
    await act(async () => again.getState().init());
    expect(again.getState().currentRun?.id).toBe('r-here');
  });
});
