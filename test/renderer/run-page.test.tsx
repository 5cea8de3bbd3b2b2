// @vitest-environment jsdom
/**
 * The run page's clock: Elapsed moves every second from the run's start while it runs (a stage
 * without progress events, such as opening a slow remote catalog, included), and Time left is
 * not shown as a stale number once progress stopped coming. And where the focus goes when the
 * run ends and Cancel goes away.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunProgress } from '../../preload/api';
import { RunPage, runStatusText } from '../../renderer/components/run/run-page';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, summary } from './fake-api';

/** The fake's runs start at this instant (fake-api.ts startRun). */
const STARTED_MS = Date.parse('2026-11-25T10:00:00.000Z');

let api: FakeApi;
let store: TsmStore;
beforeEach(async () => {
  vi.useFakeTimers({ now: STARTED_MS + 200, toFake: ['Date', 'setInterval', 'clearInterval'] });
  api = new FakeApi();
  store = createTsmStore(api);
  await store.getState().init();
  const s = store.getState();
  await s.setField('name', 'slow remote');
  await s.setField('specz', { ...s.draft!.specz, catalogId: 'sz-1', path: null });
  await store.getState().choosePhotometric(summary('ph-1', 'photometric', 'dp1', '/cats/dp1'));
  render(
    <TsmStoreProvider store={store}>
      <RunPage />
    </TsmStoreProvider>,
  );
  await act(async () => {
    expect(await store.getState().startRun()).toBe(true);
  });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** The value shown under a counter's label. */
const stat = (label: string) => screen.getByText(label).nextElementSibling!.textContent;
const tick = (ms: number) => act(() => vi.advanceTimersByTime(ms));

describe('the run page clock', () => {
  it('counts Elapsed every second from the start while no progress arrives', () => {
    expect(screen.getByText('Resolving catalogs')).toBeTruthy();
    expect(stat('Elapsed')).toBe('0 s');
    tick(1000);
    expect(stat('Elapsed')).toBe('1 s');
    tick(64_000);
    expect(stat('Elapsed')).toBe('1 min 5 s');
  });

  it('counts Time left down between events, and says it waits for data when they stop', () => {
    const progress: RunProgress = {
      stage: 'crossmatch',
      pixelsDone: 2,
      pixelsTotal: 10,
      rowsMatched: 5,
      bytesRead: 1000,
      elapsedMs: 3000,
      etaMs: 60_000,
    };
    tick(3000);
    act(() => api.emit('runProgress', { runId: 'run-1', progress }));
    expect(stat('Time left')).toBe('1 min 0 s');
    tick(5000);
    expect(stat('Time left')).toBe('55 s');
    expect(stat('Elapsed')).toBe('8 s');
    tick(11_000);
    expect(stat('Time left')).toBe('waiting for data');
    expect(stat('Elapsed')).toBe('19 s');
    act(() =>
      api.emit('runProgress', { runId: 'run-1', progress: { ...progress, etaMs: 20_000 } }),
    );
    expect(stat('Time left')).toBe('20 s');
  });

  it("says how far a spec-z file's reading got while the catalogs are resolved", () => {
    const progress: RunProgress = {
      stage: 'resolve',
      pixelsDone: 0,
      pixelsTotal: 0,
      rowsMatched: 0,
      bytesRead: 0,
      elapsedMs: 9000,
      speczRead: { phase: 'read', rowsRead: 655_360, fraction: 0.655 },
    };
    act(() => api.emit('runProgress', { runId: 'run-1', progress }));
    expect(
      screen.getByText('Reading the spec-z file: 655,360 rows read (65%)… Cancel stops it.'),
    ).toBeTruthy();
    act(() =>
      api.emit('runProgress', {
        runId: 'run-1',
        progress: { ...progress, stage: 'plan', speczRead: undefined, pixelsTotal: 4 },
      }),
    );
    expect(screen.queryByText(/Reading the spec-z file/)).toBeNull();
  });

  it('stops at the finish time once the run has ended', async () => {
    tick(4000);
    await act(async () =>
      api.emit('runFinished', {
        ...store.getState().currentRun!,
        status: 'cancelled',
        finishedAt: '2026-11-25T10:00:04.000Z',
      }),
    );
    tick(10_000);
    expect(stat('Elapsed')).toBe('4 s');
    expect(stat('Time left')).toBe('—');
  });
});

describe('the focus when the run ends', () => {
  /** Presses Cancel the way a keyboard user does: focused first. */
  async function pressCancel() {
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    cancel.focus();
    await act(async () => cancel.click());
  }
  const finish = (status: 'done' | 'cancelled' | 'failed') =>
    act(async () =>
      api.emit('runFinished', {
        ...store.getState().currentRun!,
        status,
        finishedAt: '2026-11-25T10:00:04.000Z',
        ...(status === 'failed' ? { error: 'the disk is full' } : {}),
      }),
    );

  it('goes from Cancel to "Edit and run again" once the run is cancelled', async () => {
    await pressCancel();
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toHaveProperty('disabled', true);
    await finish('cancelled');
    expect(screen.queryByRole('button', { name: /^Cancel/ })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit and run again' }));
  });

  it('goes from Cancel to "View results" when the run finishes first', async () => {
    screen.getByRole('button', { name: 'Cancel' }).focus();
    await finish('done');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'View results' }));
  });

  // Run (the wizard's) went with its page: the app put the focus on the page's box, and it
  // stayed there when the run ended, a Tab away from View results, with nothing said
  it('goes to "View results" when the run finishes with the focus where the page opened it', async () => {
    const main = document.body.appendChild(document.createElement('main'));
    main.tabIndex = -1;
    try {
      main.focus();
      await finish('done');
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'View results' }));
    } finally {
      main.remove();
    }
  });

  it('goes to "Edit and run again" when the run fails, and the reason is an alert', async () => {
    screen.getByRole('button', { name: 'Cancel' }).focus();
    await finish('failed');
    expect(screen.getByRole('alert').textContent).toBe('the disk is full');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit and run again' }));
  });
});

