/**
 * A local map file kept open between reads: dust-map look-ups read many small blocks, and
 * opening the file for each (as LocalFileSource does) dominates the time otherwise.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../hats/byte-source';

export class MapFileSource implements ByteSource {
  private handle: Promise<FileHandle> | null = null;
  private sizeBytes: number | undefined;

  constructor(readonly name: string) {}

  async size(): Promise<number> {
    this.sizeBytes ??= (await stat(this.name)).size;
    return this.sizeBytes;
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    const total = await this.size();
    if (start < 0 || end > total || start > end) {
      throw new RangeError(
        `${this.name}: byte range ${start}-${end} is outside the file (${total} bytes)`,
      );
    }
    this.handle ??= open(this.name, 'r');
    const handle = await this.handle;
    const out = new Uint8Array(end - start);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
      if (bytesRead === 0) throw new Error(`${this.name}: file ended early (truncated?)`);
      done += bytesRead;
    }
    return out;
  }

  /** Closes the file (it reopens on the next read). */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) await (await h).close();
  }
}
