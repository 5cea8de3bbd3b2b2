import type { DecodedArray, FileMetaData, SchemaElement } from 'hyparquet';
import { UserError } from '../errors';

/**
 * DECIMAL(p, 0) columns read exactly. hyparquet turns every DECIMAL into a double, so a
 * DECIMAL(20, 0) id (databases' numeric(20), pandas' Decimal) of 18446744073709551615 read
 * 18446744073709552000, and ids a unit apart read as one. A whole-number DECIMAL is read as
 * Int64 when its values always fit (stored as INT32/INT64, or at most 18 digits) and as its exact
 * decimal text (Utf8) otherwise, since 19 digits can exceed int64. DECIMAL with a scale stays
 * Float64 (parquet-schema.ts), as measurements need no more than a double holds: the double
 * nearest the decimal. hyparquet's unscaled value / 10^scale is that double while both are exact
 * doubles (at most 15 digits, scale at most 22); a wider one (DECIMAL(20, 2), DECIMAL(18, 4)
 * beyond 2^53) it rounds twice, 123456789012345678.91 reading 123456789012345664 for
 * ...680, so those are read from their stored values and their decimal text made a double.
 */

/** A DECIMAL column's precision and scale (logical type, else the legacy fields). */
export function decimalDigits(el: SchemaElement): { precision: number; scale: number } | undefined {
  const lt = el.logical_type;
  if (lt?.type === 'DECIMAL') return { precision: lt.precision, scale: lt.scale };
  if (el.converted_type === 'DECIMAL')
    return { precision: el.precision ?? 0, scale: el.scale ?? 0 };
  return undefined;
}

/**
 * How a flat DECIMAL(p, 0) column is read: 'int64' when every value fits (INT32/INT64 storage, or
 * p <= 18), 'text' otherwise; undefined for any other column (DECIMAL with a scale included).
 */
export function exactDecimalKind(el: SchemaElement): 'int64' | 'text' | undefined {
  const digits = decimalDigits(el);
  if (!digits || digits.scale !== 0 || el.num_children || el.repetition_type === 'REPEATED') {
    return undefined;
  }
  if (el.type === 'INT32' || el.type === 'INT64') return 'int64';
  return digits.precision >= 1 && digits.precision <= 18 ? 'int64' : 'text';
}

/**
 * Whether a flat DECIMAL column with a scale is read from its stored values (its decimal text
 * made a double) rather than as hyparquet's unscaled value / 10^scale, which rounds twice when
 * the unscaled value may exceed 2^53 (more than 15 digits; a scale above 22, where 10^scale is
 * no exact double, has more).
 */
export function nearestDoubleDecimal(el: SchemaElement): boolean {
  const digits = decimalDigits(el);
  if (!digits || digits.scale === 0 || el.num_children || el.repetition_type === 'REPEATED') {
    return false;
  }
  return !(digits.precision >= 1 && digits.precision <= 15);
}

/**
 * The top-level columns of `names` read from their DECIMAL stored values (`exactDecimalValues`),
 * each with its scale: the whole-number DECIMALs (scale 0, exact) and the wide ones with a scale
 * (`nearestDoubleDecimal`).
 */
export function exactDecimalColumns(metadata: FileMetaData, names: string[]): Map<string, number> {
  const wanted = new Set(names);
  const found = new Map<string, number>();
  const schema = metadata.schema;
  let i = 1;
  while (i < schema.length) {
    const el = schema[i];
    if (wanted.has(el.name) && (exactDecimalKind(el) || nearestDoubleDecimal(el))) {
      found.set(el.name, decimalDigits(el)!.scale);
    }
    i = skipSubtree(schema, i);
  }
  return found;
}

function skipSubtree(schema: SchemaElement[], i: number): number {
  let pending = schema[i].num_children ?? 0;
  i++;
  while (pending-- > 0) i = skipSubtree(schema, i);
  return i;
}

/**
 * `metadata` with the DECIMAL annotation taken off the top-level columns `names`, so that
 * hyparquet hands over their stored values (ints, BigInts or two's-complement bytes) instead of
 * doubles; `exactDecimalValues` then makes them exact.
 */
export function withoutDecimalAnnotation(
  metadata: FileMetaData,
  names: ReadonlySet<string> | ReadonlyMap<string, number>,
): FileMetaData {
  const schema = metadata.schema.slice();
  let i = 1;
  while (i < schema.length) {
    const el = schema[i];
    if (names.has(el.name)) {
      schema[i] = { ...el, converted_type: undefined, logical_type: undefined };
    }
    i = skipSubtree(schema, i);
  }
  return { ...metadata, schema };
}

/** A big-endian two's-complement integer (Parquet's DECIMAL bytes). */
function bigintOfBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return bytes[0] & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

