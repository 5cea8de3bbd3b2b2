import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors';
import { LocalDirStore, type ByteStore } from './byte-source';
import type { HttpStats } from './http-options';
import { HttpSession, type HttpSessionInput } from './http-session';
import { HttpStore } from './http-store';

/** Options of {@link openStore}: remote settings (ignored for local paths) or a shared session. */
export interface StoreOptions extends HttpSessionInput {
  /** Share caches, limits and counters with other stores (e.g. a catalog, its margin, the spec-z). */
  session?: HttpSession;
}

let defaultInput: HttpSessionInput = {};
let defaultSession: HttpSession | undefined;

/**
 * Sets the remote settings used by `openStore(url)` calls that pass no options (the HATS reader,
 * catalogs reopened inside worker threads), and starts a fresh default session with them.
 */
export function configureRemoteDefaults(options: HttpSessionInput): void {
  defaultInput = { ...options };
  defaultSession = undefined;
}

/** The session shared by every `openStore(url)` without options (created on first use). */
export function defaultRemoteSession(): HttpSession {
  defaultSession ??= new HttpSession(defaultInput);
  return defaultSession;
}

/**
 * A ByteStore for a catalog location: `http://` / `https://` URLs give an {@link HttpStore}
 * (range reads, disk cache, retries, offline mode); `file://` URLs and paths give a LocalDirStore.
 * Remote stores opened without options share the default session ({@link configureRemoteDefaults}).
 */
export function openStore(location: string, options: StoreOptions = {}): ByteStore {
  if (/^https?:\/\//i.test(location)) {
    const { session, ...settings } = options;
    const shared =
      session ?? (Object.keys(settings).length === 0 ? defaultRemoteSession() : undefined);
    return new HttpStore(location, shared ?? new HttpSession(settings));
  }
  if (/^file:\/\//i.test(location)) return new LocalDirStore(fileURLToPath(location));
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(location);
  if (scheme) {
    throw new UserError(
      `${location}: ${scheme[1]}:// locations are not supported. Give a local folder or an http(s) URL ` +
        '(public s3:// buckets usually have an https:// address too).',
    );
  }
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
