import { Bool, Int64, Table, Utf8, makeVector, vectorFromArray, type Vector } from 'apache-arrow';

/** Column types inferred from text. */
export type TextType = 'int64' | 'float64' | 'bool' | 'string';

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(nan|inf|infinity)$/i;
const BOOL = /^(true|false|t|f)$/i;
const INT64_MAX = 9223372036854775807n;

/** Parses a float the way numpy/astropy read text ('' and 'nan' -> NaN, 'inf', Fortran 'D' exponents). */
export function parseFloatText(text: string | null | undefined): number {
  if (text === null || text === undefined) return NaN;
  // Number() reads what FLOAT does (the same blanks trimmed) once the text starts with a digit,
  // a sign or a point and is not 0x/0b/0o: a million values without the regular expressions
  // below take a second less; the rest (0, NaN, blank, hex, 'D' exponents) goes the long way
  const quick = Number(text);
  if (quick === quick && quick !== 0) {
    const c = text.charCodeAt(0);
    const digit = c >= 48 && c <= 57;
    if (
      (digit && !(c === 48 && (text.charCodeAt(1) | 0x20) >= 0x61)) ||
      c === 45 ||
      c === 43 ||
      c === 46
    )
      return quick;
  }
  const t = text.trim();
  if (t === '') return NaN;
  if (FLOAT.test(t)) return Number(t.replace(/[dD]/, 'e'));
  if (SPECIAL.test(t)) return /nan/i.test(t) ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  return Number.NaN;
}

/** True when the text is a number (not blank, not garbage). */
export function isNumberText(text: string): boolean {
  const t = text.trim();
  return FLOAT.test(t) || SPECIAL.test(t);
}

/** Whether integer text `t` (INT) fits int64. */
function fitsInt64(t: string): boolean {
  const n = BigInt(t);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n;
}

/**
 * Infers one column's type from its values ('' = missing, ignored). Whole numbers beyond int64
 * (20-digit ids) make the column text, every value as written: a double would round them, so
 * ids a unit apart would read as one.
 */
export function inferTextType(values: (string | null)[]): TextType {
  let allInt = true;
  let beyondInt64 = false;
  let allNum = true;
  let allBool = true;
  let any = false;
  for (const v of values) {
    const t = (v ?? '').trim();
    if (t === '') continue;
    any = true;
    if (allInt && !INT.test(t)) allInt = false;
    else if (allInt && !beyondInt64 && !fitsInt64(t)) beyondInt64 = true;
    if (allNum && !isNumberText(t)) allNum = false;
    if (allBool && !BOOL.test(t)) allBool = false;
    if (!allInt && !allNum && !allBool) return 'string';
  }
  if (!any) return 'float64';
  if (allInt) return beyondInt64 ? 'string' : 'int64';
  return allNum ? 'float64' : allBool ? 'bool' : 'string';
}

/**
 * Converts a string column to `type`. Values that do not fit become null (int64/bool) or NaN
 * (float64), whole numbers beyond int64 in an int64 column included (they wrapped around:
 * 18446744073709551615 became -1); `bad` receives their row indices when given.
 */
export function convertText(vec: Vector, type: TextType, bad?: number[]): Vector {
  const n = vec.length;
  const raw = (i: number): string => ((vec.get(i) as string | null) ?? '').trim();
  switch (type) {
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const t = raw(i);
        out[i] = parseFloatText(t);
        if (bad && t !== '' && !isNumberText(t)) bad.push(i);
      }
      return makeVector(out);
    }
    case 'int64': {
      const out: (bigint | null)[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const t = raw(i);
        if (INT.test(t) && fitsInt64(t)) out[i] = BigInt(t);
        else {
          out[i] = null;
          if (bad && t !== '') bad.push(i);
        }
      }
      return vectorFromArray(out, new Int64());
    }
    case 'bool': {
      const out: (boolean | null)[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const t = raw(i).toLowerCase();
        out[i] = t === 'true' || t === 't' ? true : t === 'false' || t === 'f' ? false : null;
      }
      return vectorFromArray(out, new Bool());
    }
    default: {
      const out: (string | null)[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = vec.get(i) as string | null;
      return vectorFromArray(out, new Utf8());
    }
  }
}

/** Types of every column of a string table, inferred from (typically) its first batch. */
export function inferTableTypes(table: Table): Record<string, TextType> {
  const out: Record<string, TextType> = {};
  for (const f of table.schema.fields) {
    out[f.name] = inferTextType(table.getChild(f.name)!.toArray() as (string | null)[]);
  }
  return out;
}

/** A string table converted with the given types. */
export function convertTable(table: Table, types: Record<string, TextType>): Table {
  const columns: Record<string, Vector> = {};
  for (const f of table.schema.fields) {
    columns[f.name] = convertText(table.getChild(f.name)!, types[f.name] ?? 'string');
  }
  return new Table(columns);
}
