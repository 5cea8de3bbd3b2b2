import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Type, type Schema, type Table, type Vector } from 'apache-arrow';
import { commitPartial, discardPartial, partialPath } from './atomic';
import { assertSameColumns } from './schema-check';
import type { TableWriter, TableWriterOptions, WriteResult } from './table-writer';

/** CSV line ending (RFC 4180 §2.1: CRLF). */
const EOL = '\r\n';

/**
 * Quotes a field when RFC 4180 requires it (comma, quote, CR or LF inside; doubled quotes) and
 * also when it has leading/trailing spaces or is empty, so an empty string differs from a null.
 */
export function csvQuote(text: string): string {
  if (text === '' || /[",\r\n]/.test(text) || text.trim() !== text) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

function formatFloat64(v: number): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

/** Shortest decimal that reads back as the same float32. */
function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return formatFloat64(v);
  for (let p = 6; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}

/** A function giving the CSV text of row i of a column. Nulls and NaN give '' (an empty field). */
export function csvCellFormatter(vec: Vector): (i: number) => string {
  const hasNulls = vec.nullCount > 0;
  const wrap =
    (f: (i: number) => string) =>
    (i: number): string =>
      hasNulls && !vec.isValid(i) ? '' : f(i);
  const typeId = vec.type.typeId;
  if (typeId === Type.Float) {
    const values = vec.toArray() as Float64Array | Float32Array;
    const single = values instanceof Float32Array;
    return wrap((i) => (single ? formatFloat32(values[i]) : formatFloat64(values[i])));
  }
  if (typeId === Type.Int) {
    const values = vec.toArray() as ArrayLike<number | bigint>;
    return wrap((i) => String(values[i]));
  }
  if (typeId === Type.Bool) return wrap((i) => (vec.get(i) ? 'true' : 'false'));
  if (typeId === Type.Utf8 || typeId === Type.LargeUtf8 || typeId === Type.Dictionary) {
    return wrap((i) => csvQuote(String(vec.get(i))));
  }
  return wrap((i) => csvQuote(String(vec.get(i))));
}

function writeChunk(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', resolve);
  });
}

/**
 * Streaming CSV writer (RFC 4180: header line, comma, CRLF, quoted fields when needed). NaN and
 * nulls are written as empty fields (pandas and astropy read them back as NaN / masked); floats
 * use the shortest text that reads back exactly, int64 is written exactly, booleans as
 * true/false. Run metadata is not written into the CSV (it lives in config.yml / run.json).
 */
export function createCsvWriter(path: string, options: TableWriterOptions = {}): TableWriter {
  const partial = partialPath(path);
  let stream: WriteStream | undefined;
  let schema: Schema | undefined = options.schema;
  let rows = 0;

  async function open(s: Schema): Promise<WriteStream> {
    const ws = createWriteStream(partial);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await writeChunk(ws, s.fields.map((f) => csvQuote(f.name)).join(',') + EOL);
    return ws;
  }

  async function end(): Promise<void> {
    if (!stream) return;
    const ws = stream;
    stream = undefined;
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.end(() => resolve());
    });
  }

  return {
    async write(batch: Table): Promise<void> {
      schema ??= batch.schema;
      assertSameColumns(path, schema, batch.schema);
      stream ??= await open(schema);
      const formatters = schema.fields.map((f) => csvCellFormatter(batch.getChild(f.name)!));
      const chunkRows = 4096;
      for (let start = 0; start < batch.numRows; start += chunkRows) {
        if (options.signal?.aborted) throw new Error('aborted');
        const stop = Math.min(batch.numRows, start + chunkRows);
        const lines: string[] = [];
        for (let i = start; i < stop; i++) {
          let line = formatters[0](i);
          for (let c = 1; c < formatters.length; c++) line += ',' + formatters[c](i);
          lines.push(line);
        }
        await writeChunk(stream, lines.join(EOL) + EOL);
      }
      rows += batch.numRows;
    },
    async close(): Promise<WriteResult> {
      if (!stream) {
        if (!schema) throw new Error(`${path}: nothing to write and no schema given`);
        stream = await open(schema);
      }
      await end();
      await commitPartial(path);
      return { path, rows, bytes: (await stat(path)).size };
    },
    async abort(): Promise<void> {
      await end().catch(() => undefined);
      await discardPartial(path);
    },
  };
}
