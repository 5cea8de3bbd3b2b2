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

function dataSize(cards: Map<string, FitsValue>): number {
  const naxis = Number(cards.get('NAXIS') ?? 0);
  if (naxis === 0) return 0;
  let n = 1;
  for (let k = 1; k <= naxis; k++) n *= Number(cards.get(`NAXIS${k}`) ?? 0);
  const bitpix = Math.abs(Number(cards.get('BITPIX')));
  const pcount = Number(cards.get('PCOUNT') ?? 0);
  const gcount = Number(cards.get('GCOUNT') ?? 1);
  return (bitpix / 8) * gcount * (pcount + n);
}

/**
 * Reads the headers of the first `maxHdus` HDUs (reading only header blocks).
 * @throws UserError naming the file when it is not FITS or is truncated
 */
export async function readFitsHeaders(source: ByteSource, maxHdus = 8): Promise<FitsHdu[]> {
  const size = await source.size();
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (hdus.length < maxHdus && offset + FITS_BLOCK <= size) {
    const cards = new Map<string, FitsValue>();
    let ended = false;
    let pos = offset;
    while (!ended) {
      if (pos + FITS_BLOCK > size) {
        throw new UserError(`${source.name}: FITS header ends early (truncated file?).`);
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
    const dataBytes = dataSize(cards);
    hdus.push({ index: hdus.length, cards, dataStart: pos, dataBytes });
    offset = pos + Math.ceil(dataBytes / FITS_BLOCK) * FITS_BLOCK;
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

/** Column geometry of a BINTABLE HDU. */
export function bintableLayout(hdu: FitsHdu, file: string): BintableLayout {
  const fields = cardNumber(hdu, 'TFIELDS', file);
  const columns: BintableColumn[] = [];
  let offset = 0;
  for (let k = 1; k <= fields; k++) {
    const form = String(hdu.cards.get(`TFORM${k}`) ?? '');
    const m = /^(\d*)([A-Z])/.exec(form.trim());
    if (!m) throw new UserError(`${file}: HDU ${hdu.index} has an unreadable TFORM${k} '${form}'.`);
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const type = m[2];
    const elementBytes = type === 'X' ? 0 : (TFORM_BYTES[type] ?? 0);
    const width = type === 'X' ? Math.ceil(repeat / 8) : repeat * elementBytes;
    const name = String(hdu.cards.get(`TTYPE${k}`) ?? `col${k}`);
    columns.push({ name, type, repeat, offset, elementBytes });
    offset += width;
  }
  const rowBytes = cardNumber(hdu, 'NAXIS1', file);
  return { rowBytes, rows: cardNumber(hdu, 'NAXIS2', file), columns };
}
