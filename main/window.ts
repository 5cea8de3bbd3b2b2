import { BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { secureWebPreferences } from './security';

/** The windows this app created; IPC from any other web contents is refused. */
const appWindows = new Set<number>();

/** `dist/renderer/index.html` as a file URL (dist/main.js sits beside dist/renderer/). */
export function rendererUrl(distDir: string): string {
  return pathToFileURL(join(distDir, 'renderer', 'index.html')).href;
}

/**
 * The sender check of every IPC handler: the message must come from the main frame of a window
 * this app created, showing our renderer page (electron security checklist, "validate the sender
 * of all IPC messages").
 */
export function isTrustedSender(event: IpcMainInvokeEvent, expectedUrl: string): boolean {
  const win = BrowserWindow.fromWebContents(event.sender);
  if (!win || !appWindows.has(win.id)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return frame.url.split(/[?#]/)[0] === expectedUrl;
}

/** Blocks navigation away from the renderer, new windows and webviews (hardening). */
export function lockDownContents(contents: WebContents, allowedUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (url.split(/[?#]/)[0] !== allowedUrl) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (url.split(/[?#]/)[0] !== allowedUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The main window: isolated, sandboxed, no Node, showing dist/renderer/index.html. */
export function createMainWindow(distDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Training Set Maker',
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: secureWebPreferences(join(distDir, 'preload.cjs')),
  });
  appWindows.add(win.id);
  const id = win.id;
  win.on('closed', () => appWindows.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl(distDir));
  return win;
}
