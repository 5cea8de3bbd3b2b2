import { open, type FileHandle } from 'node:fs/promises';
import {
  Bool,
  Float64,
  Int16,
  Int32,
  Int64,
  Table,
  Uint8,
  Utf8,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { UserError } from '../errors';
import { BLOCK, CARD } from './fits-header';

export interface FitsHdu {
  index: number;
  cards: Map<string, string>;
  /** Byte offset of the data unit. */
  dataStart: number;
  dataBytes: number;
}

interface ColumnDef {
  name: string;
  code: string;
  repeat: number;
  offset: number;
  width: number;
  tnull?: bigint;
  tzero: number;
  tscal: number;
  unit?: string;
}

const SIZES: Record<string, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1, X: 1 / 8 };

function parseValue(raw: string): string {
  const v = raw.split(' /')[0].trim();
  if (v.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(raw.trim());
    return (m ? m[1] : v).replace(/''/g, "'").trimEnd();
  }
  return v;
}

/** Reads the headers of every HDU (FITS Standard 4.0 §3.3, §4). */
export async function readFitsHdus(
  handle: FileHandle,
  fileSize: number,
  name: string,
): Promise<FitsHdu[]> {
  const hdus: FitsHdu[] = [];
  let pos = 0;
  while (pos < fileSize) {
    const cards = new Map<string, string>();
    let ended = false;
    let lastKey = '';
    while (!ended) {
      if (pos + BLOCK > fileSize) {
        throw new UserError(
          `${name}: the file ends inside a FITS header (truncated?); re-export the file`,
        );
      }
      const block = Buffer.alloc(BLOCK);
      await handle.read(block, 0, BLOCK, pos);
      pos += BLOCK;
      for (let c = 0; c < BLOCK; c += CARD) {
        const text = block.toString('latin1', c, c + CARD);
        const key = text.slice(0, 8).trim();
        if (key === 'END') {
          ended = true;
          break;
        }
        if (key === 'CONTINUE' && lastKey) {
          const prev = cards.get(lastKey) ?? '';
          cards.set(lastKey, prev.replace(/&$/, '') + parseValue(text.slice(10)));
        } else if (text.slice(8, 10) === '= ') {
          cards.set(key, parseValue(text.slice(10)));
          lastKey = key;
        } else if (key === 'HIERARCH') {
          const eq = text.indexOf('=');
          if (eq > 0) {
            lastKey = text.slice(9, eq).trim();
            cards.set(lastKey, parseValue(text.slice(eq + 1)));
          }
        }
      }
    }
    const naxis = Number(cards.get('NAXIS') ?? 0);
    let dataBytes = naxis > 0 ? 1 : 0;
    for (let k = 1; k <= naxis; k++) dataBytes *= Number(cards.get(`NAXIS${k}`));
    dataBytes =
      (Math.abs(Number(cards.get('BITPIX') ?? 8)) / 8) *
      (dataBytes + Number(cards.get('PCOUNT') ?? 0)) *
      Number(cards.get('GCOUNT') ?? 1);
    hdus.push({ index: hdus.length, cards, dataStart: pos, dataBytes });
    pos += Math.ceil(dataBytes / BLOCK) * BLOCK;
  }
  return hdus;
}

function columnDefs(hdu: FitsHdu, name: string): ColumnDef[] {
  const n = Number(hdu.cards.get('TFIELDS'));
  const defs: ColumnDef[] = [];
  let offset = 0;
  for (let k = 1; k <= n; k++) {
    const tform = hdu.cards.get(`TFORM${k}`) ?? '';
    const m = /^(\d*)([LXBIJKAEDCMPQ])/.exec(tform.trim());
    if (!m)
      throw new UserError(
        `${name}: column ${k} has TFORM '${tform}', which is not a FITS binary table format`,
      );
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const code = m[2];
    const width = code === 'X' ? Math.ceil(repeat / 8) : repeat * (SIZES[code] ?? 8);
    const tnull = hdu.cards.get(`TNULL${k}`);
    defs.push({
      name: hdu.cards.get(`TTYPE${k}`) ?? `col${k}`,
      code,
      repeat,
      offset,
      width,
      tnull: tnull !== undefined ? BigInt(tnull) : undefined,
      tzero: Number(hdu.cards.get(`TZERO${k}`) ?? 0),
      tscal: Number(hdu.cards.get(`TSCAL${k}`) ?? 1),
      unit: hdu.cards.get(`TUNIT${k}`),
    });
    offset += width;
  }
  return defs;
}

