import type { IpcMainInvokeEvent } from 'electron';
import { TSM_METHOD_NAMES, channelOf, type TsmMethod } from '../preload/api';
import type { Reply } from '../preload/reply';
import { dispatch, type TsmService } from './dispatch';

/** The part of ipcMain the handlers need (a fake in tests). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export const REFUSED_MESSAGE =
  'Refused: the request did not come from a Training Set Maker window.';

/**
 * Registers one `ipcMain.handle` per TsmApi method (the list comes from TSM_METHODS, so a method
 * cannot be forgotten). Every call first checks its sender frame, then its arguments (zod, in
 * dispatch). `after` runs after each successful call (e.g. to refresh File > Open Recent).
 * Returns a function that removes the handlers.
 */
export function registerTsmHandlers(
  ipcMain: IpcMainLike,
  service: TsmService,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  after?: (method: TsmMethod) => void,
): () => void {
  for (const method of TSM_METHOD_NAMES) {
    ipcMain.handle(channelOf(method), async (event, ...args): Promise<Reply> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { name: 'SecurityError', message: REFUSED_MESSAGE } };
      }
      const reply = await dispatch(service, method, args);
      if (reply.ok) after?.(method);
      return reply;
    });
  }
  return () => {
    for (const method of TSM_METHOD_NAMES) ipcMain.removeHandler(channelOf(method));
  };
}
