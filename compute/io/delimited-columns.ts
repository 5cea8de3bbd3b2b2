import { open } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { UserError } from '../errors';
import { batchOf, inferTypes, readDelimited } from './delimited-reader';
import { sniffDelimited, type DelimitedLayout } from './delimited-sniff';
import type { TextType } from './text-types';

const CHUNK_BYTES = 4 << 20;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const HASH = 0x23;

/** Why a file cannot be read, as readDelimited says it. */
function unreadable(path: string, reason: string): UserError {
  return new UserError(`${path}: ${reason}; fix or re-export the file`);
}

/**
 * The record delimiter csv-parse settles on: the first line end outside quotes, LF, CRLF or CR
 * (null: none in these bytes yet).
 */
function firstLineEnd(bytes: Uint8Array, eof: boolean): 'lf' | 'crlf' | 'cr' | null {
  const end = bytes.length;
  let quoted = false;
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (c === LF) return 'lf';
    else if (c === CR) {
      if (i + 1 < end) return bytes[i + 1] === LF ? 'crlf' : 'cr';
      return eof ? 'cr' : null;
    }
  }
  return null;
}

/** What {@link scanRows} reads and where it is: kept from one buffer of the file to the next. */
interface ScanState {
  readonly path: string;
  readonly delimiter: number;
  readonly encoding: 'utf8' | 'latin1';
  /** Rows end at CRLF (a lone LF is text), else at LF (a CR before it is text), as csv-parse. */
  crlf: boolean;
  /** Fields of a row. */
  readonly width: number;
  /** The output slot of each field (-1: not read). */
  readonly slot: Int32Array;
  readonly lastWanted: number;
  /** Rows read, each the texts of the fields read. */
  rows: string[][];
  headerLeft: boolean;
  /** Line of the next row (1-based). */
  line: number;
  /** A row with too few fields just read: refused if it is the file's last. */
  lastShort: { line: number; fields: number } | null;
  /** Rows of the wrong width left out since the last batch (readDelimited ends with a batch then). */
  leftOut: boolean;
}

/** Where the line from `from` ends (after its line end), or -1 when `buf` has no end of it yet. */
function afterLineEnd(buf: Buffer, from: number, filled: number, crlf: boolean): number {
  for (let lf = buf.indexOf(LF, from); lf >= 0 && lf < filled; lf = buf.indexOf(LF, lf + 1)) {
    if (!crlf || (lf > from && buf[lf - 1] === CR)) return lf + 1;
  }
  return -1;
}

/**
 * Reads the complete rows of `buf[pos, filled)` (all of them when `eof`) into `state.rows`, stopping
 * at `stopAt` rows, and returns where it stopped: the start of the first row not read. `text` is
 * the same bytes as Latin-1 text, one character a byte, to cut the fields from.
 */
