import { Type, type Table, type Vector } from 'apache-arrow';
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
