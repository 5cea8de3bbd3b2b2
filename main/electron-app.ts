import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { channelOf, type MenuCommand } from '../preload/api';
import { createBackend } from './backend';
import { defaultSettings } from './default-settings';
import { pickPath } from './dialogs';
import { createEngine } from './engine';
import { registerTsmHandlers } from './ipc';
import { setupMenu } from './menu';
import { CONTENT_SECURITY_POLICY } from './security';
import type { TsmBackend } from './tsm-service';
import { createMainWindow, isTrustedSender, lockDownContents, rendererUrl } from './window';

/**
 * The Electron shell: one instance, one hardened window, the menu and the IPC handlers, all
 * around the same services the web bridge hosts (main/backend.ts). `distDir` holds main.js,
 * preload.cjs and renderer/.
 */
export function startElectronApp(distDir: string): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const allowedUrl = rendererUrl(distDir);
  let win: BrowserWindow | null = null;
  let backend: TsmBackend | null = null;

  const send = (command: MenuCommand) => win?.webContents.send(channelOf('menu'), command);
  const refreshMenu = async () => setupMenu(send, backend ? await backend.projects.recent() : []);

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, allowedUrl));
  app.on('window-all-closed', () => app.quit());
  // Hold the quit until active runs are cancelled and their partial files removed.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping || !backend?.runs.hasActive()) return;
    event.preventDefault();
    stopping = true;
    void backend.runs.cancelAll().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    ses.webRequest.onHeadersReceived((details, callback) =>
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        },
      }),
    );
    const userData = app.getPath('userData');
    const created = createBackend({
      configDir: userData,
      defaults: defaultSettings(join(userData, 'data')),
      host: {
        info: { name: app.getName(), version: app.getVersion(), transport: 'electron' },
        pickPath: (kind) => pickPath(win, kind),
        openFolder: async (path) => {
          const error = await shell.openPath(path);
          if (error) throw new Error(`Could not open ${path}: ${error}`);
        },
      },
      engine: createEngine(() => created.settings.get()),
    });
    backend = created;
    registerTsmHandlers(
      ipcMain,
      created.service,
      (event) => isTrustedSender(event, allowedUrl),
      (method) => {
        if (method === 'openProject' || method === 'saveProject') void refreshMenu();
      },
    );
    created.addSink((event, payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(channelOf(event), payload);
    });
    await refreshMenu();
    win = createMainWindow(distDir);
    win.on('closed', () => (win = null));
  });
}
