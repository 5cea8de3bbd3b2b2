import { DataType, Precision, type Table } from 'apache-arrow';
import { Prng } from '../../compute/demo/surveys/prng';
import type { Histogram, QaData } from '../../preload/api';
import { PositionSet } from './position-set';

/** Most points drawn per scatter series (a seeded reservoir sample of the rows). */
export const MAX_PLOT_POINTS = 4000;
/**
 * Most bytes of plotted columns (8 a value) that computeQa keeps from its first pass over the
 * output for the second: a million rows of 11 columns take 88 MB, and are not read (a CSV file:
 * parsed) twice; a larger output is read again.
 */
export const KEEP_BYTES = 256 * 2 ** 20;
/** Bins of every histogram. */
export const HISTOGRAM_BINS = 40;
/** Magnitudes at or above this are the non-detection sentinel (99) or junk, not plotted. */
const MAG_LIMIT = 50;
/** Wavelength order of band names (LSST ugrizy, DES grizY). */
const BAND_ORDER = ['u', 'g', 'r', 'i', 'z', 'y'];

/** Reservoir sampling (Vitter's algorithm R) of points. */
export class Reservoir {
  readonly points: [number, number][] = [];
  private seen = 0;
  private readonly random: Prng;
  constructor(
    private readonly size = MAX_PLOT_POINTS,
    seed = 1,
  ) {
    // seeded, so the same output gives the same sampled plots
    this.random = new Prng(seed);
  }
  /** Points offered (with finite coordinates), kept or not. */
  get count(): number {
    return this.seen;
  }
  add(x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.seen++;
    if (this.points.length < this.size) this.points.push([x, y]);
    else {
      const j = this.random.int(this.seen);
      if (j < this.size) this.points[j] = [x, y];
    }
  }
}

/** Fewest bins of an automatic histogram. */
const MIN_BINS = 8;
/** Half the range drawn around a single value, as a fraction of it (0.5 around 0). */
const SINGLE_VALUE_HALF_RANGE = 0.05;

/**
 * Running min/max then counts over equal-width bins: two passes over the same values. Without a
 * fixed bin count, the square-root rule (bins = ceil(sqrt(n)), between 8 and HISTOGRAM_BINS)
 * keeps small training sets from turning into noise. Values that are all the same (a training
 * set of one row) fall in the middle bin of a range of +-5 % around them.
 */
export class HistogramBuilder {
  min = Infinity;
  max = -Infinity;
  private scanned = 0;
  private counts: number[] | null = null;
  private bins: number;
  /** Bins given by share(): those of the histograms drawn beside this one. */
  private sharedBins?: number;
  private lo = 0;
  private width = 1;
  constructor(
    private readonly accept: (v: number) => boolean = Number.isFinite,
    private readonly fixedBins?: number,
  ) {
    this.bins = fixedBins ?? HISTOGRAM_BINS;
  }
  scan(v: number): void {
    if (!this.accept(v)) return;
    this.scanned++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }
  private chooseBins(): number {
    if (this.sharedBins !== undefined) return this.sharedBins;
    if (this.fixedBins !== undefined) return this.fixedBins;
    // one value: an odd count, so that it sits in the middle bin
    if (this.max === this.min) return MIN_BINS + 1;
    return Math.min(HISTOGRAM_BINS, Math.max(MIN_BINS, Math.ceil(Math.sqrt(this.scanned))));
  }
  /** Sets the bins, the first edge and the bin width (around a single value: +-5 % of it). */
  private layOut(): void {
    this.bins = this.chooseBins();
    if (this.max > this.min) {
      this.lo = this.min;
      this.width = (this.max - this.min) / this.bins;
    } else {
      const half = Math.abs(this.min) * SINGLE_VALUE_HALF_RANGE || 0.5;
      this.lo = this.min - half;
      this.width = (2 * half) / this.bins;
    }
  }
  /**
   * Lays scanned histograms out on the same bins before they count: the range of all of them
   * and the most bins any would take. Histograms drawn on one axis of rows then compare: with
   * bins of their own, a band whose magnitudes reach further had wider bins and so taller ones
   * (u's counts twice g's on a DP1 training set of 950k rows).
   */
  static share(builders: HistogramBuilder[]): void {
    const scanned = builders.filter((b) => b.min <= b.max && !b.counts);
    if (scanned.length < 2) return;
    const bins = Math.max(...scanned.map((b) => b.chooseBins()));
    const min = Math.min(...scanned.map((b) => b.min));
    const max = Math.max(...scanned.map((b) => b.max));
    for (const b of scanned) {
      b.min = min;
      b.max = max;
      b.sharedBins = bins;
    }
  }
  count(v: number): void {
    if (!this.accept(v) || this.min > this.max) return;
    if (!this.counts) {
      this.layOut();
      this.counts = new Array<number>(this.bins).fill(0);
    }
    const bin = Math.max(0, Math.min(this.bins - 1, Math.floor((v - this.lo) / this.width)));
    this.counts[bin]++;
  }
  result(): Histogram {
    if (this.min > this.max) return { edges: [], counts: [] };
    if (!this.counts) this.layOut();
    const { lo, width } = this;
    const edges = Array.from({ length: this.bins + 1 }, (_, i) => lo + i * width);
    // The last edge is the maximum itself (min + bins * width may round below it).
    if (this.max > this.min) edges[this.bins] = this.max;
    return { edges, counts: this.counts ?? new Array<number>(this.bins).fill(0) };
  }
}

