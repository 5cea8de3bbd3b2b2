import { DataType, Type, makeData, type Data, type Field } from 'apache-arrow';
import type { ColumnChunk, CompressionCodec, FileMetaData, SchemaElement } from 'hyparquet';
import { FlatColumnUnsupported, readColumnPages, type DataPage, type PageSink } from './flat-pages';
import { decodeBooleanRle, placeDictionary, placePlain } from './flat-values';
import { decodeUtf8Column } from './flat-strings';

export { FlatColumnUnsupported } from './flat-pages';

/**
 * A fast path for the columns that make up most of a photometric catalog: flat (not nested),
 * OPTIONAL or REQUIRED, fixed-width numbers, booleans or UTF-8 strings, PLAIN or dictionary
 * encoded in v1/v2 data pages. hyparquet decodes these through plain JS arrays (definition levels, dictionary
 * indices, booleans, BigInt per int64 value, then `assembleLists` to place the nulls), which the
 * scale benchmark's profile showed as most of the read cost; here the same pages go straight
 * into Arrow buffers and a validity bitmap (flat-pages.ts walks the pages, flat-values.ts and
 * flat-strings.ts place the values). hyparquet still parses the page headers (thrift) and
 * decompresses pages; any other column, or a page this path
 * does not know, goes through hyparquet's general reader (`FlatColumnUnsupported`).
 */
export interface FlatColumnPlan {
  field: Field;
  /** Fixed-width values (numbers, booleans) or UTF-8 strings. */
  kind: 'values' | 'utf8';
  /** Bytes per value (0 for booleans, stored as bits, and for strings). */
  width: 0 | 4 | 8;
  optional: boolean;
  codec: CompressionCodec;
  /** Byte range of the column chunk in the file. */
  start: number;
  end: number;
}

const ENCODINGS = new Set(['PLAIN', 'RLE', 'RLE_DICTIONARY', 'PLAIN_DICTIONARY', 'BIT_PACKED']);

/** The plan to read `field` of `rowGroup` with the fast path, or null when it does not apply. */
export function planFlatColumn(
  metadata: FileMetaData,
  rowGroup: number,
  field: Field,
): FlatColumnPlan | null {
  const chunk = metadata.row_groups[rowGroup].columns.find(
    (c: ColumnChunk) =>
      c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === field.name,
  );
  const meta = chunk?.meta_data;
  if (!meta || chunk.file_path) return null;
  const element = topLevelElement(metadata, field.name);
  if (!element || element.num_children || element.repetition_type === 'REPEATED') return null;
  if (!meta.encodings.every((e) => ENCODINGS.has(e))) return null;
  const utf8 = isUtf8(field.type, meta.type, element);
  const width = utf8 ? 0 : widthFor(field.type, meta.type, element);
  if (width === null) return null;
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  return {
    field,
    kind: utf8 ? 'utf8' : 'values',
    width,
    optional: element.repetition_type !== 'REQUIRED',
    codec: meta.codec,
    start,
    end: start + Number(meta.total_compressed_size),
  };
}

function topLevelElement(metadata: FileMetaData, name: string): SchemaElement | undefined {
  const schema = metadata.schema;
  let i = 1;
  while (i < schema.length) {
    if (schema[i].name === name) return schema[i];
    i = skipSubtree(schema, i);
  }
  return undefined;
}

function skipSubtree(schema: SchemaElement[], i: number): number {
  let pending = schema[i].num_children ?? 0;
  i++;
  while (pending-- > 0) i = skipSubtree(schema, i);
  return i;
}

/** A BYTE_ARRAY column read as Arrow Utf8 (annotated as a string, or not annotated). */
function isUtf8(type: DataType, physical: string, element: SchemaElement): boolean {
  if (type.typeId !== Type.Utf8 || physical !== 'BYTE_ARRAY') return false;
  const logical = element.logical_type;
  if (logical) return logical.type === 'STRING';
  return !element.converted_type || element.converted_type === 'UTF8';
}

/** Bytes per value when Arrow's type stores the physical values unchanged, else null. */
function widthFor(type: DataType, physical: string, element: SchemaElement): 0 | 4 | 8 | null {
  const logical = element.logical_type;
  const plainInt = (bits: number) =>
    !element.converted_type &&
    (!logical || (logical.type === 'INTEGER' && logical.bitWidth === bits && logical.isSigned));
  switch (type.typeId) {
    case Type.Float:
      if (physical === 'DOUBLE' && DataType.isFloat(type) && type.precision === 2 && !logical)
        return 8;
      if (physical === 'FLOAT' && DataType.isFloat(type) && type.precision === 1 && !logical)
        return 4;
      return null;
    case Type.Int:
      if (!DataType.isInt(type) || !type.isSigned) return null;
      if (physical === 'INT64' && type.bitWidth === 64 && plainInt(64)) return 8;
      if (physical === 'INT32' && type.bitWidth === 32 && plainInt(32)) return 4;
      return null;
    case Type.Bool:
      return physical === 'BOOLEAN' && !logical ? 0 : null;
    default:
      return null;
  }
}

/**
 * Places the pages of a fixed-width column into `values`. A class, not an object literal of
 * closures made per column: V8 compiled each such closure anew (33 times per run, ~13 ms each on
 * its background threads, bench 10M x 1M), a class method once.
 */
class FixedWidthSink implements PageSink {
  private dictionaryValues: Uint8Array | null = null;

  constructor(
    private readonly values: Uint8Array,
    private readonly width: 0 | 4 | 8,
  ) {}

  dictionary(page: Uint8Array, numValues: number, encoding: string): void {
    if (this.width === 0 || (encoding !== 'PLAIN' && encoding !== 'PLAIN_DICTIONARY'))
      throw new FlatColumnUnsupported(`dictionary page encoding ${encoding}`);
    this.dictionaryValues = page.slice(0, numValues * this.width); // aligned copy
  }

  data(page: DataPage): void {
    const { encoding } = page;
    const { values, width } = this;
    if (encoding === 'PLAIN') placePlain(values, width, page);
    else if (encoding === 'RLE' && width === 0) decodeBooleanRle(values, page);
    else if (encoding.endsWith('_DICTIONARY') && width !== 0) {
      if (!this.dictionaryValues)
        throw new Error('dictionary-encoded page without a dictionary page');
      placeDictionary(values, width, page, this.dictionaryValues);
    } else throw new FlatColumnUnsupported(`encoding ${encoding}`);
  }
}

/**
 * Decodes one column chunk (`bytes` = the plan's byte range) of `rows` rows into Arrow data: every
 * row, or only rows `select` (ascending, each once) in that order.
 */
export function decodeFlatColumn(
  plan: FlatColumnPlan,
  bytes: Uint8Array,
  rows: number,
  select?: Uint32Array,
): Data {
  if (plan.kind === 'utf8') return decodeUtf8Column(plan, bytes, rows, select);
  const { width, field } = plan;
  const length = select ? select.length : rows;
  const values = new Uint8Array(width === 0 ? (length + 7) >> 3 : length * width);
  const sink = new FixedWidthSink(values, width);
  const { validity, nullCount } = readColumnPages(plan, bytes, rows, sink, select);
  const typed =
    width === 0
      ? values
      : new (field.type.ArrayType as new (b: ArrayBuffer) => ArrayLike<unknown>)(values.buffer);
  return makeData({
    type: field.type,
    length,
    data: typed,
    nullBitmap: nullCount > 0 ? validity : undefined,
    nullCount,
  } as never);
}
