import { describe, expect, it } from 'vitest';
import { argsortBigInt } from '../../../compute/io/arrow-columns';
import { csvQuote, formatFloat32 } from '../../../compute/io/csv-writer';
import { histogramAtOrder, planPartitions } from '../../../compute/io/hats-partition';
import { parseSexagesimal } from '../../../compute/io/specz-angles';

describe('argsortBigInt', () => {
  it('orders like a BigInt comparison, ties by index (stable), across sign and 2^32 boundaries', () => {
    const values = [
      3187422220182231470n,
      -5n,
      0n,
      4294967296n,
      4294967295n,
      3187422220182231470n,
      -9223372036854775808n,
      9223372036854775807n,
      1n << 53n,
      (1n << 53n) + 1n,
    ];
    const keys = BigInt64Array.from(values);
    const want = values
      .map((v, i) => [v, i] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
      .map(([, i]) => i);
    expect([...argsortBigInt(keys)]).toEqual(want);
  });

  it('orders many keys (the radix path) like a BigInt comparison, ties by index', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const word = () => BigInt(Math.floor(random() * 2 ** 32));
    const cases: bigint[][] = [
      // any int64, with repeats
      Array.from({ length: 30_000 }, (_, i) =>
        i % 7 === 0 ? -5n : BigInt.asIntN(64, (word() << 32n) | word()),
      ),
      // order-29 HEALPix indices of one field: high digits shared, so those passes are skipped
      Array.from(
        { length: 30_000 },
        () => 3187422220182231470n + BigInt(Math.floor(random() * 2 ** 40)),
      ),
      // keys that differ only in one middle digit, and all equal
      Array.from({ length: 5_000 }, (_, i) => BigInt(i % 13) << 20n),
      Array.from({ length: 5_000 }, () => 42n),
    ];
    for (const values of cases) {
      const want = values
        .map((v, i) => [v, i] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
        .map(([, i]) => i);
      expect([...argsortBigInt(BigInt64Array.from(values))]).toEqual(want);
    }
  });
});

describe('CSV text', () => {
  it('formatFloat32 reads back as the same float32 and is short for round values', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 20000; i++) {
      const v = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 20 - 10));
      expect(Math.fround(Number(formatFloat32(v)))).toBe(v);
    }
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Math.fround(22.5))).toBe('22.5');
    expect(formatFloat32(Math.fround(3))).toBe('3');
  });

  it('quotes per RFC 4180', () => {
    expect(csvQuote('plain')).toBe('plain');
    expect(csvQuote('a,b')).toBe('"a,b"');
    expect(csvQuote('say "hi"')).toBe('"say ""hi"""');
    expect(csvQuote('two\nlines')).toBe('"two\nlines"');
    expect(csvQuote('')).toBe('""');
  });
});

describe('planPartitions', () => {
  it('lowers the highest order while bins fit, then keeps lone non-empty children unmerged', () => {
    // order 2: pixels 0 and 1 (children of order-1 pixel 0) have rows; pixel 100 alone
    const hp = new BigInt64Array([0n, 0n, 1n, 100n].map((p) => p << 54n));
    const hist = histogramAtOrder(hp, 2);
    const plan = planPartitions(hist, { partitionRows: 10, highestOrder: 2 });
    // order-1 bins (max 3) fit in 10 rows, so the effective highest order is 1 (never 0 itself);
    // at order 0 each quad has a single non-empty child (sum == max), so nothing merges further
    expect(plan).toEqual([
      { order: 1, pixel: 0, rows: 3 },
      { order: 1, pixel: 25, rows: 1 },
    ]);
  });

  it('refuses a pixel holding more rows than a partition may', () => {
    const hist = histogramAtOrder(new BigInt64Array([5n, 5n, 5n]), 3);
    expect(() => planPartitions(hist, { partitionRows: 2, highestOrder: 3 })).toThrow(
      /holds 3 rows/,
    );
  });
});

describe('parseSexagesimal', () => {
  it('reads hours for ra and degrees for dec, with signs', () => {
    expect(parseSexagesimal('10:00:00', true)).toBe(150);
    expect(parseSexagesimal('12h30m00s', true)).toBe(187.5);
    expect(parseSexagesimal('-00:30:00', false)).toBe(-0.5);
    expect(parseSexagesimal('+45d00m36s', false)).toBeCloseTo(45.01, 12);
    expect(parseSexagesimal('10:61:00', true)).toBeNaN();
  });
});

describe('writeFloat32Ascii', () => {
  it('writes text that reads back as the same float32, short for round values', async () => {
    const { writeFloat32Ascii } = await import('../../../compute/io/csv-float32');
    const out = new Uint8Array(64);
    const dec = new TextDecoder();
    let seed = 5;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let written = 0;
    for (let i = 0; i < 50000; i++) {
      const v = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 24 - 8));
      const end = writeFloat32Ascii(v, out, 0);
      if (end < 0) continue; // outside [1e-6, 1e15): the caller uses formatFloat32
      written++;
      const text = dec.decode(out.subarray(0, end));
      expect(Math.fround(Number(text))).toBe(v);
    }
    expect(written).toBeGreaterThan(30000);
    const show = (v: number) =>
      dec.decode(out.subarray(0, writeFloat32Ascii(Math.fround(v), out, 0)));
    expect([0.1, 22.5, 3, 100, 0.000123, -1234.5].map(show)).toEqual([
      '0.1',
      '22.5',
      '3',
      '100',
      '0.000123',
      '-1234.5',
    ]);
  });
});