describe('the run log', () => {
  it('is a log with its name, which Tab reaches to scroll it', () => {
    const log = screen.getByRole('log', { name: 'Run log' });
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(log.tabIndex).toBe(0);
    expect(log.textContent).toMatch(/^Run run-1 started; output in /);
  });

  it('keeps the focus when the run ends while the user reads it', async () => {
    const log = screen.getByRole('log', { name: 'Run log' });
    log.focus();
    await act(async () =>
      api.emit('runFinished', {
        ...store.getState().currentRun!,
        status: 'done',
        finishedAt: '2026-11-25T10:00:04.000Z',
      }),
    );
    expect(document.activeElement).toBe(log);
  });
});

describe("the run log's words", () => {
  const gone =
    "/data/catalogs/example: the stored copy of the redshift catalog 'example' is no longer there (moved or deleted?)";
  const progressOf = (stage: RunProgress['stage'], elapsedMs: number, message: string) => ({
    runId: 'run-1',
    progress: {
      stage,
      pixelsDone: 2,
      pixelsTotal: 2,
      rowsMatched: 53,
      bytesRead: 1000,
      elapsedMs,
      message,
    },
  });
  const logText = () => screen.getByRole('log', { name: 'Run log' }).textContent!;

  it("names a field as the form labels it, with its step, where the engine's line gave its path", async () => {
    act(() => {
      api.emit('runProgress', progressOf('resolve', 0, 'Opening the spec-z catalog /data/c/x'));
      api.emit(
        'runProgress',
        progressOf('crossmatch', 900, 'Warning: photometry.location: pixel 44 was read again'),
      );
      api.emit('runProgress', progressOf('failed', 1700, `specz.catalogId: ${gone}`));
    });
    await act(async () =>
      api.emit('runFinished', {
        ...store.getState().currentRun!,
        status: 'failed',
        finishedAt: '2026-11-25T10:00:02.000Z',
        error: `specz.catalogId: ${gone}\nsplit.trainFraction: must be below 1`,
      }),
    );
    expect(logText().split('\n').slice(1)).toEqual([
      '   0.0 s  Opening the spec-z catalog /data/c/x',
      '   0.9 s  Warning: Photometric catalog (2. Catalogs): pixel 44 was read again',
      `   1.7 s  Redshift catalog (2. Catalogs): ${gone}`,
      `Failed: Redshift catalog (2. Catalogs): ${gone}`,
      'Training fraction (4. Split & output): must be below 1',
    ]);
    expect(logText()).not.toMatch(/specz\.|photometry\.|split\./);
  });

  it('says so for the lines of a run followed late too, each once', async () => {
    const run = { ...store.getState().currentRun!, id: 'run-2' };
    api.runLogs.set('run-2', {
      progress: null,
      lines: [{ elapsedMs: 1700, message: `specz.catalogId: ${gone}` }],
    });
    await act(async () => store.getState().followRun(run));
    // the same line, sent before getRunLog answered, arriving after it
    act(() =>
      api.emit('runProgress', {
        ...progressOf('failed', 1700, `specz.catalogId: ${gone}`),
        runId: 'run-2',
      }),
    );
    expect(logText().split('\n').slice(1)).toEqual([
      `   1.7 s  Redshift catalog (2. Catalogs): ${gone}`,
    ]);
  });
});

describe("the run's state in the panel heading", () => {
  /** The panel's heading as read: badge, space, what it does or how it ended. */
  const heading = () => screen.getByRole('heading', { level: 2 }).textContent;
  const finish = (status: 'done' | 'cancelled' | 'failed') =>
    act(async () =>
      api.emit('runFinished', {
        ...store.getState().currentRun!,
        status,
        finishedAt: '2026-11-25T10:00:04.000Z',
        ...(status === 'failed' ? { error: 'the disk is full' } : {}),
      }),
    );

  it('says each state once (a finished run read "done Done")', () => {
    expect(runStatusText('running', 'crossmatch', false)).toEqual({
      badge: 'Running',
      badgeClass: 'running',
      detail: 'Crossmatching',
    });
    expect(runStatusText('running', undefined, false).detail).toBe('Resolving catalogs');
    expect(runStatusText('running', 'write', true)).toEqual({
      badge: 'Cancelling',
      badgeClass: 'cancelled',
      detail: 'Stopping the run…',
    });
    for (const status of ['done', 'failed', 'cancelled'] as const) {
      const { badge, detail } = runStatusText(status, 'write', false);
      expect(badge.toLowerCase()).toBe(status);
      expect(detail.toLowerCase()).not.toContain(status);
    }
  });

  it('reads Running, then Cancelling, then Cancelled', async () => {
    expect(heading()).toBe('Running Resolving catalogs');
    await act(async () => screen.getByRole('button', { name: 'Cancel' }).click());
    expect(heading()).toBe('Cancelling Stopping the run…');
    await finish('cancelled');
    expect(heading()).toBe('Cancelled Stopped before the end; no output file was left behind');
  });

  it('reads Done once when the run finishes', async () => {
    await finish('done');
    expect(heading()).toBe('Done The training set is written');
  });

  it('reads Failed once, the reason in the alert above', async () => {
    await finish('failed');
    expect(heading()).toBe('Failed The run stopped on the error above');
  });
});
