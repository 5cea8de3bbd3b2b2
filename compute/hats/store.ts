import { resolve } from 'node:path';
import { LocalDirStore, type ByteStore } from './byte-source';

/** A ByteStore for a catalog location: a local folder path (http(s) URLs come with remote support). */
export function openStore(location: string): ByteStore {
  return new LocalDirStore(resolve(location));
}
