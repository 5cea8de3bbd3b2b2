import { RemoteFile } from './http-file';
import type { HttpSession } from './http-session';
import type { ByteSource } from './byte-source';

/**
 * A ByteSource over HTTP(S): `read(start, end)` fetches only the aligned blocks that cover the
 * range (from memory, the disk cache, or one Range request per run of adjacent missing blocks).
 * Nothing is fetched until `size()` or `read()` is called.
 */
export class HttpSource implements ByteSource {
  private readonly file: RemoteFile;

  constructor(
    readonly session: HttpSession,
    readonly name: string,
  ) {
    this.file = RemoteFile.of(session, name);
  }

  /** Total size in bytes (the first call of the run sends one small tail request, or none offline). */
  async size(): Promise<number> {
    return (await this.file.info()).size;
  }

  /** The validator the run is pinned to (ETag, else Last-Modified), for run records. */
  async version(): Promise<string | undefined> {
    const info = await this.file.info();
    return info.etag ?? info.lastModified;
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    const total = await this.size();
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > total ||
      start > end
    ) {
      throw new RangeError(
        `${this.name}: byte range ${start}-${end} is outside the file (${total} bytes)`,
      );
    }
    if (start === end) return new Uint8Array(0);
    const B = this.session.options.blockBytes;
    const first = Math.floor(start / B);
    const last = Math.floor((end - 1) / B);
    const blocks = await this.file.blocks(first, last);
    if (blocks.length === 1) {
      const from = start - first * B;
      // A copy: callers own the result (and its whole .buffer), the cached block stays intact.
      return blocks[0].slice(from, from + (end - start));
    }
    const out = new Uint8Array(end - start);
    let at = 0;
    blocks.forEach((block, k) => {
      const blockStart = (first + k) * B;
      const from = Math.max(start, blockStart) - blockStart;
      const to = Math.min(end, blockStart + block.length) - blockStart;
      out.set(block.subarray(from, to), at);
      at += to - from;
    });
    return out;
  }
}
