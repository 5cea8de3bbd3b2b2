import { useMemo, useRef, type RefObject } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { QaData } from '../../../preload/api';
import { ChartCanvas, downloadDataUrl, type ChartHandle } from '../charts/chart-canvas';
import {
  histogramConfig,
  multiHistogramConfig,
  scatterConfig,
  skyConfig,
} from '../charts/chart-configs';
import { Prng } from '../../../compute/demo/surveys/prng';
import { fmtInt } from '../format';

interface PlotSpec {
  key: string;
  title: string;
  config: ChartConfiguration;
  empty: boolean;
  /** Said under the plot (what it cannot show). */
  note?: string;
}

/** A sky legend entry: how many there are, and how many of them are drawn where fewer. */
function skyLabel(what: string, count: number | null, drawn: unknown[]): string {
  if (count === null) return `${what} (not available)`;
  const shown = drawn.length < count ? `; ${fmtInt(drawn.length)} drawn` : '';
  return `${what} (${fmtInt(count)}${shown})`;
}

/** Fewest points drawn of a sky series that has them, however few it has next to the other. */
export const MIN_SKY_POINTS = 200;

/**
 * The sky series' samples thinned to one sampling rate, the lowest of theirs, so that the plot's
 * density shows their proportions (the engine samples up to 4000 of each: 4000 of 50k unmatched
 * next to 4000 of 950k matched looked like as many); a series keeps at least MIN_SKY_POINTS (or
 * all it has), so that a few unmatched spec-z stay visible. Each thinned sample is a seeded
 * random subset of the engine's (a uniform sample of the rows), so it stays uniform.
 */
export function sameRateSamples(
  series: { count: number | null; points: [number, number][] }[],
): [number, number][][] {
  const rates = series
    .filter((s) => s.count !== null && s.count > 0 && s.points.length > 0)
    .map((s) => s.points.length / s.count!);
  const rate = Math.min(1, ...rates);
  return series.map((s, k) => {
    if (s.count === null || s.points.length === 0) return s.points;
    const want = Math.min(s.points.length, Math.max(MIN_SKY_POINTS, Math.round(s.count * rate)));
    return randomSubset(s.points, want, k + 1);
  });
}

/** `n` of `items` chosen at random (a seeded partial Fisher-Yates shuffle), in their order. */
function randomSubset<T>(items: T[], n: number, seed: number): T[] {
  if (n >= items.length) return items;
  const order = Array.from(items.keys());
  const random = new Prng(seed);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(items.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order
    .slice(0, n)
    .sort((x, y) => x - y)
    .map((i) => items[i]);
}

/** The sky legend of the spec-z the training set does not hold. */
export function unmatchedLegend(sky: QaData['sky']): string {
  const what = sky.unmatchedIncludesDropped
    ? 'spec-z not in the set (unmatched, or dropped as duplicates)'
    : 'unmatched spec-z';
  return skyLabel(what, sky.unmatchedCount, sky.unmatched);
}

function Plot(props: { spec: PlotSpec; handle: RefObject<ChartHandle | null>; fileName: string }) {
  const { spec } = props;
  const exportPng = () => {
    const png = props.handle.current?.toPng();
    if (png) downloadDataUrl(png, props.fileName);
  };
  return (
    <figure className="plot" aria-labelledby={`plot-${spec.key}`}>
      <div className="plot-head">
        <h3 id={`plot-${spec.key}`}>{spec.title}</h3>
        {/* its plot in its name: five "Export PNG" buttons were alike in a list of buttons */}
        <button
          type="button"
          className="btn small"
          aria-label={`Export PNG of ${spec.title}`}
          disabled={spec.empty}
          onClick={exportPng}
        >
          Export PNG
        </button>
      </div>
      {spec.empty ? (
        <div className="empty">No data for this plot.</div>
      ) : (
        <div className="canvas-box">
          <ChartCanvas ref={props.handle} config={spec.config} label={spec.title} />
        </div>
      )}
      {spec.note && <figcaption className="plot-note">{spec.note}</figcaption>}
    </figure>
  );
}

const safe = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, '_');

/** The QA plots of a run, each exportable as PNG (and all at once). */
/** Said when the output has magnitude columns but no row has a magnitude in any of them. */
export const NO_MAGNITUDES =
  'No row has a magnitude: no spec-z row has a photometric match (left join), or every match is a non-detection.';

