import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalDirStore, type ByteStore } from './byte-source';
import type { HttpStats } from './http-options';
import { HttpSession, type HttpSessionInput } from './http-session';
import { HttpStore } from './http-store';

/** Options of {@link openStore}: remote settings (ignored for local paths) or a shared session. */
export interface StoreOptions extends HttpSessionInput {
  /** Share caches, limits and counters with other stores (e.g. a catalog, its margin, the spec-z). */
  session?: HttpSession;
}

/**
 * A ByteStore for a catalog location: `http://` / `https://` URLs give an {@link HttpStore}
 * (range reads, disk cache, retries, offline mode); `file://` URLs and paths give a LocalDirStore.
 */
export function openStore(location: string, options: StoreOptions = {}): ByteStore {
  if (/^https?:\/\//i.test(location)) {
    const { session, ...settings } = options;
    return new HttpStore(location, session ?? new HttpSession(settings));
  }
  if (/^file:\/\//i.test(location)) return new LocalDirStore(fileURLToPath(location));
  return new LocalDirStore(resolve(location));
}

/** Whether a location is remote (http/https). */
export function isRemoteLocation(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** The transfer counters of a store when it is remote, else undefined. */
export function storeStats(store: ByteStore): HttpStats | undefined {
  return store instanceof HttpStore ? store.stats() : undefined;
}
