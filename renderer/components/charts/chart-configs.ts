import type { ChartConfiguration } from 'chart.js';
import type { Histogram, SkyCoverage } from '../../../preload/api';

const BLUE = 'rgba(47, 93, 158, 0.75)';
const ORANGE = 'rgba(214, 110, 40, 0.75)';
const PALETTE = ['#3b6fb6', '#2e9c6a', '#d0782c', '#b8443f', '#7a57b5', '#4c9fb8', '#8c8c3a'];
const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [12, 4], [4, 2, 1, 2]];
const MARKERS = ['circle', 'triangle', 'rect', 'crossRot'] as const;

const axis = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'linear' as const,
  title: { display: true, text: title },
  grid: { color: '#eef1f5' },
  ...extra,
});

const toXY = (points: [number, number][]) => points.map(([x, y]) => ({ x, y }));

/** Bars of a histogram on a linear x axis (bin centres, full-width bars). */
export function histogramConfig(h: Histogram, xTitle: string, label: string): ChartConfiguration {
  const data = h.counts.map((count, i) => ({ x: (h.edges[i] + h.edges[i + 1]) / 2, y: count }));
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          label,
          data,
          backgroundColor: BLUE,
          barPercentage: 1,
          categoryPercentage: 1,
          borderWidth: 0,
        },
      ],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: {
        // ticks at round values only: labels at the bin edges' ends (0.00004, 1.49996) pushed
        // their neighbours out (0.0, 0.4, 0.6, ... 1.2, 1.5)
        x: axis(xTitle, {
          offset: false,
          min: h.edges[0],
          max: h.edges[h.edges.length - 1],
          ticks: { includeBounds: false },
        }),
        y: axis('rows', { beginAtZero: true }),
      },
    },
  };
}

/** Several histograms as step lines on one axis (magnitude distribution per band). */
export function multiHistogramConfig(
  series: { label: string; histogram: Histogram }[],
  xTitle: string,
): ChartConfiguration {
  return {
    type: 'line',
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.histogram.counts.map((count, j) => ({
          x: (s.histogram.edges[j] + s.histogram.edges[j + 1]) / 2,
          y: count,
        })),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        // a dash pattern per band as well as a colour: bands stay apart without colour vision
        borderDash: DASHES[i % DASHES.length],
        stepped: 'middle' as const,
        pointRadius: 0,
        borderWidth: 1.5,
      })),
    },
    options: { scales: { x: axis(xTitle), y: axis('rows', { beginAtZero: true }) } },
  };
}

/**
 * True when the points sit around RA 0 (e.g. 350..10 deg): then RA > 180 is drawn as RA - 360 so
 * the field is not split across the plot.
 */
export function wrapsRaZero(points: [number, number][]): boolean {
  if (points.length === 0) return false;
  let min = Infinity;
  let max = -Infinity;
  let minShifted = Infinity;
  let maxShifted = -Infinity;
  for (const [ra] of points) {
    const shifted = ra > 180 ? ra - 360 : ra;
    min = Math.min(min, ra);
    max = Math.max(max, ra);
    minShifted = Math.min(minShifted, shifted);
    maxShifted = Math.max(maxShifted, shifted);
  }
  return maxShifted - minShifted < max - min;
}

const raTick = (value: number | string) => `${((Number(value) % 360) + 360) % 360}`;

/** RA/Dec scatter (RA increasing to the left, as on the sky). */
export function skyConfig(
  series: { label: string; points: [number, number][]; color?: string }[],
): ChartConfiguration {
  const all = series.flatMap((s) => s.points);
  const shift = wrapsRaZero(all);
  const x = (ra: number) => (shift && ra > 180 ? ra - 360 : ra);
  // the data's range with a margin, never beyond the sky (Chart.js's round limits gave Dec
  // -100..100 and a 400 deg RA axis for an all-sky set, and points on the frame for a small one)
  const xRange = paddedRange(
    all.map(([ra]) => x(ra)),
    360,
  );
  const yRange = paddedRange(
    all.map(([, dec]) => dec),
    180,
    -90,
    90,
  );
  return {
    type: 'scatter',
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.points.map(([ra, dec]) => ({ x: x(ra), y: dec })),
        backgroundColor: s.color ?? (i === 0 ? BLUE : ORANGE),
        borderColor: s.color ?? (i === 0 ? BLUE : ORANGE),
        // a shape per series as well as a colour (legend too): told apart without colour vision
        pointStyle: MARKERS[i % MARKERS.length],
        pointRadius: i === 0 ? 2.5 : 3.5,
        // a higher order is drawn first: the series with fewer points on top, where the other's
        // hid them (54 matched rows under 4,000 unmatched spec-z, or the reverse); on a tie the
        // later series (unmatched spec-z)
        order: s.points.length * series.length + (series.length - i),
      })),
    },
    options: {
      scales: {
        // no labels at the padded ends (they read '50 359' next to a round 0)
        x: axis('RA (deg)', {
          reverse: true,
          ...xRange,
          ticks: { callback: raTick, includeBounds: false },
        }),
        y: axis('Dec (deg)', { ...yRange, ticks: { includeBounds: false } }),
      },
      // the legend in the series' order, not the drawing order
      plugins: {
        legend: {
          labels: {
            usePointStyle: true,
            sort: (a: { datasetIndex?: number }, b: { datasetIndex?: number }) =>
              (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          },
        },
      },
    },
  };
}

