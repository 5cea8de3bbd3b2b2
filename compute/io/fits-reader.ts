import { open, type FileHandle } from 'node:fs/promises';
import {
  Bool,
  Float64,
  Int16,
  Int32,
  Int64,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { UserError } from '../errors';
import { asciiColumnDefs, decodeAsciiColumn, type AsciiColumnDef } from './fits-ascii';
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
  /** TZERO/TSCAL of FITS's unsigned integer convention (§7.3.2, Table 19). */
  offsetInt: boolean;
  unit?: string;
}

/**
 * TZERO of the unsigned integers, which astropy reads as uint16/32/64 (a B column with TZERO -128,
 * FITS's signed byte, it reads as float64, as any other scaled column).
 */
const OFFSET_ZERO: Record<string, bigint> = {
  I: 32768n,
  J: 2147483648n,
  K: 9223372036854775808n,
};

function isOffsetInt(code: string, tzero: string | undefined, tscal: number): boolean {
  if (tzero === undefined || tscal !== 1 || !(code in OFFSET_ZERO)) return false;
  try {
    return BigInt(tzero) === OFFSET_ZERO[code];
  } catch {
    return false; // TZERO written as a float
  }
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
    const tzero = hdu.cards.get(`TZERO${k}`);
    const tscal = Number(hdu.cards.get(`TSCAL${k}`) ?? 1);
    defs.push({
      name: hdu.cards.get(`TTYPE${k}`) ?? `col${k}`,
      code,
      repeat,
      offset,
      width,
      tnull: tnull !== undefined ? BigInt(tnull) : undefined,
      tzero: Number(tzero ?? 0),
      tscal,
      offsetInt: isOffsetInt(code, tzero, tscal),
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
  if (def.repeat !== 1) return undefined; // vector columns: see describeFitsTable
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
      const physical = scaled && !def.offsetInt;
      const zero = def.offsetInt ? OFFSET_ZERO[def.code] : 0n;
      const values: (bigint | number | null)[] = new Array(rows);
      for (let r = 0; r < rows; r++) {
        const raw = read(r);
        if (def.tnull !== undefined && raw === def.tnull) values[r] = null;
        else if (physical) values[r] = Number(raw) * def.tscal + def.tzero;
        else if (def.code === 'K') values[r] = raw + zero;
        else values[r] = Number(raw + zero);
      }
      if (physical) return vectorFromArray(values as (number | null)[], new Float64());
      const type = def.offsetInt
        ? { I: new Uint16(), J: new Uint32(), K: new Uint64() }[def.code]!
        : ({ I: new Int16(), J: new Int32(), K: new Int64() }[def.code] ?? new Uint8());
      return vectorFromArray(values, type as Int64);
    }
  }
}

/** Table HDUs: binary tables and ASCII tables (XTENSION = 'TABLE'). */
function isTable(hdu: FitsHdu): boolean {
  const x = hdu.cards.get('XTENSION');
  return x === 'BINTABLE' || x === 'TABLE';
}

function tableLabel(hdu: FitsHdu): string {
  const name = hdu.cards.get('EXTNAME');
  return name ? `${name} (HDU ${hdu.index})` : `HDU ${hdu.index} (no EXTNAME)`;
}

/** The first table HDU, or the one whose EXTNAME is `hduName`; a UserError when there is none. */
function pickTable(hdus: FitsHdu[], path: string, hduName?: string): FitsHdu {
  const tables = hdus.filter(isTable);
  const hdu = hduName
    ? tables.find((h) => (h.cards.get('EXTNAME') ?? '').toUpperCase() === hduName.toUpperCase())
    : tables[0];
  if (!hdu) {
    const names = tables.map((h) => h.cards.get('EXTNAME') ?? `HDU ${h.index}`).join(', ');
    throw new UserError(
      hduName
        ? `${path}: no table named '${hduName}' (tables: ${names || 'none'})`
        : `${path}: no table (BINTABLE or ASCII TABLE) HDU; export the catalog as a FITS table`,
    );
  }
  return hdu;
}

