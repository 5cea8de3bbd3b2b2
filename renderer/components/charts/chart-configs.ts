import type { ChartConfiguration } from 'chart.js';
import type { Histogram, SkyCoverage } from '../../../preload/api';

const BLUE = 'rgba(47, 93, 158, 0.75)';
const ORANGE = 'rgba(214, 110, 40, 0.75)';
const PALETTE = ['#3b6fb6', '#2e9c6a', '#d0782c', '#b8443f', '#7a57b5', '#4c9fb8', '#8c8c3a'];

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
        x: axis(xTitle, { offset: false, min: h.edges[0], max: h.edges[h.edges.length - 1] }),
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
        stepped: 'middle' as const,
        pointRadius: 0,
        borderWidth: 1.5,
      })),
    },
    options: { scales: { x: axis(xTitle), y: axis('rows', { beginAtZero: true }) } },
  };
}

/** RA/Dec scatter (RA increasing to the left, as on the sky). */
export function skyConfig(
  series: { label: string; points: [number, number][]; color?: string }[],
  fullSky = false,
): ChartConfiguration {
  return {
    type: 'scatter',
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: toXY(s.points),
        backgroundColor: s.color ?? (i === 0 ? BLUE : ORANGE),
        pointRadius: 2.5,
      })),
    },
    options: {
      scales: {
        x: axis('RA (deg)', { reverse: true, ...(fullSky ? { min: 0, max: 360 } : {}) }),
        y: axis('Dec (deg)', fullSky ? { min: -90, max: 90 } : {}),
      },
    },
  };
}

export function coverageConfig(coverage: SkyCoverage): ChartConfiguration {
  return skyConfig(
    [{ label: 'partition centres', points: coverage.points.map((p) => [p.raDeg, p.decDeg]) }],
    true,
  );
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
