import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDirStore, type ByteSource, type ByteStore } from '../../../compute/hats/byte-source';
import { testTempDir } from '../../helpers/temp-dir';

/** A ByteStore that counts the data bytes read through it (to prove projection reads less). */
export class CountingStore implements ByteStore {
  private readonly inner: ByteStore;
  constructor(
    readonly root: string,
    private readonly counter: { bytesRead: number; footerReads: number } = {
      bytesRead: 0,
      footerReads: 0,
    },
  ) {
    this.inner = new LocalDirStore(root);
  }
  /** Data bytes read (reads that do not end at the end of the file). */
  get total(): number {
    return this.counter.bytesRead;
  }
  /** Reads that end at the end of a file (parquet footers). */
  get footerReads(): number {
    return this.counter.footerReads;
  }
  open(relPath: string): ByteSource {
    const source = this.inner.open(relPath);
    const counter = this.counter;
    return {
      name: source.name,
      size: () => source.size(),
      async read(start, end) {
        // Reads that end at the end of the file are footer reads; count the others (data).
        if (end < (await source.size())) counter.bytesRead += end - start;
        else counter.footerReads++;
        return source.read(start, end);
      },
    };
  }
  exists(relPath: string) {
    return this.inner.exists(relPath);
  }
  readText(relPath: string) {
    return this.inner.readText(relPath);
  }
  list(relPath: string) {
    return this.inner.list(relPath);
  }
  child(relPath: string): ByteStore {
    return new CountingStore(join(this.root, relPath), this.counter);
  }
}

/**
 * Copies a fixture folder into a fresh temp folder and returns the copy; call inside a test, the
 * copy is removed when the test ends (an afterAll registered inside a running test never ran, and
 * each run left its copies in the temp folder).
 */
export function tempCopy(source: string): string {
  const dir = testTempDir('tsm-hats-');
  const dest = join(dir, 'copy');
  cpSync(source, dest, { recursive: true });
  return dest;
}
