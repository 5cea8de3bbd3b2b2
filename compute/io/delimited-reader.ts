import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Table, Utf8, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../errors';
import { sniffDelimited, type DelimitedLayout } from './delimited-sniff';
import {
  convertText,
  inferTextType,
  isNumberText,
  parseFloatText,
  type TextType,
} from './text-types';

/** A batch of a source file: the rows as an Arrow table, where each row came from, and rows refused while reading. */
export interface SourceBatch {
  table: Table;
  /** 1-based line number (text files) or row number (binary files) of each row. */
  lines: Int32Array;
  /**
   * Rows that could not even be split into the columns (text files); `truncated` marks a last
   * line with too few fields (the file looks cut off), with `shortLastRow: 'reject'`.
   */
  rejected: { line: number; reason: string; truncated?: boolean }[];
  /**
   * Text files: per column, the rows whose text did not fit the column's type (inferred from
   * the first batch) and became null/NaN, e.g. 'abc' in a numeric z column.
   */
  unparsed?: Record<string, Uint8Array>;
  /** Part of the file read with this batch, 0..1, when its size is known (progress reports). */
  fraction?: number;
  /**
   * Columns typed int64 from the first batch that are text (Utf8) from this batch on
   * (readDelimited's `textAfterIntegers`), each with the line of its first text: the earlier
   * batches' integers are their text as written (`String(value)`, see `integersAsText`).
   */
  textFrom?: Record<string, number>;
}

/** An integer as `String(BigInt(text))` writes it back: no sign '+', no leading zero, no blank. */
const EXACT_INTEGER = /^(0|-?[1-9]\d*)$/;

/**
 * readDelimited's `textAfterIntegers`: the int64 columns it allows whose every text so far is an
 * integer as written (`exact`), so the file need not be read again when a later one holds text.
 */
interface TextAfterIntegers {
  allowed: (column: string) => boolean;
  exact: Set<string>;
}

/** Turns runs of blanks into one tab so csv-parse can read whitespace-separated tables. */
function collapseBlanks(encoding: BufferEncoding): Transform {
  let carry = '';
  // a character cut by a chunk's end is decoded with the next chunk
  const decoder = new StringDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = carry + decoder.write(chunk);
      const cut = text.lastIndexOf('\n');
      carry = cut < 0 ? text : text.slice(cut + 1);
      const body = cut < 0 ? '' : text.slice(0, cut + 1);
      done(null, body.replace(/^[ \t]+|[ \t]+$/gm, '').replace(/[ \t]+/g, '\t'));
    },
    flush(done) {
      carry += decoder.end();
      done(null, carry.replace(/^[ \t]+|[ \t]+$/g, '').replace(/[ \t]+/g, '\t'));
    },
  });
}

/**
 * A float64 column of a batch read as its records came (readDelimited, once the first batch has
 * fixed the types): its values and unreadable flags, so the texts die young instead of living in
 * the batch's rows until the batch is built (a million rows of text: ~100 MB less heap).
 */
interface ParsedFloats {
  column: number;
  values: Float64Array;
  bad: Uint8Array;
}

/** Float64 columns to read as their records come, with room for `rows` rows. */
function parsedFloats(
  columns: string[],
  types: Record<string, TextType>,
  rows: number,
): ParsedFloats[] {
  const out: ParsedFloats[] = [];
  columns.forEach((name, column) => {
    if (types[name] === 'float64') {
      out.push({ column, values: new Float64Array(rows), bad: new Uint8Array(rows) });
    }
  });
  return out;
}

/** Row `n`'s texts of the `floats` columns parsed into them, and let go in `record`. */
function parseFloatsOf(record: string[], n: number, floats: ParsedFloats[]): void {
  for (const f of floats) {
    const t = record[f.column];
    const v = parseFloatText(t);
    f.values[n] = v;
    if (Number.isNaN(v) && t.trim() !== '' && !isNumberText(t)) f.bad[n] = 1;
    record[f.column] = '';
  }
}

