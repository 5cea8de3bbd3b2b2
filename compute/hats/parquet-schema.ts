import {
  Binary,
  Bool,
  DateDay,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Schema,
  Struct,
  TimeMillisecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  type DataType,
} from 'apache-arrow';
import { parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import {
  decimalDigits,
  exactDecimalKind,
  nestedDecimalColumns,
  nestedDecimalText,
} from './decimal-columns';

/** The Arrow schema of a parquet file, plus the top-level columns this reader cannot convert. */
export interface ParquetArrowSchema {
  schema: Schema;
  /** Column name -> why it is not supported (these are left out of `schema`). */
  unsupported: Map<string, string>;
  /**
   * Column name -> what its values lose as `schema` types them: DECIMAL columns with a scale and
   * more than 15 digits, read as Float64 (DECIMAL(20, 2) 123456789012345678.91 reads
   * 123456789012345680). Whole-number DECIMALs are exact (decimal-columns.ts). A struct or list
   * holding a DECIMAL of more than 15 digits is refused where it is read (`nestedDecimalError`).
   */
  lossy: Map<string, string>;
  /** Column name -> how a whole-number DECIMAL is read exactly (not as the Float64 of others). */
  exact: Map<string, string>;
}

class Unsupported extends Error {}

/**
 * Maps parquet physical/logical types to Arrow types, following the Parquet format spec
 * (https://github.com/apache/parquet-format/blob/master/LogicalTypes.md) and the types hyparquet
 * decodes to: ints keep their width and sign, INT64 -> Int64 (BigInt), DOUBLE -> Float64,
 * FLOAT -> Float32, strings -> Utf8, DECIMAL -> Float64 (hyparquet returns numbers), LIST -> List,
 * other groups -> Struct. MAP, INTERVAL and BSON are not supported. A top-level DECIMAL(p, 0) is
 * read exactly (decimal-columns.ts): Int64 when its values fit, else Utf8, its decimal text.
 */
export function arrowSchemaFromParquet(metadata: FileMetaData): ParquetArrowSchema {
  const tree = parquetSchema(metadata);
  const fields: Field[] = [];
  const unsupported = new Map<string, string>();
  const lossy = new Map<string, string>();
  const exact = new Map<string, string>();
  for (const child of tree.children) {
    try {
      const kind = exactDecimalKind(child.element);
      fields.push(
        kind
          ? new Field(
              child.element.name,
              kind === 'int64' ? new Int64() : new Utf8(),
              child.element.repetition_type !== 'REQUIRED',
            )
          : fieldFor(child),
      );
      const decimal = decimalDigits(child.element);
      if (decimal && kind) {
        exact.set(
          child.element.name,
          `DECIMAL(${decimal.precision}, ${decimal.scale}) in the files, read exactly: ${kind === 'int64' ? 'as Int64' : 'as its decimal text (19 digits can exceed Int64)'}`,
        );
      } else if (decimal && decimal.precision > 15) {
        lossy.set(
          child.element.name,
          `DECIMAL(${decimal.precision}, ${decimal.scale}) in the files, read as Float64: exact to 15 significant digits, so values of more digits are rounded`,
        );
      }
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      unsupported.set(child.element.name, err.message);
    }
  }
  // a struct or list holding a DECIMAL of more than 15 digits is refused where it is read
  for (const d of nestedDecimalColumns(metadata)) {
    if (!unsupported.has(d.column)) {
      lossy.set(
        d.column,
        `${nestedDecimalText(d)} in the files: not read, as its values of more than 15 digits would be rounded to doubles; write ${d.path} as a column of its own or cast it to string`,
      );
    }
  }
  return { schema: new Schema(fields), unsupported, lossy, exact };
}

function fieldFor(node: SchemaTree): Field {
  const el = node.element;
  const nullable = el.repetition_type !== 'REQUIRED';
  if (el.repetition_type === 'REPEATED') {
    // Legacy un-annotated repeated field: a list of non-null items.
    const item = fieldFor({ ...node, element: { ...el, repetition_type: 'REQUIRED' } });
    return new Field(el.name, new List(item), false);
  }
  return new Field(el.name, typeFor(node), nullable);
}

function typeFor(node: SchemaTree): DataType {
  const el = node.element;
  if (node.children.length > 0 || el.num_children) {
    const logical = el.logical_type?.type ?? el.converted_type;
    if (logical === 'LIST') return listType(node);
    if (logical === 'MAP' || logical === 'MAP_KEY_VALUE')
      throw new Unsupported('MAP columns are not supported');
    if (node.children.length === 0) throw new Unsupported('empty group');
    return new Struct(node.children.map(fieldFor));
  }
  return primitiveType(el);
}

/** LIST: 3-level `group (LIST) { repeated group list { element } }`, or the legacy 2-level form. */
function listType(node: SchemaTree): DataType {
  if (node.children.length !== 1) throw new Unsupported('LIST group without exactly one child');
  const repeated = node.children[0];
  const isThreeLevel =
    repeated.children.length === 1 &&
    repeated.element.name !== 'array' &&
    repeated.element.name !== `${node.element.name}_tuple`;
  if (isThreeLevel) return new List(fieldFor(repeated.children[0]));
  const item = fieldFor({
    ...repeated,
    element: { ...repeated.element, repetition_type: 'REQUIRED' },
  });
  return new List(item);
}

function primitiveType(el: SchemaElement): DataType {
  const lt = el.logical_type;
  const ct = el.converted_type;
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') return new Float64();
  switch (el.type) {
    case 'BOOLEAN':
      return new Bool();
    case 'INT32':
      if (lt?.type === 'DATE' || ct === 'DATE') return new DateDay();
      if (lt?.type === 'TIME' || ct === 'TIME_MILLIS') return new TimeMillisecond();
      return intType(el, 32);
    case 'INT64':
      if (lt?.type === 'TIMESTAMP') {
        // Parquet keeps only whether times are UTC instants (a zone's name is Arrow metadata)
        const zone = lt.isAdjustedToUTC ? 'UTC' : null;
        return lt.unit === 'NANOS'
          ? new TimestampNanosecond(zone)
          : lt.unit === 'MICROS'
            ? new TimestampMicrosecond(zone)
            : new TimestampMillisecond(zone);
      }
      // the converted types are UTC instants (Parquet's logical-type spec)
      if (ct === 'TIMESTAMP_MICROS') return new TimestampMicrosecond('UTC');
      if (ct === 'TIMESTAMP_MILLIS') return new TimestampMillisecond('UTC');
      if (lt?.type === 'TIME' || ct === 'TIME_MICROS')
        throw new Unsupported('TIME(MICROS/NANOS) columns are not supported');
      return intType(el, 64);
    case 'INT96':
      return new TimestampNanosecond();
    case 'FLOAT':
      return new Float32();
    case 'DOUBLE':
      return new Float64();
    case 'BYTE_ARRAY':
      if (ct === 'BSON' || lt?.type === 'BSON')
        throw new Unsupported('BSON columns are not supported');
      if (lt?.type === 'GEOMETRY' || lt?.type === 'GEOGRAPHY') return new Binary();
      return new Utf8();
    case 'FIXED_LEN_BYTE_ARRAY':
      if (lt?.type === 'FLOAT16') return new Float32();
      if (lt?.type === 'UUID') return new Utf8();
      if (ct === 'INTERVAL' || lt?.type === 'INTERVAL')
        throw new Unsupported('INTERVAL columns are not supported');
      return new FixedSizeBinary(el.type_length ?? 0);
    default:
      throw new Unsupported(`parquet type ${String(el.type)} is not supported`);
  }
}

function intType(el: SchemaElement, physicalBits: 32 | 64): DataType {
  let bits: number = physicalBits;
  let signed = true;
  const lt = el.logical_type;
  if (lt?.type === 'INTEGER') {
    bits = lt.bitWidth;
    signed = lt.isSigned;
  } else if (el.converted_type) {
    const m = /^(U?)INT_(8|16|32|64)$/.exec(el.converted_type);
    if (m) {
      signed = m[1] === '';
      bits = Number(m[2]);
    }
  }
  if (bits === 8) return signed ? new Int8() : new Uint8();
  if (bits === 16) return signed ? new Int16() : new Uint16();
  if (bits === 32) return signed ? new Int32() : new Uint32();
  return signed ? new Int64() : new Uint64();
}