/** Which output columns the plots use, from the output's column names. */
export interface QaColumns {
  ra: string;
  dec: string;
  z: string;
  dist: string | null;
  /** Magnitude column per band, in wavelength order. */
  bands: { band: string; column: string }[];
}

/**
 * Finds the spec-z position/redshift columns (bare, or `<name>_specz` on a clash) and the
 * magnitude columns `mag_dered_<ft>_<b>` (preferred) or `mag_<ft>_<b>`
 * (compute/photometry/apply-photometry.ts naming).
 */
export function qaColumns(
  names: string[],
  specz: { ra: string; dec: string; z: string },
): QaColumns {
  const has = new Set(names);
  const pick = (c: string) => (has.has(`${c}_specz`) ? `${c}_specz` : c);
  const find = (re: RegExp) =>
    names
      .map((n) => ({ n, m: re.exec(n) }))
      .filter((x) => x.m)
      .map((x) => ({ band: x.m![2], column: x.n }));
  const dered = find(/^mag_dered_(.+)_([A-Za-z0-9]+)$/);
  const plain = find(/^mag_(?!dered_)(.+)_([A-Za-z0-9]+)$/);
  const bands = (dered.length > 0 ? dered : plain).sort(
    (a, b) => BAND_ORDER.indexOf(a.band.toLowerCase()) - BAND_ORDER.indexOf(b.band.toLowerCase()),
  );
  return {
    ra: pick(specz.ra),
    dec: pick(specz.dec),
    z: pick(specz.z),
    dist: has.has('_dist_arcsec') ? '_dist_arcsec' : null,
    bands,
  };
}

function numbers(table: Table, column: string | null): Float64Array | null {
  if (!column) return null;
  const vec = table.getChild(column);
  if (!vec) return null;
  if (vec.nullCount === 0 && DataType.isFloat(vec.type) && vec.type.precision !== Precision.HALF) {
    // the values as they are stored (toArray joins the batch's chunks): no per-row get
    const values = vec.toArray() as Float32Array | Float64Array;
    return values instanceof Float64Array ? values : Float64Array.from(values);
  }
  const out = new Float64Array(table.numRows);
  for (let i = 0; i < out.length; i++) {
    const v: unknown = vec.get(i);
    out[i] = v === null || v === undefined ? NaN : Number(v);
  }
  return out;
}

/**
 * Spec-z rows without a match that the output does not hold (inner joins): a sample of their
 * positions and how many there are; or why they are not known (the spec-z catalog is gone).
 */
export type UnmatchedSpecz =
  | { points: [number, number][]; count: number; includesDropped?: boolean }
  | { unavailable: string };

const NONE: UnmatchedSpecz = { points: [], count: 0 };

/** How far computeQa has read: `pass` 1 or 2 of the output's rows, `rows` of it so far. */
export type QaProgress = (pass: 1 | 2, rows: number) => void;

/**
 * QA data of a training set, in two streamed passes over the output (`batches` is called twice,
 * or once when the first pass's batches fit in KEEP_BYTES):
 * sky positions (matched = has a separation; unmatched = none, from a left join, plus
 * `unmatchedExtra` from the spec-z catalog for inner joins), histograms of z, separation and
 * magnitude per band, and the colour of the first two adjacent bands (g-r when present) vs z.
 * `unmatchedExtra` may be a function: it is then given the output's (ra, dec), gathered by the
 * first pass (`expectedRows` sizes the set), and called between the passes (the output is not read
 * once more for them); the unmatched points are sampled in the same order either way.
 */
