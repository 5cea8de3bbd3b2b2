import { UserError } from '../errors';
import { Type, type Field, type Schema, type Vector } from 'apache-arrow';

/** numpy-style dtype of one compound member, and how to turn a batch column into its data. */
export interface Hdf5Member {
  name: string;
  dtype: string;
  /** astropy ECSV datatype name for `__table_column_meta__`. */
  datatype: string;
  isBool: boolean;
  /** Set on `<name>.mask`, astropy's mask of column `name` (1 = null). */
  maskOf?: string;
}

const INT_DTYPES: Record<string, [string, string]> = {
  '8/true': ['<b', 'int8'],
  '16/true': ['<h', 'int16'],
  '32/true': ['<i', 'int32'],
  '64/true': ['<q', 'int64'],
  '8/false': ['<B', 'uint8'],
  '16/false': ['<H', 'uint16'],
  '32/false': ['<I', 'uint32'],
  '64/false': ['<Q', 'uint64'],
};

/** The compound member for a field; strings are fixed-length `S<n>` (h5wasm has no VLEN in compounds). */
export function hdf5Member(field: Field, stringBytes: number): Hdf5Member {
  const t = field.type;
  switch (t.typeId) {
    case Type.Float: {
      const double = (t as unknown as { precision: number }).precision === 2;
      return {
        name: field.name,
        dtype: double ? '<d' : '<f',
        datatype: double ? 'float64' : 'float32',
        isBool: false,
      };
    }
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      const [dtype, datatype] = INT_DTYPES[`${bitWidth}/${isSigned}`];
      return { name: field.name, dtype, datatype, isBool: false };
    }
    case Type.Bool:
      // stored as int8 0/1; the dataset attribute `tsm_bool_columns` lists them for our reader
      return { name: field.name, dtype: '<b', datatype: 'int8', isBool: true };
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Dictionary:
      return {
        name: field.name,
        dtype: `S${Math.max(1, stringBytes)}`,
        datatype: 'string',
        isBool: false,
      };
    default:
      throw new UserError(
        `column '${field.name}' has type ${t}, which HDF5 output does not support: leave it out (photometry.columns, --columns) or write Parquet, CSV or HATS`,
      );
  }
}

/** Whether a column's nulls need a mask column: NaN already stands for a null float. */
export function needsMask(field: Field): boolean {
  return field.type.typeId !== Type.Float;
}

/**
 * The members of a table's compound type: each field's, and after each one that has nulls and no
 * NaN for them, its mask `<name>.mask` (int8, 1 = null) as astropy serialises a MaskedColumn, so
 * astropy reads the nulls back as masked values (and h5py, pandas see the mask column).
 */
export function hdf5Members(
  schema: Schema,
  layout: { widthBytes(name: string): number; hasNulls(name: string): boolean },
): Hdf5Member[] {
  const out: Hdf5Member[] = [];
  for (const f of schema.fields) {
    out.push(hdf5Member(f, layout.widthBytes(f.name)));
    if (needsMask(f) && layout.hasNulls(f.name)) {
      out.push({
        name: `${f.name}.mask`,
        dtype: '<b',
        datatype: 'int8',
        isBool: true,
        maskOf: f.name,
      });
    }
  }
  return out;
}

const INT_NULL: Record<string, bigint | number> = {
  '<b': -128,
  '<h': -32768,
  '<i': -2147483648,
  '<q': -9223372036854775808n,
  '<B': 255,
  '<H': 65535,
  '<I': 4294967295,
  '<Q': 18446744073709551615n,
};

/**
 * A column as h5wasm wants it inside a compound Map: a typed array for numbers (float nulls as
 * NaN, integer nulls as the type's minimum (signed) or maximum (unsigned)), 0/1 for booleans,
 * strings ('' for null) for `S<n>`.
 */
export function hdf5ColumnData(member: Hdf5Member, vec: Vector): ArrayLike<unknown> {
  const n = vec.length;
  const nulls = vec.nullCount > 0;
  if (member.maskOf !== undefined) {
    // `vec` is the masked column's own
    const mask = new Int8Array(n);
    if (nulls) for (let i = 0; i < n; i++) mask[i] = vec.isValid(i) ? 0 : 1;
    return mask;
  }
  if (member.isBool) {
    const out = new Int8Array(n);
    for (let i = 0; i < n; i++) out[i] = vec.get(i) ? 1 : 0;
    return out;
  }
  if (member.dtype.startsWith('S')) {
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = vec.get(i);
      out[i] = v === null || v === undefined ? '' : String(v);
    }
    return out;
  }
  const values = vec.toArray() as ArrayLike<number | bigint>;
  if (!nulls) return values;
  const copy = (values as unknown as { slice(): Float64Array }).slice() as unknown as (
    number | bigint
  )[];
  const sentinel = member.dtype === '<d' || member.dtype === '<f' ? NaN : INT_NULL[member.dtype];
  for (let i = 0; i < n; i++) if (!vec.isValid(i)) copy[i] = sentinel as number;
  return copy;
}

function yamlScalar(text: string): string {
  return JSON.stringify(text); // a JSON string is a valid YAML double-quoted scalar
}

/**
 * astropy's `<path>.__table_column_meta__` lines (the ECSV header YAML without '# ', one line per
 * array element; shared/reference/js-libs.md §4): column names, datatypes and units, and the table
 * meta (the run's parameters) as an ordered map.
 */
export function astropyMetaLines(
  members: Hdf5Member[],
  units: Record<string, string | undefined>,
  metadata: Record<string, string>,
): string[] {
  const lines = ['datatype:'];
  for (const m of members) {
    const unit = units[m.name];
    lines.push(
      `- {name: ${yamlScalar(m.name)}${unit ? `, unit: ${yamlScalar(unit)}` : ''}, datatype: ${m.datatype}}`,
    );
  }
  const entries = Object.entries(metadata);
  const masked = members.filter((m) => m.maskOf !== undefined);
  if (entries.length > 0 || masked.length > 0) {
    lines.push('meta: !!omap');
    for (const [k, v] of entries) lines.push(`- {${yamlScalar(k)}: ${yamlScalar(v)}}`);
  }
  if (masked.length > 0) {
    // as astropy writes a MaskedColumn (Table.write(..., serialize_meta=True))
    lines.push('- __serialized_columns__:');
    for (const m of masked) {
      const name = yamlScalar(m.maskOf!);
      lines.push(`    ${name}:`);
      lines.push('      __class__: astropy.table.column.MaskedColumn');
      lines.push(`      data: !astropy.table.SerializedColumn {name: ${name}}`);
      lines.push(`      mask: !astropy.table.SerializedColumn {name: ${yamlScalar(m.name)}}`);
    }
  }
  lines.push('schema: astropy-2.0');
  return lines;
}

export function unitsOf(
  schema: Schema,
  units: Record<string, string> = {},
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const f of schema.fields) out[f.name] = units[f.name] ?? f.metadata.get('unit');
  return out;
}