/** The plots' titles, in the order they are drawn (the colour's names its bands once known). */
export const PLOT_TITLES = [
  'Sky: matched and unmatched spec-z',
  'Redshift distribution',
  'Crossmatch separation',
  'Magnitudes per band',
  'Colour vs redshift',
] as const;

export function QaPlots({ qa, runName }: { qa: QaData; runName: string }) {
  const specs = useMemo<PlotSpec[]>(() => {
    // bands whose histogram has bins: at least one row has a magnitude there
    const measured = qa.magnitudes.filter((m) => m.histogram.counts.length > 0).length;
    const [matched, unmatched] = sameRateSamples([
      { count: qa.sky.matchedCount, points: qa.sky.matched },
      { count: qa.sky.unmatchedCount, points: qa.sky.unmatched },
    ]);
    const list: PlotSpec[] = [
      {
        key: 'sky',
        title: PLOT_TITLES[0],
        config: skyConfig([
          { label: skyLabel('matched rows', qa.sky.matchedCount, matched), points: matched },
          { label: unmatchedLegend({ ...qa.sky, unmatched }), points: unmatched },
        ]),
        note: qa.sky.note,
        empty: qa.sky.matched.length + qa.sky.unmatched.length === 0,
      },
      {
        key: 'redshift',
        title: PLOT_TITLES[1],
        config: histogramConfig(qa.redshift, 'z', 'rows'),
        empty: qa.redshift.counts.length === 0,
      },
      {
        key: 'separation',
        title: PLOT_TITLES[2],
        config: histogramConfig(qa.separationArcsec, 'separation (arcsec)', 'rows'),
        empty: qa.separationArcsec.counts.length === 0,
      },
      {
        key: 'magnitudes',
        title: PLOT_TITLES[3],
        config: multiHistogramConfig(
          qa.magnitudes.map((m) => ({ label: m.band, histogram: m.histogram })),
          'magnitude (AB)',
        ),
        empty: measured === 0,
        // (an empty training set has no rows to plot: the page says so already)
        note:
          qa.redshift.counts.length === 0
            ? undefined
            : qa.magnitudes.length === 0
              ? 'The training set has no magnitude columns: the run kept fluxes (convert to magnitudes was off), or the photometric catalog has no bands the app knows.'
              : measured === 0
                ? NO_MAGNITUDES
                : undefined,
      },
    ];
    list.push({
      key: 'colour',
      title: qa.colourVsRedshift
        ? `Colour ${qa.colourVsRedshift.label} vs redshift`
        : PLOT_TITLES[4],
      config: scatterConfig(
        qa.colourVsRedshift?.points ?? [],
        'z',
        qa.colourVsRedshift?.label ?? 'colour',
        'rows',
      ),
      empty: !qa.colourVsRedshift || qa.colourVsRedshift.points.length === 0,
      // say why, as the magnitudes plot does (an empty training set: the page says so already)
      note:
        qa.redshift.counts.length === 0
          ? undefined
          : qa.magnitudes.length < 2
            ? 'A colour needs two bands with magnitudes: the training set has fewer.'
            : measured === 0
              ? NO_MAGNITUDES
              : !qa.colourVsRedshift || qa.colourVsRedshift.points.length === 0
                ? `No row has both ${qa.colourVsRedshift?.label.replace('-', ' and ') ?? 'magnitudes'} measured (non-detections have no magnitude).`
                : undefined,
    });
    return list;
  }, [qa]);
  const handles = useRef(specs.map(() => ({ current: null as ChartHandle | null })));
  const exportAll = () => {
    specs.forEach((spec, i) => {
      const png = handles.current[i]?.current?.toPng();
      if (png) downloadDataUrl(png, `${safe(runName)}-${spec.key}.png`);
    });
  };
  return (
    <section aria-labelledby="qa-title">
      <div className="page-head">
        <h2 id="qa-title">Quality plots</h2>
        <button type="button" className="btn" onClick={exportAll}>
          Export all plots as PNG
        </button>
      </div>
      <div className="plots">
        {specs.map((spec, i) => (
          <Plot
            key={spec.key}
            spec={spec}
            handle={handles.current[i]}
            fileName={`${safe(runName)}-${spec.key}.png`}
          />
        ))}
      </div>
    </section>
  );
}
