import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { UserError } from '../errors';

/** What {@link sniffDelimited} found out about a delimited text file. */
export interface DelimitedLayout {
  /** ',', '\t', ';', '|' or 'whitespace' (runs of spaces/tabs). */
  delimiter: string;
  /** Column names: the header row, a `#` comment header, or col1..colN. */
  columns: string[];
  hasHeaderRow: boolean;
  /**
   * How the bytes are read: UTF-16 (little-endian: a FF FE byte order mark, or zero high bytes, as
   * Excel's "Unicode text" writes it), else UTF-8, or Latin-1 when the first 64 KiB are not UTF-8.
   */
  encoding: 'utf8' | 'latin1' | 'utf16le';
  /** Header names given twice: the later column (1-based) is read under another name. */
  renamed: { column: number; header: string; name: string; first: number }[];
}

/** Whether bytes are UTF-8 (a sequence cut at the end of a sample counts as valid). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * 'utf16le' or 'utf16be' when a text sample is UTF-16: its byte order mark, or (without one) a
 * zero byte in at least a third of the sample's little- or big-end halves and in none of the others.
 */
export function utf16Order(bytes: Uint8Array): 'utf16le' | 'utf16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  const pairs = bytes.length >> 1;
  if (pairs < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenZero++;
    if (bytes[2 * i + 1] === 0) oddZero++;
  }
  if (evenZero === 0 && oddZero * 3 >= pairs) return 'utf16le';
  if (oddZero === 0 && evenZero * 3 >= pairs) return 'utf16be';
  return null;
}

/**
 * What to say of a sample that is not text (a file read as delimited text, as is every file that
 * is not Parquet, FITS, HDF5 or a HATS folder): a compressed file, an image. It was split into
 * lines and said "could not find a delimiter ...; every line has one field". Null for text: no
 * zero byte (UTF-16, which has them, is told apart before).
 */
export function binaryWords(sample: Uint8Array): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => sample[i] === b);
  if (starts(0x1f, 0x8b)) {
    return 'is gzip-compressed, not text: decompress it first (gunzip) and give the file it holds';
  }
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    return 'is a zip archive, not text: extract the catalog from it first and give its file';
  }
  const image = starts(0x89, 0x50, 0x4e, 0x47) ? ' (a PNG image)' : '';
  if (!image && !sample.includes(0)) return null;
  return `is not text${image || ' (it holds binary data)'}, so not a table the app reads: give a CSV or other delimited text, Parquet, FITS or HDF5 file`;
}

export const DELIMITERS = [',', '\t', ';', '|', 'whitespace'] as const;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$|^[+-]?(nan|inf|infinity)$/i;
const SEXAGESIMAL = /^[+-]?\d{1,3}[: hd°]\s*\d{1,2}[: m']\s*\d{1,2}(\.\d*)?s?"?$/i;

/** True when a field reads as a number or a sexagesimal angle. */
export function looksNumeric(field: string): boolean {
  const t = field.trim();
  return NUMBER.test(t) || SEXAGESIMAL.test(t);
}

/** Splits sample lines with one delimiter ('whitespace' = runs of blanks), quotes honoured. */
export function splitSample(lines: string[], delimiter: string): string[][] {
  if (delimiter === 'whitespace') return lines.map((l) => l.trim().split(/[ \t]+/));
  try {
    return parse(lines.join('\n'), {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch {
    return lines.map((l) => l.split(delimiter));
  }
}

function score(rows: string[][]): { columns: number; share: number } {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let columns = 0;
  let best = 0;
  for (const [c, n] of counts)
    if (n > best || (n === best && c > columns)) [columns, best] = [c, n];
  return { columns, share: rows.length ? best / rows.length : 0 };
}

/**
 * Guesses the delimiter and the header of a delimited text file from its first 64 KiB, like the
 * original TSM's reader (tsm-domain.md §1.2 step 5: delimiter sniffed, header auto-detected, `#`
 * lines skipped): the delimiter giving the most rows with the same field count (> 1) wins; the
 * first row is a header when none of its fields is numeric while the next row has numbers; a
 * last `#` comment line with the right number of names is used when there is no header row.
 */
export async function sniffDelimited(
  path: string,
  forcedDelimiter?: string,
): Promise<DelimitedLayout> {
  const handle = await open(path, 'r');
  let text: string;
  let wholeFile: boolean;
  let encoding: DelimitedLayout['encoding'];
  try {
    const buf = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    wholeFile = bytesRead < buf.length;
    const sample = buf.subarray(0, bytesRead);
    const utf16 = utf16Order(sample);
    if (utf16 === 'utf16be') {
      throw new UserError(
        `${path}: the file is UTF-16 big-endian text, which is not read; save it as UTF-8 (in Excel: CSV UTF-8) and try again`,
      );
    }
    const binary = utf16 ? null : binaryWords(sample);
    if (binary) throw new UserError(`${path}: ${binary}`);
    encoding = utf16 ?? (isUtf8(sample) ? 'utf8' : 'latin1');
    text = buf.toString(encoding, 0, bytesRead).replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
  let lines = text.split(/\r?\n/);
  if (!wholeFile) lines = lines.slice(0, -1); // last line may be cut
  const comments: string[] = [];
  const data: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) {
      if (data.length === 0) comments.push(line.trimStart().slice(1).trim());
      continue;
    }
    data.push(line);
    if (data.length >= 200) break;
  }
  if (data.length === 0)
    throw new UserError(`${path}: no data lines (only comments or blank lines)`);
  const candidates = forcedDelimiter ? [forcedDelimiter] : [...DELIMITERS];
  let delimiter = candidates[0];
  let bestRank = -1;
  for (const d of candidates) {
    const { columns, share } = score(splitSample(data, d));
    if (columns < 2) continue;
    const rank = share * 1000 + Math.min(columns, 999) / 1000;
    if (rank > bestRank) [delimiter, bestRank] = [d, rank];
  }
  const rows = splitSample(data, delimiter);
  const width = score(rows).columns;
  if (width < 2) {
    throw new UserError(
      forcedDelimiter
        ? `${path}: splitting on ${JSON.stringify(forcedDelimiter)} gives a single column; the delimiter looks wrong (leave it out to detect it)`
        : `${path}: could not find a delimiter (tried comma, tab, semicolon, pipe, blanks); every line has one field`,
    );
  }
  const first = rows[0];
  const second = rows[1];
  const firstNumeric = first.some(looksNumeric);
  const hasHeaderRow =
    !firstNumeric &&
    (!second || second.some(looksNumeric) || first.every((f) => /^[A-Za-z_]/.test(f.trim())));
  let columns: string[];
  if (hasHeaderRow) columns = first.map((f) => f.trim());
  else {
    const last = comments.length
      ? splitSample(
          [comments[comments.length - 1]],
          delimiter === ',' || delimiter === 'whitespace' ? delimiter : delimiter,
        )[0]
      : [];
    const fromComment = last && last.length === first.length && !last.some(looksNumeric);
    columns = fromComment ? last.map((f) => f.trim()) : first.map((_, i) => `col${i + 1}`);
  }
  const seen = new Map<string, number>();
  const renamed: DelimitedLayout['renamed'] = [];
  columns = columns.map((c, i) => {
    const header = c === '' ? `col${i + 1}` : c;
    let name = header;
    while (seen.has(name)) name = `${name}_${i + 1}`;
    if (name !== header) renamed.push({ column: i + 1, header, name, first: seen.get(header)! });
    seen.set(name, i + 1);
    return name;
  });
  return { delimiter, columns, hasHeaderRow, encoding, renamed };
}