/** What a spec-z source needs to know of a FITS table before reading its rows. */
export interface FitsTableInfo {
  /** TUNIT by column name. */
  units: Record<string, string>;
  /** Columns that are read with their TTYPE names (vector columns left out). */
  columns: string[];
  /** Vector columns (repeat > 1), which are not read. */
  skipped: string[];
  /** The file's other table HDUs, as 'EXTNAME (HDU n)'. */
  otherTables: string[];
  /** EXTNAME and index of the table read. */
  label: string;
}

/** Describes the table `readFitsTable` reads with the same `hduName`, from its header. */
export async function describeFitsTable(path: string, hduName?: string): Promise<FitsTableInfo> {
  const handle = await open(path, 'r');
  try {
    const hdus = await readFitsHdus(handle, (await handle.stat()).size, path);
    const hdu = pickTable(hdus, path, hduName);
    const ascii = hdu.cards.get('XTENSION') === 'TABLE';
    const defs = ascii ? asciiColumnDefs(hdu, path) : columnDefs(hdu, path);
    const units: Record<string, string> = {};
    for (const d of defs) if (d.unit) units[d.name] = d.unit;
    const isVector = (d: (typeof defs)[number]) =>
      !ascii && (d as ColumnDef).repeat !== 1 && (d as ColumnDef).code !== 'A';
    return {
      units,
      columns: defs.filter((d) => !isVector(d)).map((d) => d.name),
      skipped: defs.filter(isVector).map((d) => d.name),
      otherTables: hdus.filter((h) => isTable(h) && h !== hdu).map(tableLabel),
      label: tableLabel(hdu),
    };
  } finally {
    await handle.close();
  }
}

/**
 * Streams a FITS table (the first table HDU, or the one whose EXTNAME is `hduName`) as Arrow
 * tables of at most `batchRows` rows (of the `columns` named, or all). Binary tables: scalar columns of types L, B, I, J, K, E, D and nA are read (TNULL ->
 * null, TZERO/TSCAL applied, unsigned integers as unsigned types, strings right-trimmed); vector
 * columns are left out (`describeFitsTable` names them). ASCII tables: see `decodeAsciiColumn`.
 */
export async function* readFitsTable(
  path: string,
  options: {
    hduName?: string;
    batchRows?: number;
    /** Told the table's rows (NAXIS2) before the first batch (progress reports). */
    onTotalRows?: (rows: number) => void;
    /** The rows [startRow, endRow) only (default: all), read at their place in the file. */
    startRow?: number;
    endRow?: number;
    /** These columns only (default: all): the others' bytes are not decoded. */
    columns?: string[];
  } = {},
): AsyncGenerator<Table> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const hdu = pickTable(await readFitsHdus(handle, size, path), path, options.hduName);
    if (hdu.dataStart + hdu.dataBytes > size) {
      throw new UserError(
        `${path}: the table data is cut short (truncated file?); re-export the file`,
      );
    }
    const ascii = hdu.cards.get('XTENSION') === 'TABLE';
    const allDefs = ascii ? asciiColumnDefs(hdu, path) : columnDefs(hdu, path);
    const wanted = options.columns && new Set(options.columns);
    const defs = wanted ? allDefs.filter((d) => wanted.has(d.name)) : allDefs;
    const rowBytes = Number(hdu.cards.get('NAXIS1'));
    const total = Number(hdu.cards.get('NAXIS2'));
    const batchRows = options.batchRows ?? 65_536;
    options.onTotalRows?.(total);
    const last = Math.min(total, options.endRow ?? total);
    for (let start = Math.max(0, options.startRow ?? 0); start < last; start += batchRows) {
      const n = Math.min(batchRows, last - start);
      const bytes = new Uint8Array(n * rowBytes);
      await handle.read(bytes, 0, bytes.length, hdu.dataStart + start * rowBytes);
      const columns: Record<string, Vector> = {};
      for (const def of defs) {
        const vec = ascii
          ? decodeAsciiColumn(def as AsciiColumnDef, bytes, rowBytes, n, path, start)
          : decodeColumn(def as ColumnDef, bytes, rowBytes, n);
        if (vec) columns[def.name] = vec;
      }
      yield new Table(columns);
    }
  } finally {
    await handle.close();
  }
}
