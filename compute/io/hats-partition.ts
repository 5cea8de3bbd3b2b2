import type { Pixel } from '../hats/types';

/** Options of {@link planPartitions}; defaults are lsdb `from_dataframe`'s. */
export interface PartitionPlanOptions {
  /** Most rows in one partition (lsdb `partition_rows`). */
  partitionRows: number;
  lowestOrder?: number;
  highestOrder?: number;
}

/** One planned partition and how many rows fall in it. */
export interface PlannedPartition extends Pixel {
  rows: number;
}

const npix = (order: number): number => 12 * 4 ** order;

/**
 * HEALPix pixel at `order` (<= 13) of each `_healpix_29` value: h >> 2(29 - order), taken from
 * the high 32-bit word (2(29 - order) >= 32), so no BigInt is created per row.
 */
export function pixelsAtOrder(healpix29: BigInt64Array, order: number): Int32Array {
  if (order > 13) throw new RangeError(`pixelsAtOrder supports orders <= 13 (got ${order})`);
  const n = healpix29.length;
  const words = new Uint32Array(healpix29.buffer, healpix29.byteOffset, n * 2);
  const hiAt = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  const shift = 2 * (29 - order) - 32;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = words[2 * i + hiAt] >>> shift;
  return out;
}

/**
 * Row-count histogram at `order` (<= 13) from `_healpix_29` values. Adds into `into` when given
 * (for streamed input).
 */
export function histogramAtOrder(
  healpix29: BigInt64Array,
  order: number,
  into: Float64Array = new Float64Array(npix(order)),
): Float64Array {
  const pixels = pixelsAtOrder(healpix29, order);
  for (let i = 0; i < pixels.length; i++) into[pixels[i]] += 1;
  return into;
}

/** Lookup: pixel at `order` -> index of the partition containing it (-1 outside every partition). */
export function partitionLookup(partitions: Pixel[], order: number): Int32Array {
  const table = new Int32Array(npix(order)).fill(-1);
  partitions.forEach((p, k) => {
    if (p.order > order)
      throw new RangeError(`partition ${p.order}/${p.pixel} is deeper than order ${order}`);
    const span = 4 ** (order - p.order);
    table.fill(k, p.pixel * span, (p.pixel + 1) * span);
  });
  return table;
}

/**
 * Chooses the partitions of a catalog from its row histogram at `highestOrder`, exactly like
 * hats `generate_alignment(..., drop_empty_siblings=True, use_lower_order=True)` as called by
 * lsdb `from_dataframe` (shared/reference/hats-lsdb.md §3.8; hats
 * `src/hats/pixel_math/partition_stats.py`):
 * 1. the effective highest order is lowered while the largest bin stays <= partitionRows
 *    (never down to `lowestOrder` itself);
 * 2. from high to low order, a quad merges into its parent when its sum <= partitionRows and
 *    more than one child has rows (sum != max), so isolated clusters stay small.
 * Returns the non-empty partitions sorted breadth-first (by pixel << 2(29 - order)).
 */
export function planPartitions(
  histogram: Float64Array,
  options: PartitionPlanOptions,
): PlannedPartition[] {
  const lowest = options.lowestOrder ?? 0;
  let highest = options.highestOrder ?? 7;
  const threshold = options.partitionRows;
  if (histogram.length !== npix(highest)) throw new Error('histogram is not the right size');
  if (lowest > highest) throw new Error('lowestOrder must be <= highestOrder');
  // nested sums: sums[o] for o in [lowest, highest]
  const sums: Float64Array[] = [];
  sums[highest] = histogram;
  for (let o = highest - 1; o >= lowest; o--) {
    const child = sums[o + 1];
    const parent = new Float64Array(npix(o));
    for (let p = 0; p < child.length; p++) parent[p >> 2] += child[p];
    sums[o] = parent;
  }
  let maxBin = 0;
  for (const v of histogram) if (v > maxBin) maxBin = v;
  if (maxBin > threshold) {
    throw new Error(
      `one HEALPix pixel at order ${highest} holds ${maxBin} rows, more than the ${threshold} rows per partition: raise partitionRows or highestOrder`,
    );
  }
  let effective = highest;
  for (let o = highest; o > lowest; o--) {
    let m = 0;
    for (const v of sums[o]) if (v > m) m = v;
    if (m > threshold) break;
    effective = o;
  }
  highest = effective;
  // order map at `highest`: -1 for empty, else the order the pixel's rows go to
  const top = sums[highest];
  const orderMap = new Int8Array(top.length);
  for (let p = 0; p < top.length; p++) orderMap[p] = top[p] > 0 ? highest : -1;
  for (let o = highest - 1; o >= lowest; o--) {
    const level = sums[o];
    const childLevel = sums[o + 1];
    const explode = 4 ** (highest - o);
    for (let q = 0; q < level.length; q++) {
      const sum = level[q];
      if (sum === 0) continue;
      const max = Math.max(
        childLevel[4 * q],
        childLevel[4 * q + 1],
        childLevel[4 * q + 2],
        childLevel[4 * q + 3],
      );
      if (sum !== max && sum <= threshold) orderMap.fill(o, q * explode, (q + 1) * explode);
    }
  }
  const out: PlannedPartition[] = [];
  let p = 0;
  while (p < top.length) {
    const order = orderMap[p];
    if (order < 0) {
      p += 1;
      continue;
    }
    const span = 4 ** (highest - order);
    const pixel = Math.floor(p / span);
    out.push({ order, pixel, rows: sums[order][pixel] });
    p = (pixel + 1) * span;
  }
  return out; // scanning the highest-order pixels in increasing order is breadth-first order
}

/** First and one-past-last `_healpix_29` of a pixel: [p * 4^(29-k), (p+1) * 4^(29-k)). */
export function pixelRange29(pixel: Pixel): [bigint, bigint] {
  const shift = BigInt(2 * (29 - pixel.order));
  return [BigInt(pixel.pixel) << shift, BigInt(pixel.pixel + 1) << shift];
}