/** Builds a typed batch from parsed rows; `types` are fixed by the first batch. */
export function batchOf(
  columns: string[],
  rows: string[][],
  lines: number[],
  rejected: SourceBatch['rejected'],
  types: Record<string, TextType>,
  floats: ParsedFloats[] = [],
  integers?: TextAfterIntegers,
): SourceBatch {
  const vectors: Record<string, Vector> = {};
  const unparsed: Record<string, Uint8Array> = {};
  const textFrom: Record<string, number> = {};
  columns.forEach((name, c) => {
    const parsed = floats.find((f) => f.column === c);
    if (parsed) {
      const n = rows.length;
      const whole = n === parsed.values.length;
      vectors[name] = makeVector(whole ? parsed.values : parsed.values.slice(0, n));
      unparsed[name] = whole ? parsed.bad : parsed.bad.slice(0, n);
      return;
    }
    const texts = rows.map((r) => r[c]);
    const type = types[name];
    if (type === 'int64' && integers?.exact.has(name)) {
      const badRows: number[] = [];
      const ints = convertText(vectorFromArray(texts, new Utf8()), type, badRows);
      if (badRows.length === 0) {
        if (!texts.every((t) => t === '' || EXACT_INTEGER.test(t))) integers.exact.delete(name);
        vectors[name] = ints;
        unparsed[name] = new Uint8Array(texts.length);
        return;
      }
      // text after integers that read back as written: text from here on (the caller turns the
      // earlier integers into their text), not the file read again
      integers.exact.delete(name);
      textFrom[name] = lines[badRows[0]];
      vectors[name] = vectorFromArray(
        texts.map((t) => (t === '' ? null : t)),
        new Utf8(),
      );
      unparsed[name] = new Uint8Array(texts.length);
      return;
    }
    if (type === 'string') {
      // an empty field is a missing value, as pandas reads it and as the CSV writer writes a
      // null (it came back as '', where the same table as Parquet gives null)
      vectors[name] = vectorFromArray(
        texts.map((t) => (t === '' ? null : t)),
        new Utf8(),
      );
      return;
    }
    const bad = new Uint8Array(texts.length);
    const badRows: number[] = [];
    // a float column is made from the texts straight away (a Utf8 vector of them costs more)
    vectors[name] =
      type === 'float64'
        ? floatColumn(texts, bad)
        : convertText(vectorFromArray(texts, new Utf8()), type, badRows);
    for (const i of badRows) bad[i] = 1;
    unparsed[name] = bad;
  });
  return {
    table: new Table(vectors),
    lines: Int32Array.from(lines),
    rejected,
    unparsed,
    ...(Object.keys(textFrom).length > 0 ? { textFrom } : {}),
  };
}

/** A float64 column straight from text (no Utf8 vector in between); bad[i] = 1 where unreadable. */
function floatColumn(texts: string[], bad: Uint8Array): Vector {
  const out = new Float64Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    const v = parseFloatText(t);
    out[i] = v;
    if (Number.isNaN(v) && t.trim() !== '' && !isNumberText(t)) bad[i] = 1;
  }
  return makeVector(out);
}

/** Each column's type from its texts in `rows` (the first batch); `keepText`: kept as text. */
export function inferTypes(
  columns: string[],
  rows: string[][],
  keepText: string[] = [],
): Record<string, TextType> {
  const types: Record<string, TextType> = {};
  columns.forEach((name, c) => {
    types[name] = keepText.includes(name) ? 'string' : inferTextType(rows.map((r) => r[c]));
  });
  return types;
}

/**
 * Streams a delimited text file (CSV, TSV, semicolon, pipe or blank separated; `#` comment lines;
 * quoted fields per RFC 4180) with csv-parse's streaming parser, as typed batches: each column's
 * type (int64, float64, bool or string) is inferred from the first batch, and later text that
 * does not fit is null/NaN and flagged in `unparsed`. A row with the wrong number of fields is
 * rejected with its line number; a file that ends inside a quoted field is refused as truncated,
 * and so is one that ends in the middle of its last row unless `shortLastRow` is 'reject' (then
 * that row is rejected like the others, marked `truncated`).
 */