/**
 * min/max for an axis showing `values` with a 5% margin (at least 0.5 deg), at most `span` wide
 * and within [lo, hi]; {} without values (Chart.js chooses).
 */
export function paddedRange(
  values: number[],
  span: number,
  lo = -Infinity,
  hi = Infinity,
): { min?: number; max?: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return {};
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  const pad = Math.max(0.5, (max - min) * 0.05);
  min = Math.max(lo, min - pad);
  max = Math.min(hi, max + pad);
  if (max - min > span) {
    const mid = (min + max) / 2;
    min = mid - span / 2;
    max = mid + span / 2;
  }
  return { min: Math.floor(min), max: Math.ceil(max) };
}

/**
 * A ring with continuous RA: each vertex is moved by ±360 deg to lie within 180 deg of the previous
 * one, so a partition across RA 0/360 (or touching a pole, where RA is arbitrary) stays one shape.
 */
export function unwrapRing(ring: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [ra, dec] of ring) {
    let r = ra;
    const prev = out.at(-1)?.[0];
    if (prev !== undefined) {
      while (r - prev > 180) r -= 360;
      while (prev - r > 180) r += 360;
    }
    out.push([r, dec]);
  }
  return out;
}

/**
 * Partition outlines (or centres) on the whole sky, RA 360..0 and Dec -90..90. A ring reaching
 * past 0 or 360 once unwrapped is drawn again shifted by 360 deg; the axes clip both copies.
 */
export function coverageConfig(coverage: SkyCoverage): ChartConfiguration {
  // A NaN point is skipped and, with spanGaps off, breaks the line: one dataset draws every ring.
  const gap = { x: NaN, y: NaN };
  const line: { x: number; y: number }[] = [];
  for (const ring of coverage.outlines ?? []) {
    const unwrapped = unwrapRing(ring);
    const ras = unwrapped.map(([ra]) => ra);
    const shifts = [0];
    if (Math.min(...ras) < 0) shifts.push(360);
    if (Math.max(...ras) > 360) shifts.push(-360);
    for (const shift of shifts) {
      for (const [ra, dec] of unwrapped) line.push({ x: ra + shift, y: dec });
      line.push(gap);
    }
  }
  const datasets = coverage.outlines
    ? [
        {
          label: 'partitions',
          data: line,
          showLine: true,
          spanGaps: false,
          borderColor: BLUE,
          backgroundColor: BLUE,
          borderWidth: 1,
          pointRadius: 0,
        },
      ]
    : [
        {
          label: 'partition centres',
          data: coverage.points.map((p) => ({ x: p.raDeg, y: p.decDeg })),
          backgroundColor: BLUE,
          pointRadius: 2,
        },
      ];
  return {
    type: 'scatter',
    data: { datasets: datasets as ChartConfiguration<'scatter'>['data']['datasets'] },
    options: {
      scales: {
        x: axis('RA (deg)', { reverse: true, min: 0, max: 360, ticks: { stepSize: 60 } }),
        y: axis('Dec (deg)', { min: -90, max: 90, ticks: { stepSize: 30 } }),
      },
    },
  } as ChartConfiguration;
}

export function scatterConfig(
  points: [number, number][],
  xTitle: string,
  yTitle: string,
  label: string,
): ChartConfiguration {
  return {
    type: 'scatter',
    data: { datasets: [{ label, data: toXY(points), backgroundColor: BLUE, pointRadius: 2 }] },
    options: {
      plugins: { legend: { display: false } },
      scales: { x: axis(xTitle), y: axis(yTitle) },
    },
  };
}
