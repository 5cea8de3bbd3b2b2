/**
 * The train/test split: column `is_training_set` (1 train, 0 test), as the original pipeline
 * (tsm-run, tsm-domain.md §4.5), but reproducible by key instead of by partition.
 *
 * - random: each group of linked rows (components.ts) is in the training set when
 *   keyedUniform(seed, key) < trainFraction (hash.ts), a Bernoulli draw per spec-z object like
 *   the original's `rng.random(n) < train_fraction`, but keyed on the spec-z id, so the result
 *   does not depend on row order, batches or workers.
 * - stratified: groups are sorted by redshift into `zBins` equal-count bins; in each bin the
 *   round(f·n) groups with the smallest draws are the training set, so train and test follow
 *   the same redshift distribution (and the fraction is exact per bin).
 * Linked rows (same spec-z object, same photometric object) never straddle train and test.
 */
import { UserError } from '../errors';
import { linkRows, type Indexed, type KeyHashes, type LinkScratch } from './components';
import { keyedUniform } from './hash';
import type { GroupKey } from './unique-galaxies';

export interface SplitOptions {
  method: 'random' | 'stratified';
  /** 0 < f < 1. */
  trainFraction: number;
  /** Integer seed, 0 <= seed <= 2^53-1. */
  seed: number;
  /** Bins for the stratified method (default 10). */
  zBins?: number;
}

export interface SplitInput {
  /** Identity of each row's spec-z object: its id, or its coordinates when there is no id. */
  speczKey: Indexed<string>;
  /** Photometric object per row (null when unmatched); rows sharing one stay together. */
  photometricId?: Indexed<GroupKey>;
  /** Spec-z redshift per row (needed by the stratified method). */
  z?: Indexed<number>;
  /** Per row, `keyedUniform(seed, speczKey)` with this split's seed, when the caller has it. */
  draw?: Indexed<number>;
  /** The keys' hashes, when the caller has them (components.ts KeyHashes). */
  hashes?: KeyHashes;
  /** Buffers for the grouping, shared with the caller's other passes (components.ts). */
  scratch?: LinkScratch;
}

export interface SplitReport {
  method: 'random' | 'stratified';
  trainFraction: number;
  seed: number;
  zBins: number | null;
  train: number;
  test: number;
  groups: number;
  prng: string;
}

export const SPLIT_PRNG =
  'is_training_set = splitmix64(seed XOR fnv1a64(spec-z key)) / 2^64 < train_fraction, one draw per linked group';

/** Refuses a fraction outside 0 < f < 1 or a seed that is not a safe non-negative integer. */
export function validateSplit(options: SplitOptions): void {
  const f = options.trainFraction;
  if (!(f > 0 && f < 1)) {
    throw new UserError(`split.trainFraction: must satisfy 0 < f < 1 (got ${f})`);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new UserError(
      `split.seed: must be a whole number from 0 to 2^53-1 (got ${options.seed})`,
    );
  }
  const bins = options.zBins ?? 10;
  if (options.method === 'stratified' && !(Number.isInteger(bins) && bins >= 2)) {
    throw new UserError(`split.zBins: must be a whole number >= 2 (got ${bins})`);
  }
}

/** Stable key of a spec-z row: its id when there is one, else `ra:dec` with full precision. */
export function speczKeyOf(id: unknown, raDeg: number, decDeg: number): string {
  if (id !== null && id !== undefined && id !== '') return `id:${String(id)}`;
  return `radec:${raDeg}:${decDeg}`;
}

/** Computes `is_training_set` for every row. */
export function assignSplit(
  input: SplitInput,
  options: SplitOptions,
): { isTrainingSet: Uint8Array; report: SplitReport } {
  validateSplit(options);
  const n = input.speczKey.length;
  const { component, count, representative } = linkRows(
    input.speczKey,
    input.photometricId,
    input.hashes,
    input.scratch,
  );
  const draw = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const row = representative[c];
    draw[c] = input.draw
      ? input.draw.at(row)!
      : keyedUniform(options.seed, input.speczKey.at(row)!);
  }
  const train = new Uint8Array(count);
  const zBins = options.method === 'stratified' ? (options.zBins ?? 10) : null;
  if (zBins === null) {
    for (let c = 0; c < count; c++) train[c] = draw[c] < options.trainFraction ? 1 : 0;
  } else {
    const z = input.z;
    if (!z) throw new Error('assignSplit: the stratified method needs the z column');
    const zOf = (c: number) => {
      const v = z.at(representative[c])!;
      return Number.isFinite(v) ? v : Infinity;
    };
    // order by z, then by the draw so equal redshifts spread over bins independently of input order
    const byZ = Array.from({ length: count }, (_, c) => c).sort(
      (a, b) => zOf(a) - zOf(b) || draw[a] - draw[b],
    );
    for (let b = 0; b < zBins; b++) {
      const lo = Math.floor((b * count) / zBins);
      const hi = Math.floor(((b + 1) * count) / zBins);
      const bin = byZ.slice(lo, hi).sort((x, y) => draw[x] - draw[y]);
      const nTrain = Math.round(options.trainFraction * bin.length);
      for (let k = 0; k < nTrain; k++) train[bin[k]] = 1;
    }
  }
  const isTrainingSet = new Uint8Array(n);
  let nTrain = 0;
  for (let i = 0; i < n; i++) {
    isTrainingSet[i] = train[component[i]];
    nTrain += isTrainingSet[i];
  }
  return {
    isTrainingSet,
    report: {
      method: options.method,
      trainFraction: options.trainFraction,
      seed: options.seed,
      zBins,
      train: nTrain,
      test: n - nTrain,
      groups: count,
      prng: SPLIT_PRNG,
    },
  };
}
