import { describe, expect, it } from 'vitest';
import { snappyCompress, snappyUncompress } from 'hysnappy';
import { snappyUncompressInPlace } from '../../../compute/hats/snappy-in-place';

/** Bytes that compress in parts (runs, repeats) and not in others (noise), seeded. */
function sampleBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = i % 3000 < 1000 ? i & 7 : s >>> 24;
  }
  return out;
}

describe('snappyUncompressInPlace', () => {
  it("gives hysnappy's own result, for small and large pages in any order", () => {
    // a large page grows the decoder's memory between two small ones
    for (const [n, seed] of [
      [10, 1],
      [200_000, 2],
      [3_000_000, 3],
      [70_000, 4],
      [0, 5],
    ]) {
      const original = sampleBytes(n, seed);
      const packed = snappyCompress(original);
      const page = snappyUncompressInPlace(packed, n);
      expect(page.length).toBe(n);
      expect(Buffer.from(page).equals(Buffer.from(original))).toBe(true);
      expect(Buffer.from(page).equals(Buffer.from(snappyUncompress(packed, n)))).toBe(true);
    }
  });

  it('rejects a page whose header length disagrees with its Snappy stream', () => {
    const packed = snappyCompress(sampleBytes(5000, 7));
    expect(() => snappyUncompressInPlace(packed, 4999)).toThrow(/holds 5000 bytes.*says 4999/);
    expect(() => snappyUncompressInPlace(packed, 6000)).toThrow(/holds 5000 bytes.*says 6000/);
  });

  it('rejects a stream cut short', () => {
    const packed = snappyCompress(sampleBytes(5000, 8));
    expect(() => snappyUncompressInPlace(packed.subarray(0, packed.length - 100), 5000)).toThrow(
      /snappy/,
    );
  });
});