export async function* readDelimited(
  path: string,
  options: {
    delimiter?: string;
    batchRows?: number;
    layout?: DelimitedLayout;
    /** Columns kept as text whatever they look like. */
    textColumns?: string[];
    /**
     * Columns typed int64 from the first batch that become text when a later batch holds text
     * in them (`SourceBatch.textFrom`), when every integer before reads back as written ('7',
     * not '007' or '+7'); otherwise that text is null and flagged in `unparsed`, as in a
     * column not allowed here.
     */
    textAfterIntegers?: (column: string) => boolean;
    /** A last row with too few fields: refuse the file (default) or reject the row. */
    shortLastRow?: 'throw' | 'reject';
    /**
     * Read from this byte offset, the start of a data row (`indexDelimitedRows`), instead of from
     * the top: the header is not read again and line numbers count from there.
     */
    startByte?: number;
  } = {},
): AsyncGenerator<SourceBatch> {
  const layout = options.layout ?? (await sniffDelimited(path, options.delimiter));
  const whitespace = layout.delimiter === 'whitespace';
  const parser = parse({
    delimiter: whitespace ? '\t' : layout.delimiter,
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: false,
    bom: true,
    // blank-separated text arrives as strings (collapseBlanks decoded it), which the parser
    // takes as UTF-8
    encoding: whitespace ? 'utf8' : layout.encoding,
    info: true,
    from_line: 1,
  });
  // the loop below takes the parser's errors through its iterator; this listener keeps one the
  // parser emits while no iterator listens (the loop left, its iterator's listeners gone, before
  // the finally below: data already piped in can still fail to parse) from being an uncaught
  // error (seen in CI: 'Invalid Opening Quote' after the reader had stopped)
  parser.on('error', () => undefined);
  const input = createReadStream(path, { start: options.startByte ?? 0 });
  (whitespace ? input.pipe(collapseBlanks(layout.encoding)) : input).pipe(parser);
  input.on('error', (err) => parser.destroy(err));
  const size = (await stat(path).catch(() => null))?.size ?? 0;
  /**
   * The part of the file read up to the end of the record at `bytes` (csv-parse's offset in the
   * file); blank-separated text reaches the parser rewritten, so there the bytes read from disk.
   */
  const fractionAt = (bytes: number): number | undefined =>
    size > 0 ? Math.min(1, (whitespace ? input.bytesRead : bytes) / size) : undefined;
  const width = layout.columns.length;
  const batchRows = options.batchRows ?? 65_536;
  let rows: string[][] = [];
  let lines: number[] = [];
  let rejected: SourceBatch['rejected'] = [];
  let headerSkipped = !layout.hasHeaderRow || options.startByte !== undefined;
  let lastShort: { line: number; fields: number } | undefined;
  let types: Record<string, TextType> | undefined;
  let floats: ParsedFloats[] = [];
  const integers: TextAfterIntegers | undefined = options.textAfterIntegers && {
    allowed: options.textAfterIntegers,
    exact: new Set(),
  };
  /** The types of the first batch's rows, and the int64 columns that may become text. */
  const typesOf = (first: string[][]): Record<string, TextType> => {
    const inferred = inferTypes(layout.columns, first, options.textColumns);
    for (const [name, type] of Object.entries(inferred))
      if (type === 'int64' && integers?.allowed(name)) integers.exact.add(name);
    return inferred;
  };
  /** A batch of the rows read; a column that became text stays text in the next ones. */
  const batch = (t: Record<string, TextType>): SourceBatch => {
    const b = batchOf(layout.columns, rows, lines, rejected, t, floats, integers);
    for (const name of Object.keys(b.textFrom ?? {})) t[name] = 'string';
    return b;
  };
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      const { record, info } = item;
      if (!headerSkipped) {
        headerSkipped = true;
        continue;
      }
      if (lastShort) {
        rejected.push({
          line: lastShort.line,
          reason: `${lastShort.fields} fields, expected ${width}`,
        });
        lastShort = undefined;
      }
      if (record.length !== width) {
        if (record.length < width) lastShort = { line: info.lines, fields: record.length };
        else
          rejected.push({ line: info.lines, reason: `${record.length} fields, expected ${width}` });
        continue;
      }
      if (floats.length > 0) parseFloatsOf(record, rows.length, floats);
      rows.push(record);
      lines.push(info.lines);
      if (rows.length >= batchRows) {
        types ??= typesOf(rows);
        yield { ...batch(types), fraction: fractionAt(info.bytes) };
        rows = [];
        lines = [];
        rejected = [];
        floats = parsedFloats(layout.columns, types, batchRows);
      }
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const truncated = err.code === 'CSV_QUOTE_NOT_CLOSED';
      throw new UserError(
        `${path}: ${truncated ? 'the file ends inside a quoted field (truncated?)' : err.message}; fix or re-export the file`,
      );
    }
    throw err;
  } finally {
    // a reader that stops early (a page of rows) closes the file rather than leave it open
    input.destroy();
    parser.destroy();
  }
  if (lastShort && options.shortLastRow === 'reject') {
    rejected.push({
      line: lastShort.line,
      reason: `${lastShort.fields} fields, expected ${width}`,
      truncated: true,
    });
  } else if (lastShort) {
    throw new UserError(
      `${path}: the last row (line ${lastShort.line}) has ${lastShort.fields} of ${width} fields: the file looks truncated; re-export it`,
    );
  }
  if (rows.length > 0 || rejected.length > 0) {
    types ??= typesOf(rows);
    yield { ...batch(types), ...(size > 0 ? { fraction: 1 } : {}) };
  }
}
