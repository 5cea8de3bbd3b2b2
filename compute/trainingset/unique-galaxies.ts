/**
 * "Unique galaxies": one spec-z measurement per photometric object.
 *
 * After the crossmatch, several spec-z rows can sit on the same photometric object (duplicate
 * measurements of one galaxy in the spec-z catalog, or rows of the same galaxy within the match
 * radius). They form a group, resolved with the tie-breaking rules of LIneA's Combine Redshift
 * Catalogs (pzserver_combine_redshift_dedup `packages/deduplication.py`, `flags_translation.yaml`;
 * tsm-domain.md §7.2):
 *
 * 1. stars (homogenized flag 6) stay apart: kept, never a winner or a loser (CRC tie_result 3);
 * 2. keep the rows with the highest homogenized z_flag (missing = lowest);
 * 3. among them, the highest instrument type (s > g > p > unknown);
 * 4. sort the survivors by (z, id); consecutive ones within |dz| <= 0.001 are one cluster, and
 *    each cluster keeps its smallest id. One cluster: resolved, one row kept. Several clusters:
 *    the group is unresolved; each cluster's row is kept and marked 2 (CRC's "hard tie").
 *
 * Everything here is a pure function over column arrays (one entry per matched row).
 */
import { compareIds, instrumentTypeScore, STAR_FLAG, type RowId } from './flags';

/** Per-row outcome, CRC's `tie_result` codes. */
export const TIE = { dropped: 0, kept: 1, unresolved: 2, star: 3 } as const;

/** CRC's `delta_z_threshold` (flags_translation.yaml, since 2026-04-15). */
export const DELTA_Z_THRESHOLD = 0.001;
/** Rounding slack so that 0.501 - 0.5 (= 0.0010000000000000009 in doubles) counts as within 0.001. */
const DELTA_Z_SLACK = 1e-12;

/** The rule as written into run.json. */
export const UNIQUE_GALAXY_RULE =
  'Rows matched to the same photometric object form a group. Stars (z_flag 6) stay apart and are ' +
  'kept. In a group keep the highest homogenized z_flag (0-4; missing lowest), then the highest ' +
  'instrument type (s > g > p > unknown); survivors whose z agree within 0.001 are one galaxy and ' +
  'the smallest spec-z id is kept; survivors with different z mark the group unresolved ' +
  '(tie_result 2, one row per distinct z kept). Source: LIneA pzserver_combine_redshift_dedup ' +
  'deduplication.py / flags_translation.yaml.';

export const ONE_TO_ONE_RULE =
  'Each photometric object is used at most once: among the rows still kept that share it, the ' +
  'smallest _dist_arcsec wins (ties: smallest spec-z id). LSDB issue #152.';

export type GroupKey = string | number | bigint | null | undefined;

export interface UniqueGalaxyInput {
  /** Photometric object id per row; null/undefined for an unmatched spec-z row (left join). */
  photometricId: ArrayLike<GroupKey>;
  /** Spec-z id per row for the final tie-break; null = use the row number. */
  speczId?: ArrayLike<RowId | null | undefined>;
  /** Spec-z redshift per row. */
  z: ArrayLike<number>;
  /** Homogenized quality flag per row (homogenizeFlags); NaN or absent = missing. */
  zFlag?: ArrayLike<number>;
  /** Instrument type per row: 's', 'g', 'p' or null. */
  instrumentType?: ArrayLike<string | null | undefined>;
}

export interface UniqueGalaxyReport {
  rowsIn: number;
  /** Photometric objects with more than one spec-z row. */
  groups: number;
  /** Rows kept with tie_result 1 (resolved winners and rows that were alone). */
  kept: number;
  dropped: number;
  /** Groups whose survivors disagree in z beyond 0.001. */
  unresolvedGroups: number;
  /** Rows kept with tie_result 2. */
  unresolvedRows: number;
  /** Rows kept with tie_result 3. */
  stars: number;
}

/** Rows grouped by key: `order` lists row numbers group after group, `starts` the group bounds. */
export interface Groups {
  order: Int32Array;
  starts: Int32Array;
}

function keyOf(k: GroupKey): string | number | null {
  if (k === null || k === undefined) return null;
  return typeof k === 'bigint' ? `b${k}` : typeof k === 'number' ? k : `s${k}`;
}

/** Groups the rows that share a non-null key, in order of first appearance (stable). */
export function groupRows(keys: ArrayLike<GroupKey>, include?: (row: number) => boolean): Groups {
  const first = new Map<string | number, number>();
  const groupOf = new Int32Array(keys.length).fill(-1);
  const sizes: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (include && !include(i)) continue;
    const k = keyOf(keys[i]);
    if (k === null) continue;
    let g = first.get(k);
    if (g === undefined) {
      g = sizes.length;
      first.set(k, g);
      sizes.push(0);
    }
    groupOf[i] = g;
    sizes[g]++;
  }
  const starts = new Int32Array(sizes.length + 1);
  for (let g = 0; g < sizes.length; g++) starts[g + 1] = starts[g] + sizes[g];
  const fill = starts.slice(0, sizes.length);
  const order = new Int32Array(starts[sizes.length]);
  for (let i = 0; i < keys.length; i++) if (groupOf[i] >= 0) order[fill[groupOf[i]]++] = i;
  return { order, starts };
}

