import {
  Float64,
  Int16,
  Int32,
  Int64,
  Utf8,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { UserError } from '../errors';
import type { FitsHdu } from './fits-reader';

/** A column of a FITS ASCII table (FITS Standard 4.0 §7.2). */
export interface AsciiColumnDef {
  name: string;
  /** A, I, F, E or D. */
  code: string;
  /** Byte offset in the row (TBCOL - 1) and width w of the TFORM. */
  offset: number;
  width: number;
  /** The field text that means an undefined value (TNULL, compared trimmed). */
  tnull?: string;
  tzero: number;
  tscal: number;
  unit?: string;
}

/** The columns of an ASCII table HDU (XTENSION = 'TABLE'). */
export function asciiColumnDefs(hdu: FitsHdu, name: string): AsciiColumnDef[] {
  const defs: AsciiColumnDef[] = [];
  for (let k = 1; k <= Number(hdu.cards.get('TFIELDS')); k++) {
    const tform = (hdu.cards.get(`TFORM${k}`) ?? '').trim();
    const m = /^([AIFED])(\d+)(?:\.\d+)?$/.exec(tform);
    const tbcol = Number(hdu.cards.get(`TBCOL${k}`));
    if (!m || !(tbcol >= 1)) {
      throw new UserError(
        `${name}: column ${k} of the ASCII table has TFORM '${tform}' and TBCOL ${hdu.cards.get(`TBCOL${k}`)}, which are not FITS ASCII table formats`,
      );
    }
    const tnull = hdu.cards.get(`TNULL${k}`);
    defs.push({
      name: hdu.cards.get(`TTYPE${k}`) ?? `col${k}`,
      code: m[1],
      offset: tbcol - 1,
      width: Number(m[2]),
      tnull: tnull !== undefined ? tnull.trim() : undefined,
      tzero: Number(hdu.cards.get(`TZERO${k}`) ?? 0),
      tscal: Number(hdu.cards.get(`TSCAL${k}`) ?? 1),
      unit: hdu.cards.get(`TUNIT${k}`),
    });
  }
  return defs;
}

/**
 * Decodes one column of `rows` ASCII table rows. As astropy: Iw is int16 (w <= 4), int32 (w <= 9)
 * or int64, Fw.d/Ew.d/Dw.d are float64 (a D exponent read as E), text is right-trimmed. A blank
 * field or one equal to TNULL is null; TZERO/TSCAL give float64.
 */
export function decodeAsciiColumn(
  def: AsciiColumnDef,
  bytes: Uint8Array,
  rowBytes: number,
  rows: number,
  path: string,
  firstRow: number,
): Vector {
  const text = (r: number): string =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
      'latin1',
      r * rowBytes + def.offset,
      r * rowBytes + def.offset + def.width,
    );
  if (def.code === 'A') {
    const out: string[] = new Array(rows);
    for (let r = 0; r < rows; r++) out[r] = text(r).trimEnd();
    return vectorFromArray(out, new Utf8());
  }
  const scaled = def.tzero !== 0 || def.tscal !== 1;
  const float = def.code !== 'I' || scaled;
  const values: (number | bigint | null)[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const field = text(r).trim();
    if (field === '' || field === def.tnull) {
      values[r] = null;
      continue;
    }
    const bad = () =>
      new UserError(
        `${path}: row ${firstRow + r + 1}, column ${def.name}: '${field}' is not a number of ASCII table format ${def.code}${def.width}; fix the file or give its TNULL`,
      );
    if (float) {
      const v = Number(field.replace(/[dD]/, 'E'));
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/.test(field) || Number.isNaN(v)) throw bad();
      values[r] = scaled ? v * def.tscal + def.tzero : v;
    } else {
      if (!/^[+-]?\d+$/.test(field)) throw bad();
      values[r] = def.width > 9 ? BigInt(field) : Number(field);
    }
  }
  if (float) {
    if (!values.includes(null)) return makeVector(Float64Array.from(values as number[]));
    return vectorFromArray(values as (number | null)[], new Float64());
  }
  const type = def.width <= 4 ? new Int16() : def.width <= 9 ? new Int32() : new Int64();
  return vectorFromArray(values, type as Int64);
}
