import { UserError } from '../errors';
import type { HttpOptionsInput } from '../hats/http-options';
import type { PixelCatalog } from '../hats/types';
import type { MatchOptions } from './match-partition';

/** The largest radius: 180 degrees, any two points of the sky. */
export const MAX_RADIUS_ARCSEC = 648_000;

export type JoinHow = 'inner' | 'left';
export type SuffixMethod = 'all_columns' | 'overlapping_columns';
export type BorderRows = 'auto' | 'off';

/** Progress of a crossmatch: aligned pixels done out of the plan, and matched rows so far. */
export interface CrossmatchProgress {
  pixelsDone: number;
  pixelsTotal: number;
  rowsMatched: number;
}

/** Options of {@link crossmatch}; names and defaults follow lsdb `Catalog.crossmatch`. */
export interface CrossmatchOptions {
  radiusArcsec: number;
  /** Default 1. */
  nNeighbors?: number;
  /** Default 0 (distance-0 matches kept). */
  minRadiusArcsec?: number;
  /** Default 'inner'. */
  how?: JoinHow;
  /** The right catalog's margin; null or undefined = none. */
  rightMargin?: PixelCatalog | null;
  /** Default ['_' + left.name, '_' + right.name], or ['', '_right'] when the names are equal. */
  suffixes?: [string, string];
  /** Default 'all_columns'. */
  suffixMethod?: SuffixMethod;
  /** Columns to read and keep (ra/dec are always read for matching). Default all. */
  columns?: { left?: string[]; right?: string[] };
  /**
   * 'auto' (default): when the right catalog has no margin, or one thinner than the radius, read
   * the border rows of neighbouring right partitions so no pair is missed. 'off': LSDB exactly.
   */
  borderRows?: BorderRows;
  /** Worker threads; 0 runs in this thread. Default one per core but one (pipeline/pool.ts). */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CrossmatchProgress) => void;
  /**
   * Told once the last pixel is done: the rows whose ra or dec is NaN or infinite, which never
   * match, of the left catalog and of the right one (each right partition counted once).
   */
  onNoPosition?: (rows: { left: number; right: number }) => void;
  /**
   * Remote settings (cache folder, offline mode, ...) for the worker threads, which re-open
   * http(s) catalogs themselves: set like `configureRemoteDefaults` in the main thread.
   */
  remote?: HttpOptionsInput;
}

/** The options after validation and defaults, as sent to the tasks. */
export interface ResolvedCrossmatchOptions extends MatchOptions {
  how: JoinHow;
  suffixes: [string, string];
  suffixMethod: SuffixMethod;
  columns: { left?: string[]; right?: string[] };
  borderRows: BorderRows;
  /** True when the right margin is used (it exists and is at least as wide as the radius). */
  useMargin: boolean;
}

/**
 * Checks the parameters as lsdb `KdTreeCrossmatch.validate` does (hats-lsdb.md §3.1) and fills in
 * the defaults. A margin thinner than the radius is an error only with `borderRows: 'off'`.
 */
export function resolveOptions(
  left: PixelCatalog,
  right: PixelCatalog,
  options: CrossmatchOptions,
): ResolvedCrossmatchOptions {
  const { radiusArcsec } = options;
  const nNeighbors = options.nNeighbors ?? 1;
  const minRadiusArcsec = options.minRadiusArcsec ?? 0;
  const how = options.how ?? 'inner';
  const borderRows = options.borderRows ?? 'auto';
  const suffixMethod = options.suffixMethod ?? 'all_columns';
  if (!(typeof radiusArcsec === 'number' && radiusArcsec > 0 && Number.isFinite(radiusArcsec))) {
    throw new UserError(`radiusArcsec must be a positive number of arcsec (got ${radiusArcsec})`);
  }
  if (radiusArcsec > MAX_RADIUS_ARCSEC) {
    // the chord of a larger angle is shorter: it would find fewer pairs, none beyond 360 deg
    throw new UserError(
      `radiusArcsec must be at most ${MAX_RADIUS_ARCSEC} arcsec (180 degrees, the whole sky; got ${radiusArcsec})`,
    );
  }
  if (!Number.isInteger(nNeighbors) || nNeighbors < 1) {
    throw new UserError(`nNeighbors must be an integer >= 1 (got ${nNeighbors})`);
  }
  if (!(minRadiusArcsec >= 0) || !Number.isFinite(minRadiusArcsec)) {
    throw new UserError(`minRadiusArcsec must be >= 0 arcsec (got ${minRadiusArcsec})`);
  }
  if (minRadiusArcsec >= radiusArcsec) {
    throw new UserError(
      `minRadiusArcsec (${minRadiusArcsec}) must be smaller than radiusArcsec (${radiusArcsec})`,
    );
  }
  if (how !== 'inner' && how !== 'left') {
    throw new UserError(`how must be 'inner' or 'left' (got '${String(how)}')`);
  }
  if (borderRows !== 'auto' && borderRows !== 'off') {
    throw new UserError(`borderRows must be 'auto' or 'off' (got '${String(borderRows)}')`);
  }
  if (suffixMethod !== 'all_columns' && suffixMethod !== 'overlapping_columns') {
    throw new UserError(
      `suffixMethod must be 'all_columns' or 'overlapping_columns' (got '${String(suffixMethod)}')`,
    );
  }
  const margin = options.rightMargin ?? null;
  const threshold = margin?.marginThresholdArcsec;
  let useMargin = margin !== null;
  if (margin && !(threshold !== undefined && threshold >= radiusArcsec)) {
    if (borderRows === 'off') {
      throw new UserError(
        `Cross match radius is greater than margin threshold: radiusArcsec ${radiusArcsec} > ` +
          `${threshold ?? 'unknown'} arcsec of margin ${margin.location}; use a wider margin, a ` +
          `smaller radius, or borderRows 'auto'`,
      );
    }
    useMargin = false;
  }
  const suffixes: [string, string] =
    options.suffixes ??
    (left.name === right.name ? ['', '_right'] : [`_${left.name}`, `_${right.name}`]);
  return {
    radiusArcsec,
    nNeighbors,
    minRadiusArcsec,
    how,
    suffixes,
    suffixMethod,
    columns: options.columns ?? {},
    borderRows,
    useMargin,
  };
}
