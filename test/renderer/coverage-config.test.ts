import { describe, expect, it } from 'vitest';
import { pixelBoundary } from '../../compute/healpix';
import {
  coverageConfig,
  histogramConfig,
  multiHistogramConfig,
  paddedRange,
  skyConfig,
  unwrapRing,
} from '../../renderer/components/charts/chart-configs';

const ringOf = (order: number, pixel: number): [number, number][] => {
  const r = pixelBoundary(order, pixel, 8).map((p): [number, number] => [p.raDeg, p.decDeg]);
  return [...r, r[0]];
};
const xsOf = (config: ReturnType<typeof coverageConfig>) =>
  (config.data.datasets[0].data as { x: number; y: number }[]).map((p) => p.x);

describe('coverage outlines', () => {
  it('keeps a partition across RA 0/360 one shape, drawn at both edges', () => {
    // Order 0 pixel 4 is centred on RA 0, Dec 0: its ring spans RA -45..45 once unwrapped.
    const ring = unwrapRing(ringOf(0, 4));
    for (let i = 1; i < ring.length; i++) {
      expect(Math.abs(ring[i][0] - ring[i - 1][0])).toBeLessThanOrEqual(180);
    }
    expect(Math.min(...ring.map((p) => p[0]))).toBeCloseTo(-45, 9);
    expect(Math.max(...ring.map((p) => p[0]))).toBeCloseTo(45, 9);
    const xs = xsOf(coverageConfig({ points: [], skyFraction: 1 / 12, outlines: [ringOf(0, 4)] }));
    // Two copies (as drawn and shifted by +360), each ring closed, each followed by a gap.
    expect(xs.filter(Number.isNaN)).toHaveLength(2);
    expect(Math.max(...xs.filter((x) => !Number.isNaN(x)))).toBeCloseTo(360 + 45, 9);
  });

  it('a south polar partition (order 0 pixel 11) is one shape between RA 270 and 360', () => {
    const ring = unwrapRing(ringOf(0, 11));
    const ras = ring.map((p) => p[0]);
    // Its pole vertex may carry any RA; unwrapped it joins its neighbours.
    expect(Math.min(...ras)).toBeGreaterThanOrEqual(270 - 1e-9);
    expect(Math.max(...ras)).toBeLessThanOrEqual(360 + 1e-9);
    expect(Math.min(...ring.map((p) => p[1]))).toBeCloseTo(-90, 9);
    const xs = xsOf(coverageConfig({ points: [], skyFraction: 1 / 12, outlines: [ringOf(0, 11)] }));
    expect(xs.filter(Number.isNaN)).toHaveLength(1);
  });
});

describe('sky plot axes', () => {
  it('keep an all-sky set on the sky (Dec -90..90, RA 360 deg wide) and a small one off the frame', () => {
    expect(paddedRange([-89.5, 0, 89.9], 180, -90, 90)).toEqual({ min: -90, max: 90 });
    const ra = paddedRange([0.2, 180, 359.8], 360);
    expect(ra.max! - ra.min!).toBeLessThanOrEqual(361);
    expect(ra.min).toBeLessThanOrEqual(0.2);
    expect(ra.max).toBeGreaterThanOrEqual(359.8);
    // a field 0.5 deg across gets at least half a degree on each side
    expect(paddedRange([-5.2, -4.7], 180, -90, 90)).toEqual({ min: -6, max: -4 });
    expect(paddedRange([], 180)).toEqual({});
    const config = skyConfig([
      {
        label: 'm',
        points: [
          [10, 80],
          [11, 89.9],
        ],
      },
    ]);
    expect(config.options?.scales?.y).toMatchObject({ min: 79, max: 90 });
  });

  it('draws the series with fewer points on top (54 matched rows among 4,000 unmatched spec-z)', () => {
    const many = Array.from({ length: 4000 }, (_, i): [number, number] => [10 + i / 1000, 5]);
    const config = skyConfig([
      { label: 'matched', points: many.slice(0, 54) },
      { label: 'unmatched', points: many },
    ]);
    const [matched, unmatched] = config.data.datasets.map((d) => d.order!);
    expect(matched).toBeLessThan(unmatched);
    const reverse = skyConfig([
      { label: 'matched', points: many },
      { label: 'unmatched', points: many.slice(0, 211) },
    ]);
    const [m2, u2] = reverse.data.datasets.map((d) => d.order!);
    expect(u2).toBeLessThan(m2);
  });

  it('draws the unmatched spec-z over the matched rows, and no labels at the padded ends', () => {
    const config = skyConfig([
      { label: 'matched', points: [[10, 5]] },
      { label: 'unmatched', points: [[10.001, 5]] },
    ]);
    // Chart.js draws a higher order first
    const [matched, unmatched] = config.data.datasets.map((d) => d.order!);
    expect(unmatched).toBeLessThan(matched);
    // ... while the legend keeps the series' order
    const sort = config.options?.plugins?.legend?.labels?.sort as (
      a: { datasetIndex: number },
      b: { datasetIndex: number },
    ) => number;
    expect([{ datasetIndex: 1 }, { datasetIndex: 0 }].sort(sort)).toEqual([
      { datasetIndex: 0 },
      { datasetIndex: 1 },
    ]);
    expect(config.options?.scales?.x?.ticks).toMatchObject({ includeBounds: false });
    expect(config.options?.scales?.y?.ticks).toMatchObject({ includeBounds: false });
  });
});

// matched and unmatched, and the bands, differed by colour alone (QA, accessibility)
describe('series told apart without colour', () => {
  it('gives the sky series different marker shapes, shown in the legend', () => {
    const config = skyConfig([
      { label: 'matched', points: [[10, 5]] },
      { label: 'unmatched', points: [[10.001, 5]] },
    ]);
    const shapes = config.data.datasets.map((d) => (d as { pointStyle?: string }).pointStyle);
    expect(new Set(shapes).size).toBe(2);
    expect(config.options?.plugins?.legend?.labels?.usePointStyle).toBe(true);
  });

  it('gives each band of the magnitude plot its own dash pattern', () => {
    const histogram = { edges: [18, 19, 20], counts: [1, 2] };
    const config = multiHistogramConfig(
      ['u', 'g', 'r', 'i', 'z', 'y'].map((label) => ({ label, histogram })),
      'magnitude',
    );
    const dashes = config.data.datasets.map((d) =>
      JSON.stringify((d as { borderDash?: number[] }).borderDash),
    );
    expect(new Set(dashes).size).toBe(6);
  });
});

describe('histogram axes', () => {
  it('span the bins exactly and label round values only, not the ends (0.0, 0.4, ... 1.5 before)', () => {
    const edges = Array.from({ length: 41 }, (_, i) => 0.00004 + (i * (1.49996 - 0.00004)) / 40);
    const config = histogramConfig({ edges, counts: new Array(40).fill(1) }, 'z', 'rows');
    expect(config.options?.scales?.x).toMatchObject({
      min: edges[0],
      max: edges[40],
      ticks: { includeBounds: false },
    });
  });
});
