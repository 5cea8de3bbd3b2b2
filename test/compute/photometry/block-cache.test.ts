import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../../compute/hats/byte-source';
import { BlockCache } from '../../../compute/photometry/block-cache';

/** An in-memory source that counts reads. */
function memorySource(bytes: Uint8Array) {
  const reads: [number, number][] = [];
  const source: ByteSource = {
    name: 'memory',
    size: async () => bytes.length,
    read: async (start, end) => {
      reads.push([start, end]);
      return bytes.slice(start, end);
    },
  };
  return { source, reads };
}

describe('BlockCache', () => {
  const n = 1000;
  const bytes = new Uint8Array(n * 8 + 3);
  const view = new DataView(bytes.buffer);
  // float64 values at odd offsets (3 + 8k), so some straddle the 64-byte blocks
  for (let k = 0; k < n; k++) view.setFloat64(3 + 8 * k, k * 1.5 - 7, false);

  it('reads big-endian values, including ones straddling two blocks', async () => {
    const { source } = memorySource(bytes);
    const cache = new BlockCache(source, 64, 8);
    for (const k of [0, 7, 8, 500, 999]) {
      const off = 3 + 8 * k;
      await cache.ensure([cache.blockOf(off), cache.blockOf(off + 7)]);
      expect(cache.value(off, 'D')).toBe(k * 1.5 - 7);
    }
  });

  it('coalesces neighbouring blocks into one read and keeps at most maxBlocks', async () => {
    const { source, reads } = memorySource(bytes);
    const cache = new BlockCache(source, 64, 4);
    await cache.ensure([5, 3, 4]);
    expect(reads).toEqual([[192, 384]]);
    await cache.ensure([4, 10, 11]);
    expect(reads).toHaveLength(2);
    // 3 was the least recently used of {3, 5, 4, 10, 11}: evicted
    expect(() => cache.value(3 * 64, 'B')).toThrow(/not loaded/);
    expect(cache.value(5 * 64 + 3, 'B')).toBe(bytes[5 * 64 + 3]);
  });

  it('keeps a small file whole after preloadIfSmall', async () => {
    const { source, reads } = memorySource(bytes);
    const cache = new BlockCache(source, 64, 4);
    await cache.preloadIfSmall(1e6);
    expect(cache.complete).toBe(true);
    expect(cache.value(3 + 8 * 321, 'D')).toBe(321 * 1.5 - 7);
    expect(reads).toEqual([[0, bytes.length]]);
  });
});