function scanRows(
  state: ScanState,
  buf: Buffer,
  text: string,
  pos: number,
  filled: number,
  eof: boolean,
  stopAt: number,
): number {
  const { delimiter, encoding, width, slot, lastWanted, rows, path, crlf } = state;
  const wantedFields = lastWanted + 1;
  const cut = (a: number, b: number, high: number) =>
    high < 0x80 || encoding === 'latin1' ? text.slice(a, b) : buf.toString(encoding, a, b);
  while (pos < filled && rows.length < stopAt) {
    let p = pos;
    const c0 = buf[p];
    if (crlf && c0 === CR && p + 1 >= filled && !eof) return pos;
    if (c0 === HASH || (crlf ? c0 === CR && buf[p + 1] === LF : c0 === LF)) {
      // a comment line (`#` first) or a blank line: no row
      const next = afterLineEnd(buf, p, filled, crlf);
      if (next < 0 && !eof) return pos;
      pos = next < 0 ? filled : next;
      state.line++;
      continue;
    }
    let fields = 0;
    let lines = 0;
    const record: string[] = [];
    for (;;) {
      const to = fields < wantedFields ? slot[fields] : -1;
      let end: number;
      if (p < filled && buf[p] === QUOTE) {
        // RFC 4180 §2.5-2.7: up to the quote that is not doubled
        let q = p + 1;
        for (;;) {
          q = buf.indexOf(QUOTE, q);
          if (q < 0 || q + 1 >= filled || buf[q + 1] !== QUOTE) break;
          q += 2;
        }
        if (q < 0 || q >= filled || (q + 1 >= filled && !eof)) {
          if (eof) throw unreadable(path, 'the file ends inside a quoted field (truncated?)');
          return pos;
        }
        let high = 0;
        for (let i = p + 1; i < q; i++) {
          high |= buf[i];
          if (buf[i] === LF) lines++;
        }
        if (to >= 0) record[to] = cut(p + 1, q, high).replace(/""/g, '"');
        end = q + 1;
        if (crlf && end < filled && buf[end] === CR) {
          // the quote ends the row if a line end follows it
          if (end + 1 >= filled && !eof) return pos;
          if (buf[end + 1] === LF) end++;
        }
        const lineEnds = buf[end] === LF && (!crlf || buf[end - 1] === CR);
        if (end < filled && buf[end] !== delimiter && !lineEnds) {
          throw unreadable(
            path,
            `Invalid Closing Quote: got "${String.fromCharCode(buf[end])}" at line ${state.line + lines} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
          );
        }
      } else {
        let i = p;
        let high = 0;
        for (; i < filled; i++) {
          const c = buf[i];
          if (c === delimiter) break;
          // a row ends at a line feed; with CRLF line ends, only at one after a CR
          if (c === LF && (!crlf || (i > p && buf[i - 1] === CR))) break;
          high |= c;
        }
        end = i;
        if (to >= 0) {
          // the CR of a CRLF line end is not the field's
          const stop = crlf && i < filled && buf[i] === LF ? i - 1 : i;
          record[to] = cut(p, stop, high);
        }
      }
      fields++;
      if (end >= filled) {
        if (!eof) return pos;
        p = filled;
        break;
      }
      p = end + 1;
      if (buf[end] === LF) break;
    }
    pos = p;
    state.line += lines + 1;
    if (state.headerLeft) {
      state.headerLeft = false;
      continue;
    }
    if (fields !== width) {
      state.lastShort = fields < width ? { line: state.line - 1, fields } : null;
      state.leftOut = true;
      continue;
    }
    state.lastShort = null;
    rows.push(record);
  }
  return pos;
}

/**
 * Streams the `columns` of a delimited text file as `readDelimited` gives them (each column typed
 * from its first `batchRows` rows, the same Arrow vectors and values; a row with the wrong number
 * of fields left out; a file ending inside a quoted field or in the middle of its last row
 * refused), without turning the other fields into values: a row's bytes are searched for the
 * delimiter, line feed and quotes, and only the named fields are cut out as text. The plots of a
 * large CSV output read a few of its columns this way, where csv-parse makes every field of every
 * row a string first. Comma, tab, semicolon and pipe files in UTF-8 or Latin-1 with LF or CRLF
 * line ends (the first line's, as csv-parse: a lone LF in a CRLF file is text, and so is a CR
 * before an LF in an LF file) are read so; the others (blank-separated, UTF-16, CR line ends)
 * through `readDelimited`. A quote inside an unquoted field is taken as text (csv-parse refuses
 * it); the app's CSV writer writes none.
 */
export async function* readDelimitedColumns(
  path: string,
  columns: string[],
  options: {
    layout?: DelimitedLayout;
    batchRows?: number;
    /** Bytes read at a time (4 MiB; it grows for a longer row). */
    chunkBytes?: number;
  } = {},
): AsyncGenerator<Table> {
  const layout = options.layout ?? (await sniffDelimited(path));
  const batchRows = options.batchRows ?? 65_536;
  const names = layout.columns.filter((c) => columns.includes(c));
  const slowly = async function* () {
    for await (const batch of readDelimited(path, { layout, batchRows })) {
      yield batch.table.select(names);
    }
  };
  const encoding = layout.encoding;
  if (layout.delimiter.length !== 1 || encoding === 'utf16le') {
    yield* slowly();
    return;
  }
  const slot = Int32Array.from(layout.columns, (c) => names.indexOf(c));
  const state: ScanState = {
    path,
    delimiter: layout.delimiter.charCodeAt(0),
    encoding,
    crlf: false,
    width: layout.columns.length,
    slot,
    lastWanted: slot.reduce((last, s, f) => (s >= 0 ? f : last), -1),
    rows: [],
    headerLeft: layout.hasHeaderRow,
    line: 1,
    lastShort: null,
    leftOut: false,
  };
  let types: Record<string, TextType> | undefined;
  const batch = () => {
    types ??= inferTypes(names, state.rows);
    const { table } = batchOf(names, state.rows, [], [], types);
    state.rows = [];
    state.leftOut = false;
    return table;
  };
  const handle = await open(path, 'r');
  let closed = false;
  try {
    let buf = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
    let text = '';
    let filled = 0;
    let pos = 0;
    let eof = false;
    let fileOffset = 0;
    /** Whether the line ends are known: the first line's end has been read (or the file's). */
    let ends = false;
    for (;;) {
      if (!ends) {
        const first = firstLineEnd(buf.subarray(pos, filled), eof);
        if (first === 'cr') {
          // CR line ends: read as readDelimited reads
          closed = true;
          await handle.close();
          yield* slowly();
          return;
        }
        ends = first !== null || eof;
        state.crlf = first === 'crlf';
      }
      if (ends) pos = scanRows(state, buf, text, pos, filled, eof, batchRows);
      if (state.rows.length >= batchRows) {
        yield batch();
        continue;
      }
      if (eof) break;
      // read on: the row begun at `pos` moves to the buffer's start, the next bytes after it
      const kept = filled - pos;
      if (kept >= buf.length / 2) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, pos, filled);
        buf = bigger;
      } else buf.copyWithin(0, pos, filled);
      const { bytesRead } = await handle.read(buf, kept, buf.length - kept, fileOffset);
      if (fileOffset === 0) {
        // a UTF-8 byte order mark opens the file without being part of it
        if (bytesRead >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
          buf.copyWithin(0, 3, bytesRead);
          fileOffset = 3;
          filled = bytesRead - 3;
        } else filled = bytesRead;
        fileOffset += filled;
      } else {
        fileOffset += bytesRead;
        filled = kept + bytesRead;
      }
      pos = 0;
      eof = bytesRead === 0;
      text = buf.toString('latin1', 0, filled);
    }
    if (state.lastShort) {
      const { line, fields } = state.lastShort;
      throw new UserError(
        `${path}: the last row (line ${line}) has ${fields} of ${state.width} fields: the file looks truncated; re-export it`,
      );
    }
    if (state.rows.length > 0 || state.leftOut) yield batch();
  } finally {
    if (!closed) await handle.close();
  }
}
