/**
 * Closing the Electron app during a run (electron mocked, as in test/main/electron-app.test.ts):
 * `before-quit` must hold the quit (event.preventDefault) until the active runs are cancelled
 * and cleaned up, then quit; otherwise the process exits with the run's partial files on disk
 * and its record left "running".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelOf } from '../../preload/api';
import { existsSync } from 'node:fs';
import { makeSyntheticCatalogs, partialsUnder, tempDir, type SyntheticCatalogs } from './helpers';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    handlers: new Map<string, Listener>(),
    appListeners: new Map<string, Listener[]>(),
    windows: [] as { id: number; webContents: object }[],
    userData: '',
    ready: null as null | (() => void),
    readyPromise: null as null | Promise<void>,
    quit: 0,
  };
  state.readyPromise = new Promise<void>((resolve) => (state.ready = resolve));
  class FakeWindow {
    id = state.windows.length + 1;
    webContents = {
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      send: () => undefined,
    };
    constructor() {
      state.windows.push(this);
    }
    static fromWebContents(c: unknown) {
      return state.windows.find((w) => w.webContents === c) ?? null;
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    loadURL() {
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
  }
  return { state, FakeWindow };
});

vi.mock('electron', () => {
  const { state, FakeWindow } = fake;
  return {
    app: {
      requestSingleInstanceLock: () => true,
      quit: () => state.quit++,
      on: (event: string, listener: (...args: unknown[]) => unknown) =>
        state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), listener]),
      whenReady: () => Promise.resolve(),
      getPath: () => state.userData,
      getName: () => 'Training Set Maker',
      getVersion: () => '0.1.0',
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, l: (...args: unknown[]) => unknown) =>
        state.handlers.set(channel, l),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => state.ready?.() },
    shell: { openPath: async () => '' },
    dialog: {},
  };
});

const DIST = '/opt/tsm/dist';
const RENDERER_URL = 'file:///opt/tsm/dist/renderer/index.html';
const { dir, cleanup } = tempDir('tsm-rel-electron-');
afterAll(cleanup);
let cats: SyntheticCatalogs;

describe('quitting Electron during a run', () => {
  const { state } = fake;
  beforeAll(async () => {
    state.userData = join(dir, 'userData');
    cats = await makeSyntheticCatalogs(dir, {
      photometricRows: 60_000,
      speczEvery: 10,
      partitionRows: 3_000,
    });
    const { startElectronApp } = await import('../../main/electron-app');
    startElectronApp(DIST);
    await state.readyPromise;
    await new Promise((r) => setTimeout(r, 20));
  }, 120_000);

  // main/electron-app.ts holds the quit (event.preventDefault) while runs are active, waits for
  // them to be cancelled and cleaned, then quits.
  it('holds the quit until the run is cancelled and cleaned, then quits', async () => {
    const event = {
      sender: state.windows[0].webContents,
      senderFrame: { url: RENDERER_URL, parent: null },
    };
    const call = (method: string, ...args: unknown[]) =>
      state.handlers.get(channelOf(method as never))!(event, ...args) as Promise<{
        ok: boolean;
        value: never;
      }>;
    const project = (await call('newProject')).value as Record<string, object>;
    const out = join(dir, 'out');
    const started = await call('startRun', {
      ...project,
      name: 'quit',
      specz: { ...project.specz, path: cats.specz, catalogId: null },
      photometry: {
        ...project.photometry,
        location: cats.photometry,
        dereddening: { map: 'none', scale: 1 },
      },
      output: { format: 'parquet', folder: out },
    });
    expect(started.ok).toBe(true);
    for (let k = 0; k < 200 && partialsUnder(out).length === 0; k++)
      await new Promise((r) => setTimeout(r, 50));
    const preventDefault = vi.fn();
    const quitsBefore = state.quit;
    for (const l of state.appListeners.get('before-quit') ?? []) l({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    // ... and once the run has stopped: nothing partial left, then the app quits.
    for (let k = 0; k < 200 && state.quit === quitsBefore; k++)
      await new Promise((r) => setTimeout(r, 50));
    // nothing partial (a cancelled run also removed the output folder it made)
    expect(existsSync(out) ? partialsUnder(out) : []).toEqual([]);
    expect(state.quit).toBeGreaterThan(quitsBefore);
  });
});
