/**
 * Arrow columns to typed arrays and back, chunk by chunk without per-row `get()` (which costs
 * ~0.5 µs a row, js-libs.md §5).
 */
import { Float64, Table, Type, makeData, makeVector, type Vector } from 'apache-arrow';
import { UserError } from '../errors';

function missing(name: string, where: string): never {
  throw new UserError(`${where}: column '${name}' is not in the catalog.`);
}

/** A numeric column as Float64Array; nulls become NaN. */
export function columnAsFloat64(table: Table, name: string, where = 'catalog'): Float64Array {
  const vec = table.getChild(name);
  if (!vec) missing(name, where);
  const typeId = vec.type.typeId;
  if (typeId !== Type.Float && typeId !== Type.Int) {
    throw new UserError(`${where}: column '${name}' is ${vec.type}, not a number column.`);
  }
  const out = new Float64Array(vec.length);
  let at = 0;
  for (const data of vec.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const n = data.length;
    if (values instanceof Float64Array || values instanceof Float32Array) {
      out.set(values.subarray(0, n), at);
    } else if (typeId === Type.Float) {
      // Float16 is stored as raw uint16 halves: decode through get().
      for (let i = 0; i < n; i++) out[at + i] = Number(vec.get(at + i) ?? Number.NaN);
    } else {
      for (let i = 0; i < n; i++) out[at + i] = Number(values[i]);
    }
    if (data.nullCount > 0 && data.nullBitmap) {
      const bits = data.nullBitmap;
      const off = data.offset;
      for (let i = 0; i < n; i++) {
        const b = off + i;
        if ((bits[b >> 3] & (1 << (b & 7))) === 0) out[at + i] = Number.NaN;
      }
    }
    at += n;
  }
  return out;
}

/** 1 where `column == equals` (nulls count as false), for boolean or 0/1 integer columns. */
export function equalsMask(
  table: Table,
  name: string,
  equals: boolean,
  where = 'catalog',
): Uint8Array {
  const vec = table.getChild(name);
  if (!vec) missing(name, where);
  const out = new Uint8Array(vec.length);
  if (vec.type.typeId === Type.Bool) {
    let at = 0;
    for (const data of vec.data) {
      const bits = data.values as Uint8Array;
      const nulls = data.nullCount > 0 ? data.nullBitmap : null;
      for (let i = 0; i < data.length; i++) {
        const b = data.offset + i;
        const valid = !nulls || (nulls[b >> 3] & (1 << (b & 7))) !== 0;
        const v = (bits[b >> 3] & (1 << (b & 7))) !== 0;
        out[at + i] = valid && v === equals ? 1 : 0;
      }
      at += data.length;
    }
    return out;
  }
  const values = columnAsFloat64(table, name, where);
  for (let i = 0; i < values.length; i++)
    out[i] = (values[i] !== 0) === equals && values[i] === values[i] ? 1 : 0;
  return out;
}

/** A non-null float64 Arrow vector over the given array (zero-copy). */
export function float64Vector(values: Float64Array): Vector<Float64> {
  return makeVector(makeData({ type: new Float64(), length: values.length, data: values }));
}
