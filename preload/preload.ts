/**
 * Exposes TsmApi as `window.tsm` through contextBridge. Sandboxed preloads may only require
 * 'electron', so this file imports nothing else at run time (api.ts is types + constants that
 * esbuild inlines).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld(
  'tsm',
  buildPreloadApi({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    on: (channel, listener) => {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => ipcRenderer.removeListener(channel, wrapped);
    },
  }),
);
