import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../errors';
import { sniffDelimited, type DelimitedLayout } from './delimited-sniff';

/** A batch of a source file: the rows as an Arrow table, where each row came from, and rows refused while reading. */
export interface SourceBatch {
  table: Table;
  /** 1-based line number (text files) or row number (binary files) of each row. */
  lines: Int32Array;
  /** Rows that could not even be split into the columns (text files). */
  rejected: { line: number; reason: string }[];
}

/** Turns runs of blanks into one tab so csv-parse can read whitespace-separated tables. */
function collapseBlanks(): Transform {
  let carry = '';
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = carry + chunk.toString('utf8');
      const cut = text.lastIndexOf('\n');
      carry = cut < 0 ? text : text.slice(cut + 1);
      const body = cut < 0 ? '' : text.slice(0, cut + 1);
      done(null, body.replace(/^[ \t]+|[ \t]+$/gm, '').replace(/[ \t]+/g, '\t'));
    },
    flush(done) {
      done(null, carry.replace(/^[ \t]+|[ \t]+$/g, '').replace(/[ \t]+/g, '\t'));
    },
  });
}

function batchOf(
  columns: string[],
  rows: string[][],
  lines: number[],
  rejected: SourceBatch['rejected'],
): SourceBatch {
  const vectors: Record<string, Vector> = {};
  columns.forEach((name, c) => {
    vectors[name] = vectorFromArray(
      rows.map((r) => r[c]),
      new Utf8(),
    );
  });
  return { table: new Table(vectors), lines: Int32Array.from(lines), rejected };
}

/**
 * Streams a delimited text file (CSV, TSV, semicolon, pipe or blank separated; `#` comment lines;
 * quoted fields per RFC 4180) with csv-parse's streaming parser, as batches of string columns
 * (typing happens later, see spec-z registration). A row with the wrong number of fields is
 * rejected with its line number; a file that ends inside a quoted field or in the middle of its
 * last row is refused as truncated.
 */
export async function* readDelimited(
  path: string,
  options: { delimiter?: string; batchRows?: number; layout?: DelimitedLayout } = {},
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
    info: true,
    from_line: 1,
  });
  const input = createReadStream(path);
  (whitespace ? input.pipe(collapseBlanks()) : input).pipe(parser);
  input.on('error', (err) => parser.destroy(err));
  const width = layout.columns.length;
  const batchRows = options.batchRows ?? 65_536;
  let rows: string[][] = [];
  let lines: number[] = [];
  let rejected: SourceBatch['rejected'] = [];
  let headerSkipped = !layout.hasHeaderRow;
  let lastShort: { line: number; fields: number } | undefined;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
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
      rows.push(record);
      lines.push(info.lines);
      if (rows.length >= batchRows) {
        yield batchOf(layout.columns, rows, lines, rejected);
        rows = [];
        lines = [];
        rejected = [];
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
  }
  if (lastShort) {
    throw new UserError(
      `${path}: the last row (line ${lastShort.line}) has ${lastShort.fields} of ${width} fields: the file looks truncated; re-export it`,
    );
  }
  if (rows.length > 0 || rejected.length > 0) yield batchOf(layout.columns, rows, lines, rejected);
}
