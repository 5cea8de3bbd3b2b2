import { UserError } from '../errors';
import { Type, type Field, type Vector } from 'apache-arrow';

/** How one Arrow column is stored in a FITS binary table (FITS Standard 4.0 §7.3, Table 18). */
export interface FitsColumnSpec {
  name: string;
  /** TFORM: L, B, I, J, K, E, D or nA. */
  tform: string;
  /** Bytes per row. */
  width: number;
  /** TNULL for integer columns that may hold nulls. */
  tnull?: bigint;
  /** TZERO offset (unsigned 64-bit integers, and 8-bit signed stored as B). */
  tzero?: bigint;
  unit?: string;
}

const INT_FORMS: Record<string, [string, number, bigint]> = {
  // bits/signed -> [TFORM, width, TNULL]
  '8/true': ['I', 2, -32768n],
  '16/true': ['I', 2, -32768n],
  '32/true': ['J', 4, -2147483648n],
  '64/true': ['K', 8, -9223372036854775808n],
  '8/false': ['B', 1, 255n],
  '16/false': ['J', 4, -2147483648n],
  '32/false': ['K', 8, -9223372036854775808n],
  '64/false': ['K', 8, -9223372036854775808n],
};

/**
 * The FITS column for an Arrow field. `stringBytes` is the longest UTF-8 value of a string column
 * (at least 1). Unsupported types are refused naming the column.
 */
export function fitsColumnSpec(field: Field, stringBytes = 1, unit?: string): FitsColumnSpec {
  const t = field.type;
  const base = { name: field.name, unit };
  switch (t.typeId) {
    case Type.Float: {
      const single = (t as unknown as { precision: number }).precision === 1;
      if ((t as unknown as { precision: number }).precision === 0) {
        return { ...base, tform: 'E', width: 4 }; // half floats widened to float32
      }
      return single ? { ...base, tform: 'E', width: 4 } : { ...base, tform: 'D', width: 8 };
    }
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      const [tform, width, tnull] = INT_FORMS[`${bitWidth}/${isSigned}`];
      const spec: FitsColumnSpec = { ...base, tform, width };
      if (field.nullable) spec.tnull = tnull;
      if (bitWidth === 64 && !isSigned) {
        spec.tzero = 9223372036854775808n;
        // TNULL is the stored value (FITS 4.0 §7.3): -2^63 is how 0 is stored under
        // TZERO = 2^63, so a real 0 read back as null and astropy refused the file. 2^63 - 1 is
        // how 2^64 - 1 is stored: that value now reads back as null. astropy 8 compares TNULL
        // with the value after TZERO, so it reads these nulls as 2^64 - 1, unmasked.
        if (field.nullable) spec.tnull = 9223372036854775807n;
      }
      return spec;
    }
    case Type.Bool:
      return { ...base, tform: 'L', width: 1 };
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Dictionary: {
      const n = Math.max(1, stringBytes);
      return { ...base, tform: `${n}A`, width: n };
    }
    default:
      throw new UserError(
        `column '${field.name}' has type ${t}, which FITS output does not support: leave it out (photometry.columns, --columns) or write Parquet, CSV or HATS`,
      );
  }
}

/** True for the column types written as fixed-width FITS strings. */
export function isStringField(field: Field): boolean {
  const id = field.type.typeId;
  return id === Type.Utf8 || id === Type.LargeUtf8 || id === Type.Dictionary;
}

const encoder = new TextEncoder();

/**
 * Writes row i of `vec` at `offset` of `view`, big-endian. Float nulls are IEEE NaN; integer
 * nulls are TNULL; boolean nulls are byte 0; strings are space-padded (null = spaces).
 */
export function fitsCellEncoder(
  spec: FitsColumnSpec,
  vec: Vector,
): (view: DataView, bytes: Uint8Array, offset: number, i: number) => void {
  const nulls = vec.nullCount > 0;
  const values =
    vec.type.typeId === Type.Int || vec.type.typeId === Type.Float
      ? (vec.toArray() as ArrayLike<number | bigint>)
      : undefined;
  switch (spec.tform) {
    case 'D':
      return (view, _b, off, i) =>
        view.setFloat64(off, nulls && !vec.isValid(i) ? NaN : Number(values![i]));
    case 'E':
      return (view, _b, off, i) =>
        view.setFloat32(off, nulls && !vec.isValid(i) ? NaN : Number(values![i]));
    case 'I':
      return (view, _b, off, i) =>
        view.setInt16(
          off,
          nulls && !vec.isValid(i) ? Number(spec.tnull ?? 0n) : Number(values![i]),
        );
    case 'J':
      return (view, _b, off, i) =>
        view.setInt32(
          off,
          nulls && !vec.isValid(i) ? Number(spec.tnull ?? 0n) : Number(values![i]),
        );
    case 'B':
      return (view, _b, off, i) =>
        view.setUint8(
          off,
          nulls && !vec.isValid(i) ? Number(spec.tnull ?? 0n) : Number(values![i]),
        );
    case 'K': {
      const zero = spec.tzero ?? 0n;
      return (view, _b, off, i) => {
        if (nulls && !vec.isValid(i)) view.setBigInt64(off, spec.tnull ?? 0n);
        else view.setBigInt64(off, BigInt.asIntN(64, BigInt(values![i]) - zero));
      };
    }
    case 'L':
      return (view, _b, off, i) =>
        view.setUint8(off, nulls && !vec.isValid(i) ? 0 : vec.get(i) ? 0x54 : 0x46);
    default: {
      // nA
      return (_view, bytes, off, i) => {
        bytes.fill(0x20, off, off + spec.width);
        if (nulls && !vec.isValid(i)) return;
        const encoded = encoder.encode(String(vec.get(i)));
        bytes.set(encoded.subarray(0, spec.width), off);
      };
    }
  }
}

/** Longest UTF-8 length of a string column in a batch. */
export function maxUtf8Bytes(vec: Vector): number {
  let max = 0;
  for (let i = 0; i < vec.length; i++) {
    const v = vec.get(i);
    if (v === null || v === undefined) continue;
    const s = String(v);
    const n = s.length * 3 > max ? encoder.encode(s).length : 0;
    if (n > max) max = n;
  }
  return max;
}
