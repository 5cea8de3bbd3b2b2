/**
 * A minimal FITS reader for dust maps: header cards, HDU layout, image (BITPIX −32/−64) and
 * BINTABLE column geometry. It reads only headers; data bytes are fetched on demand through a
 * {@link BlockCache}. Format: FITS Standard 4.0 (2880-byte blocks, 80-character cards, §4.2 value
 * syntax, §7.3 binary tables). No npm package reads BINTABLEs lazily over a byte source.
 */
import type { ByteSource } from '../hats/byte-source';
import { UserError } from '../errors';

export const FITS_BLOCK = 2880;
const CARD = 80;

export type FitsValue = string | number | boolean;

export interface FitsHdu {
  /** 0 = primary. */
  index: number;
  cards: Map<string, FitsValue>;
  /** Absolute byte offset of the data unit. */
  dataStart: number;
  /** Data bytes without padding. */
  dataBytes: number;
}

/** Parses the value field of one card (FITS Standard §4.2); undefined when the card has none. */
export function parseCardValue(card: string): FitsValue | undefined {
  if (card.slice(8, 10) !== '= ') return undefined;
  const raw = card.slice(10).trim();
  if (raw.startsWith("'")) {
    let s = '';
    for (let i = 1; i < raw.length; i++) {
      if (raw[i] === "'") {
        if (raw[i + 1] === "'") {
          s += "'";
          i++;
          continue;
        }
        break;
      }
      s += raw[i];
    }
    return s.trimEnd();
  }
  const text = raw.split('/')[0].trim();
  if (text === 'T') return true;
  if (text === 'F') return false;
  const n = Number(text.replace(/[dD]/, 'E'));
  return Number.isFinite(n) ? n : text;
}

/** BITPIX values of the FITS Standard (§4.4.1.1, Table 8). */
const BITPIX_VALUES = new Set([8, 16, 32, 64, -32, -64]);
/** Upper bound of NAXIS and TFIELDS (FITS Standard §4.4.1.1, §7.3.1). */
const MAX_AXES = 999;

/** A non-negative integer header value, or a UserError naming the file, HDU and keyword. */
function countCard(
  cards: Map<string, FitsValue>,
  key: string,
  where: string,
  fallback?: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = cards.get(key) ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new UserError(
      `${where} has ${v === undefined ? `no ${key} keyword` : `${key} = ${String(v)}, not a whole number from 0 to ${max}`}; the file is corrupt: re-download it.`,
    );
  }
  return v;
}

/**
 * Size in bytes of the data unit a header describes (FITS Standard §4.4.1.1 and §7.3:
 * |BITPIX|/8 · GCOUNT · (PCOUNT + NAXIS1 · … · NAXISn)), after checking that BITPIX, NAXIS, the
 * NAXISn, PCOUNT and GCOUNT are valid.
 * @throws UserError naming the file and HDU
 */
function dataSize(cards: Map<string, FitsValue>, where: string): number {
  const bitpix = cards.get('BITPIX');
  if (typeof bitpix !== 'number' || !BITPIX_VALUES.has(bitpix)) {
    throw new UserError(
      `${where} has ${bitpix === undefined ? 'no BITPIX keyword' : `BITPIX = ${String(bitpix)}, not one of 8, 16, 32, 64, -32, -64`}; the file is corrupt: re-download it.`,
    );
  }
  const naxis = countCard(cards, 'NAXIS', where, undefined, MAX_AXES);
  if (naxis === 0) return 0;
  let n = 1;
  for (let k = 1; k <= naxis; k++) n *= countCard(cards, `NAXIS${k}`, where);
  const pcount = countCard(cards, 'PCOUNT', where, 0);
  const gcount = countCard(cards, 'GCOUNT', where, 1);
  return (Math.abs(bitpix) / 8) * gcount * (pcount + n);
}

/**
 * Reads the headers of the first `maxHdus` HDUs (reading only header blocks), checking each
 * header's structure keywords and that its data unit fits in the file, so that readers may then
 * read anything inside `dataStart .. dataStart + dataBytes` without further checks.
 * @throws UserError naming the file when it is not FITS, is corrupt or is truncated
 */
