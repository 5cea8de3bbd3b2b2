import { Type, type Data, type Table, type Vector } from 'apache-arrow';
import { ang2pixNestNumber } from '../healpix';
import { UserError } from '../errors';

/** A numeric column as Float64Array (ra/dec); a null or missing value is a UserError. */
export function coordinateColumn(table: Table, name: string, where: string): Float64Array {
  const v = table.getChild(name);
  if (!v)
    throw new UserError(`${where}: column '${name}' not found; give the right ra/dec column names`);
  if (v.nullCount > 0) {
    throw new UserError(
      `${where}: column '${name}' has ${v.nullCount} null values; remove those rows`,
    );
  }
  const arr = v.toArray() as ArrayLike<number>;
  return arr instanceof Float64Array ? arr : Float64Array.from(arr, Number);
}

/**
 * Of the first `n` rows, how many have a NaN or infinite ra or dec: such a row has no position,
 * so it never matches (a null one is refused by {@link coordinateColumn}).
 */
export function countNoPosition(ra: Float64Array, dec: Float64Array, n: number): number {
  let bad = 0;
  // x - x is 0 for a finite x, NaN for NaN and ±Infinity
  for (let i = 0; i < n; i++) if (ra[i] - ra[i] !== 0 || dec[i] - dec[i] !== 0) bad++;
  return bad;
}

/**
 * For every row, the NESTED pixel at `toOrder` of its spatial index column (stored at
 * `fromOrder`): `h >> 2(fromOrder - toOrder)` (hats `spatial_index.py`), computed on the two
 * 32-bit words of the int64 so that no BigInt is made per row. When `toOrder > fromOrder` the
 * column cannot answer and the pixel comes from ra/dec instead.
 */
export function pixelsAtOrder(
  table: Table,
  column: string,
  fromOrder: number,
  toOrder: number,
  ra: Float64Array,
  dec: Float64Array,
): Float64Array {
  if (toOrder > 24) throw new RangeError(`pixelsAtOrder: order ${toOrder} is above 24`);
  const n = table.numRows;
  const out = new Float64Array(n);
  const v = table.getChild(column);
  const isInt64 =
    v !== null &&
    v.type.typeId === Type.Int &&
    (v.type as unknown as { bitWidth: number }).bitWidth === 64;
  if (!v || !isInt64 || toOrder > fromOrder || v.nullCount > 0) {
    for (let i = 0; i < n; i++) out[i] = ang2pixNestNumber(toOrder, ra[i], dec[i]);
    return out;
  }
  const shift = 2 * (fromOrder - toOrder);
  let row = 0;
  for (const chunk of (v as Vector).data) {
    const values = chunk.values as BigInt64Array;
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
    const lo = little ? 0 : 1;
    const hi = 1 - lo;
    for (let i = 0; i < chunk.length; i++) {
      const h = words[2 * i + hi];
      const l = words[2 * i + lo];
      out[row++] =
        shift >= 32
          ? Math.floor(h / 2 ** (shift - 32))
          : h * 2 ** (32 - shift) + Math.floor(l / 2 ** shift);
    }
  }
  return out;
}

/**
 * The rows `[start, end)` whose spatial index (stored at `fromOrder`) falls in `pixel` at
 * `order`, found by binary search when the column is a non-null int64 sorted ascending (as hats
 * writes partitions); null when it is not, and the caller uses `pixelsAtOrder` instead.
 */
export function sortedPixelRange(
  table: Table,
  column: string,
  fromOrder: number,
  order: number,
  pixel: number,
): [number, number] | null {
  const v = table.getChild(column);
  if (!v || order > fromOrder || v.nullCount > 0) return null;
  if (v.type.typeId !== Type.Int || (v.type as unknown as { bitWidth: number }).bitWidth !== 64)
    return null;
  const values = int64Values(v);
  if (!isSortedInt64(values)) return null;
  const shift = BigInt(2 * (fromOrder - order));
  const lowerBound = (key: bigint): number => {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [lowerBound(BigInt(pixel) << shift), lowerBound(BigInt(pixel + 1) << shift)];
}

/**
 * Joined values by the column's first chunk: `table.getChild` makes a new Vector every call, over
 * the same chunks (a cached partition's, read by every aligned pixel inside it).
 */
const joined = new WeakMap<Data, { chunks: readonly Data[]; all: BigInt64Array }>();

/** The values of an int64 column as one array (chunks of several row groups joined once). */
function int64Values(v: Vector): BigInt64Array {
  if (v.data.length === 1) return v.data[0].values as BigInt64Array;
  const cached = joined.get(v.data[0]);
  let all =
    cached &&
    cached.chunks.length === v.data.length &&
    cached.chunks.every((c, k) => c === v.data[k])
      ? cached.all
      : undefined;
  if (!all) {
    all = new BigInt64Array(v.length);
    let at = 0;
    for (const chunk of v.data) {
      all.set((chunk.values as BigInt64Array).subarray(0, chunk.length), at);
      at += chunk.length;
    }
    joined.set(v.data[0], { chunks: v.data, all });
  }
  return all;
}

const sortedCache = new WeakMap<BigInt64Array, boolean>();

/** Whether the values never decrease (checked once per array, on 32-bit words: no BigInt). */
function isSortedInt64(values: BigInt64Array): boolean {
  let known = sortedCache.get(values);
  if (known !== undefined) return known;
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const lo = little ? 0 : 1;
  const hi = 1 - lo;
  known = true;
  for (let i = 1; i < values.length && known; i++) {
    // signed high words (hats indices are never negative, but be exact)
    const h0 = words[2 * (i - 1) + hi] | 0;
    const h1 = words[2 * i + hi] | 0;
    if (h1 < h0 || (h1 === h0 && words[2 * i + lo] < words[2 * (i - 1) + lo])) known = false;
  }
  sortedCache.set(values, known);
  return known;
}
