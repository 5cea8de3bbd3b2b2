/**
 * Redshift quality flags and instrument types on the Combine Redshift Catalogs (CRC) scale of
 * LIneA's Photo-z Server (pzserver_combine_redshift_dedup, `flags_translation.yaml` and
 * `packages/specz_homogenization.py`; tsm-domain.md §7.2).
 *
 * Flag scale (VVDS-inspired): 0 no redshift, 1 < 70 %, 2 70-90 %, 3 90-99 %, 4 > 99 %, 6 star.
 * Instrument type: s spectroscopic (3) > g grism (2) > p photometric (1) > unknown (0).
 */

/** The homogenized flag of a star; stars never take part in duplicate resolution (CRC). */
export const STAR_FLAG = 6;

/** Valid homogenized flags (CRC validates user columns against this set). */
export const VALID_FLAGS: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 6]);

/** CRC `instrument_type_priority: {s: 3, g: 2, p: 1}`; anything else scores 0. */
export function instrumentTypeScore(type: string | null | undefined): number {
  switch (typeof type === 'string' ? type.trim().toLowerCase() : '') {
    case 's':
      return 3;
    case 'g':
      return 2;
    case 'p':
      return 1;
    default:
      return 0;
  }
}

export interface HomogenizedFlags {
  /** One flag per row: 0-4, 6, or NaN when missing or not on the scale. */
  flags: Float64Array;
  /** 'scale' when the column already holds CRC flags, 'probability' when it held [0, 1] values. */
  source: 'scale' | 'probability' | 'none';
  /** Non-missing values that were not on the scale (kept as NaN, i.e. lowest priority). */
  invalid: number;
}

/**
 * Brings a user's z_flag column to the CRC scale.
 *
 * CRC's probability fast path: when every finite value lies in [0, 1] and at least one is
 * fractional, values are confidences: 0 -> 0; (0, 0.7) -> 1; [0.7, 0.9) -> 2; [0.9, 0.99) -> 3;
 * [0.99, 1] -> 4. Otherwise the values must already be in {0, 1, 2, 3, 4, 6}; others become NaN
 * (missing; CRC ranks NaN as -inf) and are counted in `invalid`.
 */
export function homogenizeFlags(values: ArrayLike<number | null | undefined>): HomogenizedFlags {
  const n = values.length;
  const flags = new Float64Array(n).fill(NaN);
  let finite = 0;
  let allUnit = true;
  let anyFraction = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    finite++;
    if (v < 0 || v > 1) allUnit = false;
    else if (!Number.isInteger(v)) anyFraction = true;
  }
  if (finite === 0) return { flags, source: 'none', invalid: 0 };
  if (allUnit && anyFraction) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      flags[i] = v === 0 ? 0 : v < 0.7 ? 1 : v < 0.9 ? 2 : v < 0.99 ? 3 : 4;
    }
    return { flags, source: 'probability', invalid: 0 };
  }
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (VALID_FLAGS.has(v)) flags[i] = v;
    else invalid++;
  }
  return { flags, source: 'scale', invalid };
}

/** A spec-z id for tie-breaking: the id column's value, or the row number when there is none. */
export type RowId = string | number | bigint;

const INTEGER = /^-?\d+$/;

/**
 * Orders two ids: numerically when both are numbers or integer strings (so "988" < "1012"),
 * else by UTF-16 code units (CRC keeps "the lexicographically smallest CRD_ID").
 */
export function compareIds(a: RowId, b: RowId): number {
  const an = typeof a === 'string' ? (INTEGER.test(a) ? BigInt(a) : null) : a;
  const bn = typeof b === 'string' ? (INTEGER.test(b) ? BigInt(b) : null) : b;
  if (an !== null && bn !== null) {
    if (typeof an === 'number' && typeof bn === 'number') return an < bn ? -1 : an > bn ? 1 : 0;
    const x = typeof an === 'bigint' ? an : Number.isInteger(an) ? BigInt(an) : null;
    const y = typeof bn === 'bigint' ? bn : Number.isInteger(bn) ? BigInt(bn) : null;
    if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  }
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}
