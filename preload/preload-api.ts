import {
  TSM_EVENTS,
  TSM_METHOD_NAMES,
  channelOf,
  type TsmApi,
  type TsmEventName,
  type TsmMethod,
} from './api';
import { unwrapReply } from './reply';

/** The two ipcRenderer operations the preload needs (injected so tests need no Electron). */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds the object exposed as `window.tsm`: one named method per TsmApi method (never a generic
 * `invoke(channel)`), each forwarding to its own `tsm:<name>` channel, and `on()` limited to the
 * events of TsmEvents.
 */
export function buildPreloadApi(ipc: IpcLike): TsmApi {
  const api: Record<string, unknown> = {};
  for (const name of TSM_METHOD_NAMES) {
    const channel = channelOf(name);
    api[name] = async (...args: unknown[]) => unwrapReply(await ipc.invoke(channel, ...args));
  }
  api.on = (event: TsmEventName, listener: (payload: unknown) => void) => {
    if (!Object.hasOwn(TSM_EVENTS, event)) throw new Error(`Unknown TSM event '${event}'`);
    return ipc.on(channelOf(event), listener);
  };
  return api as unknown as TsmApi & Record<TsmMethod, unknown>;
}
