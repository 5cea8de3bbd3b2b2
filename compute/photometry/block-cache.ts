/**
 * Fixed-size block cache over a ByteSource, so a 64 MB dust map is read piece by piece (only the
 * blocks around the queried pixels) and the bytes stay cached for the next batch, with a bounded
 * number of blocks (least recently used blocks are dropped).
 */
import type { ByteSource } from '../hats/byte-source';

export class BlockCache {
  private readonly blocks = new Map<number, DataView>();
  private fileSize = -1;
  /** The whole file, when it is small enough to keep (then no per-block bookkeeping). */
  private whole: DataView | null = null;

  /**
   * @param blockBytes block size (a multiple of 8 keeps FITS values inside one block)
   * @param maxBlocks cache bound; memory ≤ blockBytes·maxBlocks
   */
  constructor(
    readonly source: ByteSource,
    readonly blockBytes = 32768,
    readonly maxBlocks = 1024,
  ) {}

  /** True once the whole file is in memory (see {@link preloadIfSmall}). */
  get complete(): boolean {
    return this.whole !== null;
  }

  /** Reads the whole file once when it is at most `maxBytes` (default: a quarter of the bound). */
  async preloadIfSmall(maxBytes = (this.blockBytes * this.maxBlocks) / 4): Promise<void> {
    if (this.whole) return;
    if (this.fileSize < 0) this.fileSize = await this.source.size();
    if (this.fileSize > maxBytes) return;
    const bytes = await this.source.read(0, this.fileSize);
    this.whole = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  blockOf(byteOffset: number): number {
    return Math.floor(byteOffset / this.blockBytes);
  }

  /** Loads the given blocks (contiguous runs in one read each) and marks them recently used. */
  async ensure(blockIds: Iterable<number>): Promise<void> {
    if (this.whole) return;
    if (this.fileSize < 0) this.fileSize = await this.source.size();
    const missing: number[] = [];
    for (const id of blockIds) {
      const hit = this.blocks.get(id);
      if (hit) {
        this.blocks.delete(id);
        this.blocks.set(id, hit);
      } else missing.push(id);
    }
    missing.sort((a, b) => a - b);
    let i = 0;
    while (i < missing.length) {
      let j = i;
      while (j + 1 < missing.length && missing[j + 1] === missing[j] + 1 && j - i < 63) j++;
      const start = missing[i] * this.blockBytes;
      const end = Math.min((missing[j] + 1) * this.blockBytes, this.fileSize);
      const bytes = await this.source.read(start, end);
      for (let id = missing[i]; id <= missing[j]; id++) {
        const from = (id - missing[i]) * this.blockBytes;
        const len = Math.min(this.blockBytes, bytes.length - from);
        this.blocks.set(id, new DataView(bytes.buffer, bytes.byteOffset + from, Math.max(len, 0)));
      }
      i = j + 1;
    }
    while (this.blocks.size > this.maxBlocks) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }

  private byteAt(offset: number): number {
    const view = this.view(offset);
    return view.getUint8(offset % this.blockBytes);
  }

  private view(offset: number): DataView {
    const view = this.blocks.get(Math.floor(offset / this.blockBytes));
    if (!view) throw new Error(`BlockCache: byte ${offset} of ${this.source.name} not loaded`);
    return view;
  }

  /** Big-endian value of a FITS type letter ('E', 'D', 'J', 'I', 'K', 'B') at an absolute offset. */
  value(offset: number, type: string): number {
    if (this.whole) return readValue(this.whole, offset, type);
    const inBlock = offset % this.blockBytes;
    const size = type === 'E' || type === 'J' ? 4 : type === 'I' ? 2 : type === 'B' ? 1 : 8;
    let view = this.view(offset);
    let at = inBlock;
    if (inBlock + size > this.blockBytes) {
      const tmp = new Uint8Array(size);
      for (let k = 0; k < size; k++) tmp[k] = this.byteAt(offset + k);
      view = new DataView(tmp.buffer);
      at = 0;
    }
    return readValue(view, at, type);
  }
}

function readValue(view: DataView, at: number, type: string): number {
  switch (type) {
    case 'E':
      return view.getFloat32(at, false);
    case 'D':
      return view.getFloat64(at, false);
    case 'J':
      return view.getInt32(at, false);
    case 'I':
      return view.getInt16(at, false);
    case 'B':
      return view.getUint8(at);
    case 'K':
      return Number(view.getBigInt64(at, false));
    default:
      throw new Error(`BlockCache: unsupported FITS type ${type}`);
  }
}
