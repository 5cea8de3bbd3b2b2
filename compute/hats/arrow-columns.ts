import { DataType, Type, makeData, vectorFromArray, type Data } from 'apache-arrow';
import type { DecodedArray } from 'hyparquet';

/**
 * Converts one column of hyparquet output (a typed array, or a plain JS array with `null` /
 * `undefined` for missing values, e.g. for OPTIONAL or dictionary-encoded columns) into Arrow
 * data of `type`. Typed arrays of the right kind are used zero-copy; plain arrays are copied once
 * into the right typed array plus a validity bitmap.
 */
export function toArrowData(values: DecodedArray, type: DataType): Data {
  const length = values.length;
  if (DataType.isFloat(type) || DataType.isInt(type)) {
    // Arrow's own storage class for the type: Float64Array, Int32Array, BigInt64Array, ...
    const Ctor = type.ArrayType as new (n: number) => ArrayLike<unknown> & { [i: number]: unknown };
    if (values instanceof Ctor) return makeData({ type, length, data: values } as never);
    const out = new Ctor(length);
    const is64 = out instanceof BigInt64Array || out instanceof BigUint64Array;
    const { nullBitmap, nullCount } = fill(
      values,
      (i, v) => (out[i] = is64 ? BigInt(v as bigint) : Number(v)),
    );
    return makeData({ type, length, data: out, nullBitmap, nullCount } as never);
  }
  if (DataType.isTimestamp(type)) {
    // the counts as they are (Arrow's own setters take milliseconds, as a double)
    const out = new BigInt64Array(length);
    const { nullBitmap, nullCount } = fill(values, (i, v) => (out[i] = BigInt(v as bigint)));
    return makeData({ type, length, data: out, nullBitmap, nullCount } as never);
  }
  switch (type.typeId) {
    case Type.Bool: {
      const out = new Uint8Array((length + 7) >> 3);
      const { nullBitmap, nullCount } = fill(values, (i, v) => {
        if (v) out[i >> 3] |= 1 << (i & 7);
      });
      return makeData({ type, length, data: out, nullBitmap, nullCount } as never);
    }
    case Type.Utf8:
      return utf8Data(values, type);
    default: {
      const plain = Array.from(values as ArrayLike<unknown>, (v) => (v === undefined ? null : v));
      return vectorFromArray(plain, type).data[0];
    }
  }
}

/** Calls `set` for every non-null value; returns the validity bitmap (undefined when no nulls). */
function fill(
  values: DecodedArray,
  set: (i: number, v: unknown) => void,
): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const length = values.length;
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const v = (values as ArrayLike<unknown>)[i];
    if (v === null || v === undefined) {
      if (!bitmap) {
        bitmap = new Uint8Array((length + 7) >> 3).fill(0xff);
      }
      bitmap[i >> 3] &= ~(1 << (i & 7));
      nullCount++;
    } else {
      set(i, v);
    }
  }
  return { nullBitmap: bitmap, nullCount };
}

const encoder = new TextEncoder();

function grow(
  bytes: Uint8Array<ArrayBuffer>,
  used: number,
  needed: number,
): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(Math.max(bytes.length * 2, needed));
  grown.set(bytes.subarray(0, used));
  return grown;
}

/**
 * Utf8 data built directly from offsets + bytes, from raw UTF-8 bytes (copied) or JS strings
 * (encoded); vectorFromArray costs ~1.2 µs per string (js-libs.md §5).
 */
function utf8Data(values: DecodedArray, type: DataType): Data {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  let bytes = new Uint8Array(Math.max(64, length * 8));
  let pos = 0;
  const { nullBitmap, nullCount } = fill(values, (i, v) => {
    if (v instanceof Uint8Array) {
      if (pos + v.length > bytes.length) bytes = grow(bytes, pos, pos + v.length);
      bytes.set(v, pos);
      pos += v.length;
      offsets[i + 1] = pos;
      return;
    }
    const s = typeof v === 'string' ? v : String(v);
    // Worst case 3 bytes per UTF-16 unit.
    if (pos + s.length * 3 > bytes.length) bytes = grow(bytes, pos, pos + s.length * 3);
    pos += encoder.encodeInto(s, bytes.subarray(pos)).written;
    offsets[i + 1] = pos;
  });
  // Null slots repeat the previous offset.
  for (let i = 1; i <= length; i++) if (offsets[i] < offsets[i - 1]) offsets[i] = offsets[i - 1];
  return makeData({
    type,
    length,
    valueOffsets: offsets,
    data: bytes.subarray(0, pos),
    nullBitmap,
    nullCount,
  } as never);
}

/** Concatenates the pieces hyparquet hands over for one column (in row order). */
export function concatDecoded(pieces: DecodedArray[]): DecodedArray {
  if (pieces.length === 1) return pieces[0];
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const first = pieces[0];
  if (!Array.isArray(first) && pieces.every((p) => p.constructor === first.constructor)) {
    const Ctor = first.constructor as new (n: number) => {
      set(a: ArrayLike<unknown>, o: number): void;
    };
    const out = new Ctor(total);
    let o = 0;
    for (const p of pieces) {
      out.set(p as ArrayLike<unknown>, o);
      o += p.length;
    }
    return out as unknown as DecodedArray;
  }
  const out: unknown[] = new Array(total);
  let o = 0;
  for (const p of pieces)
    for (let i = 0; i < p.length; i++) out[o++] = (p as ArrayLike<unknown>)[i];
  return out as DecodedArray;
}

const isBigIntArray = (a: unknown): boolean =>
  a instanceof BigInt64Array || a instanceof BigUint64Array;

/**
 * As `toArrowData(concatDecoded(pieces).slice(skip, skip + length), type)`, but a numeric column
 * is written straight into one Arrow typed array: no intermediate concatenation (for
 * dictionary-encoded or OPTIONAL columns hyparquet hands over plain JS arrays, which cost a
 * second array of boxed values and its garbage collection). The pieces must hold at least
 * `skip + length` values.
 */
export function piecesToArrowData(
  pieces: DecodedArray[],
  skip: number,
  length: number,
  type: DataType,
): Data {
  if (!(DataType.isFloat(type) || DataType.isInt(type)) || pieces.length === 1) {
    let values = concatDecoded(pieces);
    if (skip !== 0 || values.length !== length)
      values = values.slice(skip, skip + length) as DecodedArray;
    return toArrowData(values, type);
  }
  const Ctor = type.ArrayType as new (n: number) => ArrayLike<unknown> & {
    [i: number]: unknown;
    set(a: ArrayLike<unknown>, o: number): void;
  };
  const out = new Ctor(length);
  const is64 = isBigIntArray(out);
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  let o = 0; // next output row
  let start = 0; // row of the piece's first value
  for (const piece of pieces) {
    const a = Math.max(0, skip - start);
    const b = Math.min(piece.length, skip + length - start);
    start += piece.length;
    if (a >= b) continue;
    if (ArrayBuffer.isView(piece) && isBigIntArray(piece) === is64) {
      out.set((piece as unknown as Float64Array).subarray(a, b) as ArrayLike<unknown>, o);
      o += b - a;
      continue;
    }
    const values = piece as ArrayLike<unknown>;
    for (let i = a; i < b; i++, o++) {
      const v = values[i];
      if (v === null || v === undefined) {
        bitmap ??= new Uint8Array((length + 7) >> 3).fill(0xff);
        bitmap[o >> 3] &= ~(1 << (o & 7));
        nullCount++;
      } else out[o] = is64 ? BigInt(v as bigint) : Number(v);
    }
  }
  return makeData({ type, length, data: out, nullBitmap: bitmap, nullCount } as never);
}
