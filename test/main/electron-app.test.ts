import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TSM_METHOD_NAMES, channelOf } from '../../preload/api';
import { REFUSED_MESSAGE } from '../../main/ipc';

/** A fake of the parts of Electron the shell uses, recording what the shell does with them. */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const handlers = new Map<string, Listener>();
  const appListeners = new Map<string, Listener[]>();
  const windows: FakeWindow[] = [];
  let nextId = 1;
  class FakeContents {
    listeners = new Map<string, Listener>();
    windowOpenHandler: Listener | null = null;
    sent: [string, unknown][] = [];
    on(event: string, listener: Listener) {
      this.listeners.set(event, listener);
      return this;
    }
    setWindowOpenHandler(handler: Listener) {
      this.windowOpenHandler = handler;
    }
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
  }
  class FakeWindow {
    id = nextId++;
    webContents = new FakeContents();
    url = '';
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      windows.push(this);
    }
    static fromWebContents(contents: unknown) {
      return windows.find((w) => w.webContents === contents) ?? null;
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
  }
  const state = {
    handlers,
    appListeners,
    windows,
    FakeContents,
    menuTemplate: null as unknown,
    permissionHandler: null as Listener | null,
    headersHandler: null as Listener | null,
    userData: '',
    ready: null as null | (() => void),
    readyPromise: null as null | Promise<void>,
  };
  state.readyPromise = new Promise<void>((resolve) => (state.ready = resolve));
  return { state, FakeWindow };
});

vi.mock('electron', () => {
  const { state, FakeWindow } = fake;
  return {
    app: {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (event: string, listener: (...args: unknown[]) => unknown) => {
        const list = state.appListeners.get(event) ?? [];
        list.push(listener);
        state.appListeners.set(event, list);
      },
      whenReady: () => Promise.resolve(),
      getPath: () => state.userData,
      getName: () => 'Training Set Maker',
      getVersion: () => '0.1.0',
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, listener: (...args: unknown[]) => unknown) =>
        state.handlers.set(channel, listener),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: (...args: unknown[]) => unknown) =>
          (state.permissionHandler = h),
        webRequest: {
          onHeadersReceived: (h: (...args: unknown[]) => unknown) => (state.headersHandler = h),
        },
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown) => {
        state.menuTemplate = template;
        return template;
      },
      setApplicationMenu: () => {
        state.ready?.();
      },
    },
    shell: { openPath: vi.fn(async () => '') },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
  };
});

const DIST = '/opt/tsm/dist';
const RENDERER_URL = 'file:///opt/tsm/dist/renderer/index.html';

describe('the Electron shell (electron mocked)', () => {
  const { state } = fake;
  beforeAll(async () => {
    state.userData = mkdtempSync(join(tmpdir(), 'tsm-electron-'));
    const { startElectronApp } = await import('../../main/electron-app');
    startElectronApp(DIST);
    await state.readyPromise;
    // The window is created right after the menu.
    await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => rmSync(state.userData, { recursive: true, force: true }));

  it('registers exactly one handler per TsmApi method', () => {
    expect([...state.handlers.keys()].sort()).toEqual(TSM_METHOD_NAMES.map(channelOf).sort());
    expect(state.handlers.size).toBe(31);
  });

  it('creates a window with the hardened webPreferences and the bundled preload', () => {
    expect(state.windows).toHaveLength(1);
    const prefs = state.windows[0].options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: join(DIST, 'preload.cjs'),
    });
    expect(state.windows[0].url).toBe(RENDERER_URL);
  });

  it('answers a request from its own window', async () => {
    const win = state.windows[0];
    const event = { sender: win.webContents, senderFrame: { url: RENDERER_URL, parent: null } };
    const reply = await state.handlers.get(channelOf('getAppInfo'))!(event);
    expect(reply).toEqual({
      ok: true,
      value: {
        name: 'Training Set Maker',
        version: '0.1.0',
        transport: 'electron',
        platform: process.platform,
      },
    });
  });

  it('refuses requests from other web contents, sub-frames and other pages', async () => {
    const win = state.windows[0];
    const cases = [
      { sender: new state.FakeContents(), senderFrame: { url: RENDERER_URL, parent: null } },
      { sender: win.webContents, senderFrame: { url: RENDERER_URL, parent: {} } },
      { sender: win.webContents, senderFrame: { url: 'https://example.org/', parent: null } },
      { sender: win.webContents, senderFrame: null },
    ];
    for (const event of cases) {
      const reply = await state.handlers.get(channelOf('listCatalogs'))!(event);
      expect(reply).toEqual({
        ok: false,
        error: { name: 'SecurityError', message: REFUSED_MESSAGE },
      });
    }
  });

  it('validates payloads in main: a bad argument is refused with the field named', async () => {
    const win = state.windows[0];
    const event = { sender: win.webContents, senderFrame: { url: RENDERER_URL, parent: null } };
    const reply = (await state.handlers.get(channelOf('getTablePage'))!(event, '../etc', 0, 5)) as {
      ok: boolean;
      error: { message: string };
    };
    expect(reply.ok).toBe(false);
    expect(reply.error.message).toMatch(/getTablePage argument 0: must be an id/);
  });

  it('blocks new windows, navigation away, redirects and webviews', () => {
    const contents = new state.FakeContents();
    for (const listener of state.appListeners.get('web-contents-created') ?? [])
      listener({}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({
      action: 'deny',
    });
    const prevent = vi.fn();
    contents.listeners.get('will-navigate')!({ preventDefault: prevent }, 'https://example.org/');
    expect(prevent).toHaveBeenCalledTimes(1);
    contents.listeners.get('will-navigate')!({ preventDefault: prevent }, RENDERER_URL);
    expect(prevent).toHaveBeenCalledTimes(1);
    contents.listeners.get('will-redirect')!({ preventDefault: prevent }, 'http://evil.test/');
    expect(prevent).toHaveBeenCalledTimes(2);
    contents.listeners.get('will-attach-webview')!({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalledTimes(3);
  });

  it('denies every permission request and sends a strict CSP header', () => {
    const callback = vi.fn();
    state.permissionHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    const headers = vi.fn();
    state.headersHandler!({ responseHeaders: {} }, headers);
    const csp = headers.mock.calls[0][0].responseHeaders['Content-Security-Policy'][0] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('builds File (New, Open, Open Recent, Save, Save As) and Help (About) menus that message the window', () => {
    type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };
    const template = state.menuTemplate as Item[];
    const file = template.find((m) => m.label === 'File')!;
    expect(file.submenu!.filter((i) => i.label).map((i) => i.label)).toEqual([
      'New',
      'Open…',
      'Open Recent',
      'Save',
      'Save As…',
    ]);
    const help = template.find((m) => m.role === 'help')!;
    help.submenu![0].click!();
    expect(state.windows[0].webContents.sent.at(-1)).toEqual([
      channelOf('menu'),
      { command: 'about' },
    ]);
  });

  it('quits when a second instance cannot get the lock', async () => {
    vi.resetModules();
    const electron = await import('electron');
    (
      electron.app as unknown as { requestSingleInstanceLock: () => boolean }
    ).requestSingleInstanceLock = () => false;
    const { startElectronApp } = await import('../../main/electron-app');
    startElectronApp(DIST);
    expect(electron.app.quit).toHaveBeenCalled();
  });
});