/** The decimal text of `unscaled` / 10^`scale` ('-0.0001' for -1 and 4). */
function scaledText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The stored values of a DECIMAL(p, s) column (as `withoutDecimalAnnotation` makes hyparquet give
 * them): of a whole-number one (s = 0) BigInts, or their decimal text when `asText`; of one with a
 * scale the doubles nearest the decimals (JavaScript's Number of the decimal text rounds once).
 * Missing values stay null.
 */
export function exactDecimalValues(values: DecodedArray, asText: boolean, scale = 0): DecodedArray {
  const length = values.length;
  const out: (bigint | string | number | null)[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const v = (values as ArrayLike<unknown>)[i];
    if (v === null || v === undefined) {
      out[i] = null;
      continue;
    }
    const n =
      v instanceof Uint8Array ? bigintOfBytes(v) : typeof v === 'bigint' ? v : BigInt(v as number);
    out[i] = scale > 0 ? Number(scaledText(n, scale)) : asText ? n.toString() : n;
  }
  return out as DecodedArray;
}

/**
 * A DECIMAL of more than 15 digits inside a struct or list column: hyparquet reads it as a double,
 * which rounds it (a DECIMAL(20, 0) id of 18446744073709551615 reads as ...614 does) and
 * `exactDecimalValues` reads top-level columns only, so such a column is refused where it is read
 * (`nestedDecimalError`) rather than read as wrong numbers. At most 15 digits a double holds
 * every value (the nearest double, for a scale), so those are read.
 */
export interface NestedDecimal {
  /** The top-level column. */
  column: string;
  /** 'struct' or 'list': what the column is. */
  kind: 'struct' | 'list';
  /** The DECIMAL field's path, dotted ('meta.objid', 'fluxes.list.element'). */
  path: string;
  precision: number;
  scale: number;
}

/** The first DECIMAL of more than 15 digits in the subtree at `i` (its dotted path), if any. */
function wideDecimalIn(
  schema: SchemaElement[],
  i: number,
  parents: string[],
): { path: string; precision: number; scale: number } | undefined {
  const el = schema[i];
  const path = [...parents, el.name];
  const digits = decimalDigits(el);
  if (digits && !(digits.precision >= 1 && digits.precision <= 15)) {
    return { path: path.join('.'), ...digits };
  }
  let child = i + 1;
  for (let c = 0; c < (el.num_children ?? 0); c++) {
    const found = wideDecimalIn(schema, child, path);
    if (found) return found;
    child = skipSubtree(schema, child);
  }
  return undefined;
}

/** The DECIMAL of more than 15 digits inside the top-level group column at `i`, if any. */
function nestedDecimalAt(schema: SchemaElement[], i: number): NestedDecimal | undefined {
  const top = schema[i];
  // a legacy repeated field (no LIST group) is a list too
  const repeated = top.repetition_type === 'REPEATED';
  if (!top.num_children && !repeated) return undefined;
  const logical = top.logical_type?.type ?? top.converted_type;
  const found = wideDecimalIn(schema, i, []);
  const kind = repeated || logical === 'LIST' ? 'list' : 'struct';
  return found && { column: top.name, kind, ...found };
}

/** The columns among `names` (all when undefined) that hold a DECIMAL of more than 15 digits. */
export function nestedDecimalColumns(metadata: FileMetaData, names?: string[]): NestedDecimal[] {
  const wanted = names && new Set(names);
  const found: NestedDecimal[] = [];
  const schema = metadata.schema;
  let i = 1;
  while (i < schema.length) {
    const nested = !wanted || wanted.has(schema[i].name) ? nestedDecimalAt(schema, i) : undefined;
    if (nested) found.push(nested);
    i = skipSubtree(schema, i);
  }
  return found;
}

/** What a nested DECIMAL column is, for inspect ('a struct holding DECIMAL(20, 0) meta.objid'). */
export function nestedDecimalText(d: NestedDecimal): string {
  return `a ${d.kind} holding DECIMAL(${d.precision}, ${d.scale}) ${d.path}`;
}

/** Why the column `d` is not read, and what to do, for the file `where`. */
export function nestedDecimalError(where: string, d: NestedDecimal): UserError {
  const ids =
    d.scale === 0
      ? ' (ids a unit apart, such as 18446744073709551615 and 18446744073709551614, would read as one)'
      : '';
  return new UserError(
    `${where}: column '${d.column}' is ${nestedDecimalText(d)}, whose values of more than 15 digits cannot be read inside a ${d.kind}: they would be rounded to doubles${ids}. ` +
      `Write ${d.path} as a column of its own (pyarrow: table.flatten(); a top-level DECIMAL is read exactly) or cast it to string, or write the file without column '${d.column}'.`,
  );
}