export async function readFitsHeaders(source: ByteSource, maxHdus = 8): Promise<FitsHdu[]> {
  const size = await source.size();
  if (size < FITS_BLOCK) {
    throw new UserError(
      `${source.name}: not a FITS file (${size} bytes, less than one ${FITS_BLOCK}-byte FITS block). Check the dust-map path.`,
    );
  }
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (hdus.length < maxHdus && offset + FITS_BLOCK <= size) {
    const cards = new Map<string, FitsValue>();
    let ended = false;
    let pos = offset;
    while (!ended) {
      if (pos + FITS_BLOCK > size) {
        throw new UserError(
          `${source.name}: FITS header of HDU ${hdus.length} has no END card before the end of the file (truncated file?); re-download it.`,
        );
      }
      const block = new TextDecoder('latin1').decode(await source.read(pos, pos + FITS_BLOCK));
      pos += FITS_BLOCK;
      for (let c = 0; c < FITS_BLOCK; c += CARD) {
        const card = block.slice(c, c + CARD);
        const key = card.slice(0, 8).trim();
        if (key === 'END') {
          ended = true;
          break;
        }
        const value = parseCardValue(card);
        if (key && value !== undefined && !cards.has(key)) cards.set(key, value);
      }
      if (hdus.length === 0 && pos === offset + FITS_BLOCK && cards.get('SIMPLE') !== true) {
        throw new UserError(
          `${source.name}: not a FITS file (no SIMPLE = T card). Check the dust-map path.`,
        );
      }
    }
    const where = `${source.name}: HDU ${hdus.length}`;
    if (hdus.length > 0 && typeof cards.get('XTENSION') !== 'string') {
      throw new UserError(
        `${where} does not start with an XTENSION card; the file is corrupt: re-download it.`,
      );
    }
    const dataBytes = dataSize(cards, where);
    if (pos + dataBytes > size) {
      throw new UserError(
        `${where}: the header announces ${dataBytes} data bytes but the file holds ${size - pos} after it (truncated file?); re-download it.`,
      );
    }
    hdus.push({ index: hdus.length, cards, dataStart: pos, dataBytes });
    offset = pos + Math.ceil(dataBytes / FITS_BLOCK) * FITS_BLOCK;
  }
  // less than a block left that starts an extension: a file cut inside that HDU's header (it
  // was taken for a file without it: "no BINTABLE HDU, so it is not a HEALPix map")
  if (hdus.length < maxHdus && offset < size && offset + FITS_BLOCK > size) {
    const end = Math.min(offset + 8, size);
    const head = new TextDecoder('latin1').decode(await source.read(offset, end));
    if (head === 'XTENSION') {
      throw new UserError(
        `${source.name}: FITS header of HDU ${hdus.length} has no END card before the end of the file (truncated file?); re-download it.`,
      );
    }
  }
  return hdus;
}

export function cardNumber(hdu: FitsHdu, key: string, file: string): number {
  const v = hdu.cards.get(key);
  if (typeof v !== 'number') {
    throw new UserError(`${file}: HDU ${hdu.index} has no numeric ${key} header keyword.`);
  }
  return v;
}

/** Byte widths of BINTABLE TFORM letters (FITS Standard Table 18). */
const TFORM_BYTES: Record<string, number> = {
  L: 1,
  B: 1,
  A: 1,
  I: 2,
  J: 4,
  K: 8,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

export interface BintableColumn {
  name: string;
  /** TFORM letter (E, D, J, K, I, B, ...). */
  type: string;
  repeat: number;
  /** Offset of the column inside a row, bytes. */
  offset: number;
  elementBytes: number;
}

export interface BintableLayout {
  rowBytes: number;
  rows: number;
  columns: BintableColumn[];
}

/**
 * Column geometry of a BINTABLE HDU (FITS Standard §7.3.1-2), checked: TFIELDS ≤ 999, every
 * TFORMn a known type with a whole repeat count, and the column widths adding up to NAXIS1.
 * @throws UserError naming the file, HDU and keyword
 */
export function bintableLayout(hdu: FitsHdu, file: string): BintableLayout {
  const where = `${file}: HDU ${hdu.index}`;
  const fields = countCard(hdu.cards, 'TFIELDS', where, undefined, MAX_AXES);
  const columns: BintableColumn[] = [];
  let offset = 0;
  for (let k = 1; k <= fields; k++) {
    const form = String(hdu.cards.get(`TFORM${k}`) ?? '');
    const m = /^(\d*)([A-Z])/.exec(form.trim());
    const type = m?.[2] ?? '';
    if (!m || (type !== 'X' && !(type in TFORM_BYTES))) {
      throw new UserError(
        `${where} has an unreadable TFORM${k} '${form}'; the file is corrupt: re-download it.`,
      );
    }
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const elementBytes = type === 'X' ? 0 : TFORM_BYTES[type];
    const width = type === 'X' ? Math.ceil(repeat / 8) : repeat * elementBytes;
    const name = String(hdu.cards.get(`TTYPE${k}`) ?? `col${k}`);
    columns.push({ name, type, repeat, offset, elementBytes });
    offset += width;
  }
  const rowBytes = countCard(hdu.cards, 'NAXIS1', where);
  if (offset !== rowBytes) {
    throw new UserError(
      `${where}: its ${fields} column${fields === 1 ? '' : 's'} (TFORMn) take ${offset} bytes per row but NAXIS1 = ${rowBytes}; the file is corrupt: re-download it.`,
    );
  }
  return { rowBytes, rows: countCard(hdu.cards, 'NAXIS2', where), columns };
}