export async function computeQa(
  batches: () => AsyncIterable<Table>,
  specz: { ra: string; dec: string; z: string },
  unmatchedExtra: UnmatchedSpecz | ((output: PositionSet) => Promise<UnmatchedSpecz>) = {
    points: [],
    count: 0,
  },
  options: { expectedRows?: number; onProgress?: QaProgress } = {},
): Promise<QaData> {
  let cols: QaColumns | null = null;
  const redshift = new HistogramBuilder();
  const separation = new HistogramBuilder((v) => Number.isFinite(v) && v >= 0);
  const mags = new Map<string, HistogramBuilder>();
  const matched = new Reservoir(MAX_PLOT_POINTS, 1);
  const unmatched = new Reservoir(MAX_PLOT_POINTS, 2);
  const seen = typeof unmatchedExtra === 'function' ? new PositionSet(options.expectedRows) : null;
  let found: UnmatchedSpecz = typeof unmatchedExtra === 'function' ? NONE : unmatchedExtra;
  let extra: [number, number][] = [];
  const colour = new Reservoir(MAX_PLOT_POINTS, 3);
  const magOk = (v: number) => Number.isFinite(v) && v < MAG_LIMIT && v > -MAG_LIMIT;
  // the first pass's batches, for the second while they fit in KEEP_BYTES (else read again)
  let kept: Table[] | null = [];
  let keptBytes = 0;
  for (const pass of [1, 2] as const) {
    if (pass === 2) {
      // the bands' histograms are drawn on one axis: one set of bins for all
      HistogramBuilder.share([...mags.values()]);
      // the spec-z without a match are sampled first, then the output's rows without one
      if (seen && typeof unmatchedExtra === 'function') found = await unmatchedExtra(seen);
      extra = 'points' in found ? found.points : [];
      for (const [ra, dec] of extra) unmatched.add(ra, dec);
    }
    let rows = 0;
    for await (const table of pass === 2 && kept ? kept : batches()) {
      if (pass === 1 && kept) {
        keptBytes += table.numRows * table.numCols * 8;
        if (keptBytes <= KEEP_BYTES) kept.push(table);
        else kept = null;
      }
      cols ??= qaColumns(
        table.schema.fields.map((f) => f.name),
        specz,
      );
      const z = numbers(table, cols.z);
      const dist = numbers(table, cols.dist);
      const bandValues = cols.bands.map((b) => numbers(table, b.column)!);
      const ra = numbers(table, cols.ra);
      const dec = numbers(table, cols.dec);
      // per band (two columns of one band share its histogram), and the colour's two bands
      const hists = cols.bands.map((b) => {
        let h = mags.get(b.band);
        if (!h) mags.set(b.band, (h = new HistogramBuilder(magOk)));
        return h;
      });
      const [ca, cb] = bandValues.length >= 2 ? colourPair(cols.bands) : [-1, -1];
      for (let i = 0; i < table.numRows; i++) {
        const zi = z ? z[i] : NaN;
        const di = dist ? dist[i] : NaN;
        if (pass === 1) {
          redshift.scan(zi);
          separation.scan(di);
          for (let k = 0; k < hists.length; k++) hists[k].scan(bandValues[k][i]);
          if (ra && dec) {
            seen?.add(ra[i], dec[i]);
            if (Number.isFinite(di)) matched.add(ra[i], dec[i]);
          }
          if (ca >= 0) {
            const ma = bandValues[ca][i];
            const mb = bandValues[cb][i];
            if (magOk(ma) && magOk(mb)) colour.add(zi, ma - mb);
          }
        } else {
          redshift.count(zi);
          separation.count(di);
          for (let k = 0; k < hists.length; k++) hists[k].count(bandValues[k][i]);
          if (ra && dec && !Number.isFinite(di)) unmatched.add(ra[i], dec[i]);
        }
      }
      rows += table.numRows;
      options.onProgress?.(pass, rows);
    }
  }
  const bands = cols?.bands ?? [];
  const pair = bands.length >= 2 ? colourPair(bands) : null;
  return {
    sky: {
      matched: matched.points,
      unmatched: unmatched.points,
      matchedCount: matched.count,
      // the extra points are a sample of unmatchedExtra.count
      unmatchedCount: 'count' in found ? unmatched.count - extra.length + found.count : null,
      ...('unavailable' in found ? { note: found.unavailable } : {}),
      ...('includesDropped' in found && found.includesDropped
        ? { unmatchedIncludesDropped: true }
        : {}),
    },
    redshift: redshift.result(),
    separationArcsec: separation.result(),
    magnitudes: bands.map((b) => ({
      band: b.band,
      column: b.column,
      histogram: mags.get(b.band)?.result() ?? { edges: [], counts: [] },
    })),
    colourVsRedshift: pair
      ? { label: `${bands[pair[0]].band}-${bands[pair[1]].band}`, points: colour.points }
      : undefined,
  };
}

/** Indices of the colour's bands: g and r when both exist, else the first two. */
function colourPair(bands: { band: string }[]): [number, number] {
  const g = bands.findIndex((b) => b.band.toLowerCase() === 'g');
  const r = bands.findIndex((b) => b.band.toLowerCase() === 'r');
  return g >= 0 && r >= 0 ? [g, r] : [0, 1];
}