function idOf(input: UniqueGalaxyInput, row: number): RowId {
  return input.speczId?.[row] ?? row;
}

/** Keeps the rows of `rows` whose score is the maximum (NaN counts as -Infinity). */
function keepMax(rows: number[], score: (row: number) => number): number[] {
  let best = -Infinity;
  for (const r of rows) {
    const s = score(r);
    if (s > best) best = s;
  }
  return rows.filter((r) => {
    const s = score(r);
    return s === best || (best === -Infinity && !(s > best));
  });
}

/** Resolves one group of rows (size >= 2) into `status`; returns true when unresolved. */
function resolveGroup(rows: number[], input: UniqueGalaxyInput, status: Uint8Array): boolean {
  const flag = (r: number) => input.zFlag?.[r] ?? NaN;
  const galaxies = rows.filter((r) => flag(r) !== STAR_FLAG);
  for (const r of rows) status[r] = flag(r) === STAR_FLAG ? TIE.star : TIE.dropped;
  if (galaxies.length === 0) return false;
  let survivors = keepMax(galaxies, flag);
  survivors = keepMax(survivors, (r) => instrumentTypeScore(input.instrumentType?.[r]));
  if (survivors.length === 1) {
    status[survivors[0]] = TIE.kept;
    return false;
  }
  survivors.sort((a, b) => input.z[a] - input.z[b] || compareIds(idOf(input, a), idOf(input, b)));
  const winners: number[] = [];
  let best = survivors[0];
  for (let i = 1; i <= survivors.length; i++) {
    const r = survivors[i];
    if (
      i < survivors.length &&
      Math.abs(input.z[r] - input.z[survivors[i - 1]]) <= DELTA_Z_THRESHOLD + DELTA_Z_SLACK
    ) {
      if (compareIds(idOf(input, r), idOf(input, best)) < 0) best = r;
      continue;
    }
    winners.push(best);
    best = r;
  }
  const unresolved = winners.length > 1;
  for (const r of winners) status[r] = unresolved ? TIE.unresolved : TIE.kept;
  return unresolved;
}

/**
 * Applies the unique-galaxy rules. Returns one tie_result code per row (0 dropped, 1 kept,
 * 2 unresolved, 3 star) and the counts. Rows without a photometric id are kept (1 or 3).
 */
export function resolveUniqueGalaxies(input: UniqueGalaxyInput): {
  status: Uint8Array;
  report: UniqueGalaxyReport;
} {
  const n = input.photometricId.length;
  const status = new Uint8Array(n).fill(TIE.kept);
  if (input.zFlag)
    for (let i = 0; i < n; i++) if (input.zFlag[i] === STAR_FLAG) status[i] = TIE.star;
  const { order, starts } = groupRows(input.photometricId);
  let groups = 0;
  let unresolvedGroups = 0;
  for (let g = 0; g + 1 < starts.length; g++) {
    if (starts[g + 1] - starts[g] < 2) continue;
    groups++;
    const rows = Array.from(order.subarray(starts[g], starts[g + 1]));
    if (resolveGroup(rows, input, status)) unresolvedGroups++;
  }
  const report: UniqueGalaxyReport = {
    rowsIn: n,
    groups,
    kept: 0,
    dropped: 0,
    unresolvedGroups,
    unresolvedRows: 0,
    stars: 0,
  };
  for (let i = 0; i < n; i++) {
    if (status[i] === TIE.kept) report.kept++;
    else if (status[i] === TIE.dropped) report.dropped++;
    else if (status[i] === TIE.unresolved) report.unresolvedRows++;
    else report.stars++;
  }
  return { status, report };
}

/**
 * One-to-one on the photometric side (LSDB issue #152): among rows still kept (`status` != 0)
 * that share a photometric object, only the nearest stays; the others are set to 0 in `status`
 * (changed in place). Ties in distance go to the smallest spec-z id. Returns how many were dropped.
 */
export function enforceOneToOne(
  photometricId: ArrayLike<GroupKey>,
  distArcsec: ArrayLike<number>,
  status: Uint8Array,
  speczId?: ArrayLike<RowId | null | undefined>,
): number {
  const { order, starts } = groupRows(photometricId, (r) => status[r] !== TIE.dropped);
  const id = (r: number): RowId => speczId?.[r] ?? r;
  let dropped = 0;
  for (let g = 0; g + 1 < starts.length; g++) {
    if (starts[g + 1] - starts[g] < 2) continue;
    let best = order[starts[g]];
    for (let k = starts[g] + 1; k < starts[g + 1]; k++) {
      const r = order[k];
      const d = distArcsec[r] - distArcsec[best];
      if (d < 0 || (d === 0 && compareIds(id(r), id(best)) < 0)) best = r;
    }
    for (let k = starts[g]; k < starts[g + 1]; k++) {
      const r = order[k];
      if (r !== best) {
        status[r] = TIE.dropped;
        dropped++;
      }
    }
  }
  return dropped;
}
