import {
  Type,
  makeBuilder,
  makeData,
  makeVector,
  type Data,
  type DataType,
  type Vector,
} from 'apache-arrow';

type FixedCtor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Typed array of the values buffer for fixed-width numeric Arrow types (bitWidth / float precision). */
function fixedCtor(type: DataType): FixedCtor | undefined {
  if (type.typeId === Type.Int) {
    const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
    if (bitWidth === 8) return isSigned ? Int8Array : Uint8Array;
    if (bitWidth === 16) return isSigned ? Int16Array : Uint16Array;
    if (bitWidth === 32) return isSigned ? Int32Array : Uint32Array;
    return isSigned ? BigInt64Array : BigUint64Array;
  }
  if (type.typeId === Type.Float) {
    const { precision } = type as unknown as { precision: number };
    if (precision === 1) return Float32Array;
    if (precision === 2) return Float64Array;
  }
  return undefined;
}

/**
 * Rows `indices` of `vector` as a new vector of the same type; index -1 gives null (left-join rows
 * with no match). Fixed-width numeric columns are gathered straight from their value buffers;
 * other types (strings, booleans, nested) go through an Arrow builder.
 */
export function takeRows(vector: Vector, indices: Int32Array | Uint32Array): Vector {
  const type = vector.type as DataType;
  const n = indices.length;
  const Ctor = fixedCtor(type);
  if (Ctor) {
    const chunks = vector.data;
    const offsets = new Float64Array(chunks.length + 1);
    for (let c = 0; c < chunks.length; c++) offsets[c + 1] = offsets[c] + chunks[c].length;
    const out = new Ctor(n);
    let bitmap: Uint8Array | undefined;
    let nullCount = 0;
    const setNull = (i: number) => {
      if (!bitmap) {
        bitmap = new Uint8Array((n + 7) >> 3).fill(0xff);
      }
      bitmap[i >> 3] &= ~(1 << (i & 7));
      nullCount++;
    };
    const single = chunks.length === 1 ? chunks[0] : undefined;
    for (let i = 0; i < n; i++) {
      const src = indices[i];
      if (src < 0) {
        setNull(i);
        continue;
      }
      let chunk: Data;
      let local: number;
      if (single) {
        chunk = single;
        local = src;
      } else {
        let c = 0;
        while (offsets[c + 1] <= src) c++;
        chunk = chunks[c];
        local = src - offsets[c];
      }
      if (chunk.nullCount > 0 && !chunk.getValid(local)) {
        setNull(i);
        continue;
      }
      (out as unknown as ArrayLike<unknown> & Record<number, unknown>)[i] = (
        chunk.values as unknown as ArrayLike<unknown>
      )[local];
    }
    return makeVector(
      makeData({ type, length: n, data: out, nullBitmap: bitmap, nullCount } as never),
    );
  }
  const builder = makeBuilder({ type, nullValues: [null, undefined] });
  for (let i = 0; i < n; i++) {
    const src = indices[i];
    builder.append(src < 0 ? null : vector.get(src));
  }
  return makeVector(builder.finish().flush());
}