function decodeColumn(
  def: ColumnDef,
  bytes: Uint8Array,
  rowBytes: number,
  rows: number,
): Vector | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (def.code === 'A') {
    const dec = new TextDecoder();
    const out: (string | null)[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const start = r * rowBytes + def.offset;
      let end = start + def.width;
      while (end > start && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
      out[r] = dec.decode(bytes.subarray(start, end));
    }
    return vectorFromArray(out, new Utf8());
  }
  if (def.repeat !== 1) return undefined; // vector columns are not spec-z columns; skipped
  const scaled = def.tzero !== 0 || def.tscal !== 1;
  const at = (r: number): number => r * rowBytes + def.offset;
  switch (def.code) {
    case 'D':
    case 'E': {
      const out = def.code === 'D' ? new Float64Array(rows) : new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        const v = def.code === 'D' ? view.getFloat64(at(r)) : view.getFloat32(at(r));
        out[r] = scaled ? v * def.tscal + def.tzero : v;
      }
      return makeVector(out);
    }
    case 'L': {
      const out: (boolean | null)[] = new Array(rows);
      for (let r = 0; r < rows; r++) {
        const b = bytes[at(r)];
        out[r] = b === 0x54 ? true : b === 0x46 ? false : null;
      }
      return vectorFromArray(out, new Bool());
    }
    default: {
      const read = (r: number): bigint =>
        def.code === 'K'
          ? view.getBigInt64(at(r))
          : BigInt(
              def.code === 'J'
                ? view.getInt32(at(r))
                : def.code === 'I'
                  ? view.getInt16(at(r))
                  : view.getUint8(at(r)),
            );
      const values: (bigint | number | null)[] = new Array(rows);
      let hasNull = false;
      for (let r = 0; r < rows; r++) {
        const raw = read(r);
        if (def.tnull !== undefined && raw === def.tnull) {
          values[r] = null;
          hasNull = true;
        } else if (def.tscal !== 1 || (def.tzero !== 0 && def.code !== 'K')) {
          values[r] = Number(raw) * def.tscal + def.tzero;
        } else if (def.code === 'K' && def.tzero !== 0) {
          values[r] = BigInt.asUintN(64, raw + 9223372036854775808n); // uint64 convention
        } else values[r] = def.code === 'K' ? raw : Number(raw);
      }
      if (def.tscal !== 1 || (def.tzero !== 0 && def.code !== 'K'))
        return vectorFromArray(values as (number | null)[], new Float64());
      const type =
        def.code === 'K'
          ? new Int64()
          : def.code === 'J'
            ? new Int32()
            : def.code === 'I'
              ? new Int16()
              : new Uint8();
      if (def.code === 'K' && def.tzero !== 0)
        return vectorFromArray(
          values.map((v) => (v === null ? null : BigInt.asIntN(64, v as bigint))),
          new Int64(),
        );
      void hasNull;
      return vectorFromArray(values, type as Int64);
    }
  }
}

/**
 * Streams a FITS binary table (the first BINTABLE HDU, or the one whose EXTNAME is `hduName`) as
 * Arrow tables of at most `batchRows` rows. Scalar columns of types L, B, I, J, K, E, D and nA
 * are read (TNULL -> null, TZERO/TSCAL applied, strings right-trimmed); vector columns are skipped.
 */
export async function* readFitsTable(
  path: string,
  options: { hduName?: string; batchRows?: number } = {},
): AsyncGenerator<Table> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const hdus = await readFitsHdus(handle, size, path);
    const tables = hdus.filter((h) => h.cards.get('XTENSION') === 'BINTABLE');
    const hdu = options.hduName
      ? tables.find(
          (h) => (h.cards.get('EXTNAME') ?? '').toUpperCase() === options.hduName!.toUpperCase(),
        )
      : tables[0];
    if (!hdu) {
      const names = tables.map((h) => h.cards.get('EXTNAME') ?? `HDU ${h.index}`).join(', ');
      throw new UserError(
        options.hduName
          ? `${path}: no binary table named '${options.hduName}' (tables: ${names || 'none'})`
          : `${path}: no binary table (BINTABLE) HDU; export the catalog as a FITS table`,
      );
    }
    if (hdu.dataStart + hdu.dataBytes > size) {
      throw new UserError(
        `${path}: the table data is cut short (truncated file?); re-export the file`,
      );
    }
    const defs = columnDefs(hdu, path);
    const rowBytes = Number(hdu.cards.get('NAXIS1'));
    const total = Number(hdu.cards.get('NAXIS2'));
    const batchRows = options.batchRows ?? 65_536;
    for (let start = 0; start < total; start += batchRows) {
      const n = Math.min(batchRows, total - start);
      const bytes = new Uint8Array(n * rowBytes);
      await handle.read(bytes, 0, bytes.length, hdu.dataStart + start * rowBytes);
      const columns: Record<string, Vector> = {};
      for (const def of defs) {
        const vec = decodeColumn(def, bytes, rowBytes, n);
        if (vec) columns[def.name] = vec;
      }
      yield new Table(columns);
    }
  } finally {
    await handle.close();
  }
}
