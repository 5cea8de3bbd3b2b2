/**
 * A local map file kept open between reads: dust-map look-ups read many small blocks, and
 * opening the file for each (as LocalFileSource does) dominates the time otherwise. It holds a
 * plain file descriptor (not a FileHandle, which Node warns about when garbage-collected);
 * `close()` releases it, otherwise it lives as long as the process.
 */
import { close, open, read, stat } from 'node:fs';
import { promisify } from 'node:util';
import type { ByteSource } from '../hats/byte-source';

const openAsync = promisify(open);
const readAsync = promisify(read);
const closeAsync = promisify(close);
const statAsync = promisify(stat);

export class MapFileSource implements ByteSource {
  private fd: Promise<number> | null = null;
  private sizeBytes: number | undefined;

  constructor(readonly name: string) {}

  async size(): Promise<number> {
    this.sizeBytes ??= (await statAsync(this.name)).size;
    return this.sizeBytes;
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    const total = await this.size();
    if (start < 0 || end > total || start > end) {
      throw new RangeError(
        `${this.name}: byte range ${start}-${end} is outside the file (${total} bytes)`,
      );
    }
    this.fd ??= openAsync(this.name, 'r');
    const fd = await this.fd;
    const out = new Uint8Array(end - start);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await readAsync(fd, out, done, out.length - done, start + done);
      if (bytesRead === 0) throw new Error(`${this.name}: file ended early (truncated?)`);
      done += bytesRead;
    }
    return out;
  }

  /** Closes the file (it reopens on the next read). */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = null;
    if (fd) await closeAsync(await fd);
  }
}
