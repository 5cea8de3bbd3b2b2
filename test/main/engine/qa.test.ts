import { Table, tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { PositionSet } from '../../../main/engine/position-set';
import {
  computeQa,
  HistogramBuilder,
  KEEP_BYTES,
  qaColumns,
  Reservoir,
} from '../../../main/engine/qa';

/** Brute-force histogram: bin i holds v with edges[i] <= v < edges[i+1] (last bin closed). */
function bruteHistogram(values: number[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    for (let i = 0; i < counts.length; i++) {
      const last = i === counts.length - 1;
      if (v >= edges[i] && (v < edges[i + 1] || (last && v <= edges[i + 1]))) {
        counts[i]++;
        break;
      }
    }
  }
  return counts;
}

describe('HistogramBuilder', () => {
  it('matches a brute-force count over its own edges', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 3 + 1);
    const h = new HistogramBuilder(Number.isFinite, 17);
    for (const v of values) h.scan(v);
    for (const v of values) h.count(v);
    const { edges, counts } = h.result();
    expect(edges[0]).toBe(Math.min(...values));
    expect(edges[17]).toBe(Math.max(...values));
    expect(counts).toEqual(bruteHistogram(values, edges));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('draws values that are all the same in the middle bin of +-5 % around them', () => {
    // a training set of one row (the demo spec-z row at z 0.70844, 0.13068 arcsec away): the
    // axes ran from the value to the value + 8 (z to 8.7, separations to 8.1 arcsec)
    for (const [value, times] of [
      [0.70844, 1],
      [0.13068, 1],
      [24.40877, 3],
    ] as const) {
      const h = new HistogramBuilder();
      for (let i = 0; i < times; i++) h.scan(value);
      for (let i = 0; i < times; i++) h.count(value);
      const { edges, counts } = h.result();
      expect(counts).toEqual([0, 0, 0, 0, times, 0, 0, 0, 0]);
      expect(edges[0]).toBeCloseTo(value * 0.95, 12);
      expect(edges[9]).toBeCloseTo(value * 1.05, 12);
      expect(edges[4]).toBeLessThan(value);
      expect(edges[5]).toBeGreaterThan(value);
    }
    const zero = new HistogramBuilder();
    zero.scan(0);
    zero.count(0);
    expect(zero.result().edges[0]).toBe(-0.5);
    expect(zero.result().edges[9]).toBeCloseTo(0.5, 12);
    expect(zero.result().counts[4]).toBe(1);
  });

  it('skips values it does not accept and gives no bins without data', () => {
    const h = new HistogramBuilder((v) => Number.isFinite(v) && v < 50, 4);
    for (const v of [NaN, 99, Infinity]) h.scan(v);
    for (const v of [NaN, 99, Infinity]) h.count(v);
    expect(h.result()).toEqual({ edges: [], counts: [] });
  });
});

describe('HistogramBuilder bin count', () => {
  it('uses the square-root rule between 8 and 40 bins when none is fixed', () => {
    const binsFor = (n: number) => {
      const h = new HistogramBuilder();
      for (let i = 0; i < n; i++) h.scan(i);
      for (let i = 0; i < n; i++) h.count(i);
      const { counts } = h.result();
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      return counts.length;
    };
    expect(binsFor(20)).toBe(8);
    expect(binsFor(100)).toBe(10);
    expect(binsFor(1000)).toBe(32);
    expect(binsFor(5000)).toBe(40);
  });
});

describe('Reservoir', () => {
  it('keeps every point under its size and exactly its size above, from the input', () => {
    const small = new Reservoir(10, 1);
    for (let i = 0; i < 5; i++) small.add(i, -i);
    expect(small.points).toEqual([0, 1, 2, 3, 4].map((i) => [i, -i]));
    const big = new Reservoir(10, 1);
    for (let i = 0; i < 1000; i++) big.add(i, 2 * i);
    expect(big.points).toHaveLength(10);
    for (const [x, y] of big.points) expect(y).toBe(2 * x);
    const again = new Reservoir(10, 1);
    for (let i = 0; i < 1000; i++) again.add(i, 2 * i);
    expect(again.points).toEqual(big.points);
  });
});

describe('qaColumns', () => {
  it('finds suffixed spec-z columns on clashes and dereddened magnitudes in band order', () => {
    const names = [
      'ra_specz',
      'dec_specz',
      'z',
      'ra',
      'dec',
      'mag_cmodel_r',
      'mag_dered_cmodel_r',
      'mag_dered_cmodel_g',
      'magerr_cmodel_g',
      '_dist_arcsec',
    ];
    expect(qaColumns(names, { ra: 'ra', dec: 'dec', z: 'z' })).toEqual({
      ra: 'ra_specz',
      dec: 'dec_specz',
      z: 'z',
      dist: '_dist_arcsec',
      bands: [
        { band: 'g', column: 'mag_dered_cmodel_g' },
        { band: 'r', column: 'mag_dered_cmodel_r' },
      ],
    });
  });
});

describe('computeQa', () => {
  it('counts z, separation and magnitudes over all batches and splits matched/unmatched by separation', async () => {
    const a = tableFromArrays({
      ra: Float64Array.from([10, 11, 12]),
      dec: Float64Array.from([-1, -2, -3]),
      z: Float64Array.from([0.1, 0.5, 0.9]),
      _dist_arcsec: Float64Array.from([0.1, NaN, 0.3]),
      mag_auto_g: Float64Array.from([20, 99, 22]),
      mag_auto_r: Float64Array.from([19, 21, 21]),
    });
    const b = tableFromArrays({
      ra: Float64Array.from([13]),
      dec: Float64Array.from([-4]),
      z: Float64Array.from([0.3]),
      _dist_arcsec: Float64Array.from([0.2]),
      mag_auto_g: Float64Array.from([21]),
      mag_auto_r: Float64Array.from([20.5]),
    });
    async function* batches(): AsyncGenerator<Table> {
      yield a;
      yield b;
    }
    const qa = await computeQa(
      batches,
      { ra: 'ra', dec: 'dec', z: 'z' },
      { points: [[50, 50]], count: 7 },
    );
    expect(qa.sky.matched).toEqual([
      [10, -1],
      [12, -3],
      [13, -4],
    ]);
    expect(qa.sky.unmatched).toEqual([
      [50, 50],
      [11, -2],
    ]);
    // all rows counted: 3 matched in the output; the 7 the extra sample stands for + 1 in the output
    expect(qa.sky.matchedCount).toBe(3);
    expect(qa.sky.unmatchedCount).toBe(8);
    expect(qa.sky.note).toBeUndefined();
    expect(qa.redshift.counts.reduce((s, c) => s + c, 0)).toBe(4);
    expect(qa.redshift.edges[0]).toBe(0.1);
    expect(qa.redshift.edges.at(-1)).toBe(0.9);
    expect(qa.separationArcsec.counts.reduce((s, c) => s + c, 0)).toBe(3);
    expect(
      qa.magnitudes.map((m) => [m.band, m.histogram.counts.reduce((s, c) => s + c, 0)]),
    ).toEqual([
      ['g', 3],
      ['r', 4],
    ]);
    expect(qa.colourVsRedshift?.label).toBe('g-r');
    expect(qa.colourVsRedshift?.points).toEqual([
      [0.1, 1],
      [0.9, 1],
      [0.3, 0.5],
    ]);
  });

  it('draws every band on the same bins, so that their counts compare on one axis', async () => {
    // the same density of rows in both bands, but u reaches 2 magnitudes further than g (g's
    // other rows are non-detections): on bins of its own, each of u's bins was twice as wide
    // and held twice the rows of g's
    const u = Array.from({ length: 800 }, (_, i) => 20 + (4 * i) / 800);
    const g = u.map((m) => (m < 22 ? m : NaN));
    const table = tableFromArrays({
      ra: new Float64Array(800).fill(10),
      dec: new Float64Array(800).fill(-1),
      z: new Float64Array(800).fill(0.5),
      _dist_arcsec: new Float64Array(800).fill(0.1),
      mag_cmodel_u: Float64Array.from(u),
      mag_cmodel_g: Float64Array.from(g),
    });
    async function* batches(): AsyncGenerator<Table> {
      yield table;
    }
    const qa = await computeQa(batches, { ra: 'ra', dec: 'dec', z: 'z' });
    const [hu, hg] = qa.magnitudes.map((m) => m.histogram);
    expect(qa.magnitudes.map((m) => m.band)).toEqual(['u', 'g']);
    // ceil(sqrt(800)) = 29 bins (g alone: 20) over the range of both, 20 to u's largest
    expect(hg.edges).toEqual(hu.edges);
    expect(hu.edges).toHaveLength(30);
    expect(hu.edges[0]).toBe(20);
    expect(hu.edges[29]).toBe(u[799]);
    expect(hu.counts).toEqual(bruteHistogram(u, hu.edges));
    expect(hg.counts).toEqual(bruteHistogram(g.filter(Number.isFinite), hg.edges));
    // the same density, the same height (within a row) in every bin of g's range; none above it
    for (let k = 0; k < 29; k++) {
      if (hu.edges[k + 1] <= 22)
        expect(Math.abs(hg.counts[k] - hu.counts[k])).toBeLessThanOrEqual(1);
      if (hu.edges[k] >= 22) expect(hg.counts[k]).toBe(0);
    }
  });

  it('reads the output once: the second pass and the unmatched spec-z use what the first read', async () => {
    const rows = (from: number, n: number) =>
      tableFromArrays({
        ra: Float64Array.from({ length: n }, (_, i) => from + i),
        dec: Float64Array.from({ length: n }, (_, i) => -(from + i)),
        z: Float64Array.from({ length: n }, (_, i) => (from + i) / 10),
        _dist_arcsec: Float64Array.from({ length: n }, (_, i) =>
          (from + i) % 4 === 0 ? NaN : 0.5,
        ),
      });
    let reads = 0;
    async function* batches(): AsyncGenerator<Table> {
      reads++;
      yield rows(0, 6);
      yield rows(6, 4);
    }
    let given: PositionSet | null = null;
    const qa = await computeQa(batches, { ra: 'ra', dec: 'dec', z: 'z' }, async (output) => {
      given = output;
      // the spec-z rows whose positions the output does not hold
      const specz: [number, number][] = [
        [3, -3],
        [42, -42],
        [9, -9],
        [43, -43],
      ];
      const missing = specz.filter(([ra, dec]) => !output.has(ra, dec));
      return { points: missing, count: missing.length };
    });
    expect(reads).toBe(1);
    expect(given!.size).toBe(10);
    // sampled in the order of old: the spec-z without a match, then the output's rows without one
    expect(qa.sky.unmatched).toEqual([
      [42, -42],
      [43, -43],
      [0, -0],
      [4, -4],
      [8, -8],
    ]);
    expect(qa.sky.unmatchedCount).toBe(5);
    expect(qa.sky.matched).toHaveLength(7);
    expect(qa.redshift.counts.reduce((s, c) => s + c, 0)).toBe(10);
  });

  it('reads an output too large to keep twice, and gives the same data', async () => {
    const n = 70_000;
    const table = tableFromArrays({
      ra: Float64Array.from({ length: n }, (_, i) => (i * 0.37) % 360),
      dec: Float64Array.from({ length: n }, (_, i) => ((i * 0.11) % 180) - 90),
      z: Float64Array.from({ length: n }, (_, i) => (i % 1000) / 500),
      _dist_arcsec: Float64Array.from({ length: n }, (_, i) => (i % 9) / 10),
    });
    const reads: number[] = [];
    const read = (copies: number) =>
      async function* (): AsyncGenerator<Table> {
        reads.push(copies);
        for (let k = 0; k < copies; k++) yield table;
      };
    // 8 bytes x 4 columns x 70,000 rows = 2.24 MB a batch: 120 batches are more than KEEP_BYTES
    const copies = Math.ceil(KEEP_BYTES / (8 * 4 * n)) + 1;
    const big = await computeQa(read(copies), { ra: 'ra', dec: 'dec', z: 'z' });
    expect(reads).toEqual([copies, copies]);
    expect(big.redshift.counts.reduce((s, c) => s + c, 0)).toBe(copies * n);
    const small = await computeQa(read(1), { ra: 'ra', dec: 'dec', z: 'z' });
    expect(reads.slice(2)).toEqual([1]);
    expect(small.redshift.counts.map((c) => c * copies)).toEqual(big.redshift.counts);
  });
});
