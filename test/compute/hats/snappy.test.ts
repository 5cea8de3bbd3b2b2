/**
 * The Snappy decoder (compute/hats/snappy.ts) against the reference implementation compiled to
 * wasm (hysnappy: its compressor makes the input, its decompressor is the oracle): data that does
 * not compress (long literals, 1 to 4 length bytes), runs and repeats (copies with 1, 2 and 4 byte
 * offsets, overlapping copies), tiny inputs; and corrupted streams end in an Error, never a
 * wrong-length result or a hang.
 */
import { snappyCompress, snappyUncompress as reference } from 'hysnappy';
import { describe, expect, it } from 'vitest';
import { snappyUncompress } from '../../../compute/hats/snappy';
import { mulberry32 } from '../crossmatch/sky';

const rand = mulberry32(20261125);

function sample(kind: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    if (kind === 'random') out[i] = Math.floor(rand() * 256);
    else if (kind === 'zeros') out[i] = 0;
    else if (kind === 'text')
      out[i] = 'the galaxy at redshift '.charCodeAt(i % 23) ^ (i % 97 === 0 ? 1 : 0);
    else if (kind === 'mixed') out[i] = i % 4096 < 2048 ? Math.floor(rand() * 256) : (i * 7) & 0xff;
  }
  if (kind === 'floats')
    for (let i = 0; i + 4 <= n; i += 4) view.setFloat32(i, 15 + rand() * 10, true);
  return out;
}

describe('snappyUncompress', () => {
  it('equals the reference decoder on data of every kind and size', () => {
    let cases = 0;
    for (const kind of ['random', 'zeros', 'text', 'mixed', 'floats']) {
      for (const n of [0, 1, 5, 59, 60, 61, 255, 256, 257, 4096, 65535, 65536, 65537, 300_000]) {
        const raw = sample(kind, n);
        const packed = snappyCompress(raw);
        const out = new Uint8Array(n);
        snappyUncompress(packed, out);
        expect(Buffer.compare(out, raw), `${kind} ${n}`).toBe(0);
        expect(Buffer.compare(out, reference(packed, n)), `${kind} ${n}`).toBe(0);
        cases++;
      }
    }
    expect(cases).toBe(70);
  });

  it('decodes hand-made streams: long literal lengths and 4-byte copy offsets', () => {
    // literal of 300 bytes (tag 61 << 2: two length bytes), then a 4-byte-offset copy of 10 bytes
    const literal = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) & 0xff);
    const stream = Uint8Array.of(
      ...[(310 & 0x7f) | 0x80, 310 >> 7],
      61 << 2,
      (300 - 1) & 0xff,
      (300 - 1) >> 8,
      ...literal,
      ((10 - 1) << 2) | 3,
      300 & 0xff,
      300 >> 8,
      0,
      0,
    );
    const out = new Uint8Array(310);
    snappyUncompress(stream, out);
    expect(Buffer.compare(out.subarray(0, 300), literal)).toBe(0);
    expect(Buffer.compare(out.subarray(300), literal.subarray(0, 10))).toBe(0);
    expect(Buffer.compare(out, reference(stream, 310))).toBe(0);
  });

  it('refuses corrupted streams with an Error', () => {
    const raw = sample('mixed', 20_000);
    const packed = snappyCompress(raw);
    let refused = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const bad = packed.slice(0, trial % 3 === 0 ? Math.floor(rand() * packed.length) : undefined);
      for (let k = 0; k < 3; k++)
        bad[Math.floor(rand() * bad.length)] ^= 1 << Math.floor(rand() * 8);
      const out = new Uint8Array(raw.length);
      try {
        snappyUncompress(bad, out);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/^snappy: /);
        refused++;
        continue;
      }
      // a flip inside a literal still decodes, to the same bytes as the reference
      expect(Buffer.compare(out, reference(bad, raw.length))).toBe(0);
    }
    expect(refused).toBeGreaterThan(500);
  });
});
