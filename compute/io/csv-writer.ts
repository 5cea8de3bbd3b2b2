import { createWriteStream, type WriteStream } from 'node:fs';
import { Type, type Schema, type Table, type Vector } from 'apache-arrow';
import { discardPartial, finishPartialFile, partialPath } from './atomic';
import { writeFloat32Ascii } from './csv-float32';
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

/** Drops trailing zeros of a fixed-notation decimal ("1234.500" -> "1234.5", "2.000" -> "2"). */
function trimZeros(text: string): string {
  if (text.indexOf('.') < 0 || text.indexOf('e') >= 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--; // '0'
  if (text.charCodeAt(end - 1) === 46) end--; // '.'
  return end === text.length ? text : text.slice(0, end);
}

/**
 * A short decimal that reads back as the same float32: 7 significant digits when they suffice,
 * else 9 (always enough for binary32, IEEE 754-2008 §5.12.2), trailing zeros dropped.
 */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return formatFloat64(v);
  const s7 = v.toPrecision(7);
  return trimZeros(Math.fround(Number(s7)) === v ? s7 : v.toPrecision(9));
}

/**
 * CSV texts of rows [start, end) of a column into `out` (one string per row). Nulls and NaN give
 * '' (an empty field).
 */
export function formatCsvCells(vec: Vector, start: number, end: number, out: string[]): void {
  const nulls = vec.nullCount > 0;
  const typeId = vec.type.typeId;
  if (typeId === Type.Float || typeId === Type.Int) {
    const values = vec.toArray() as ArrayLike<number | bigint>;
    if (values instanceof Float32Array) {
      for (let i = start; i < end; i++) out[i - start] = formatFloat32(values[i]);
    } else if (values instanceof Float64Array) {
      for (let i = start; i < end; i++) out[i - start] = formatFloat64(values[i]);
    } else {
      for (let i = start; i < end; i++) out[i - start] = String(values[i]);
    }
  } else if (typeId === Type.Bool) {
    for (let i = start; i < end; i++) out[i - start] = vec.get(i) ? 'true' : 'false';
  } else {
    for (let i = start; i < end; i++) out[i - start] = csvQuote(String(vec.get(i)));
  }
  if (nulls) for (let i = start; i < end; i++) if (!vec.isValid(i)) out[i - start] = '';
}

const CHUNK_ROWS = 8192;
const BUFFER_BYTES = 1 << 20;

/**
 * Writes the rows of a batch as CSV bytes. Float32 columns are written digit by digit into the
 * buffer (no string per cell, see csv-float32.ts); other columns go through their text form.
 */
async function writeCsvRows(
  stream: WriteStream,
  vectors: Vector[],
  signal?: AbortSignal,
): Promise<void> {
  const length = vectors[0]?.length ?? 0;
  const f32 = vectors.map((v) => {
    if (v.type.typeId !== Type.Float || v.nullCount > 0) return undefined;
    const values = v.toArray();
    return values instanceof Float32Array ? values : undefined;
  });
  const cells = vectors.map((_, c) => (f32[c] ? undefined : new Array<string>(CHUNK_ROWS)));
  let buf = Buffer.allocUnsafe(BUFFER_BYTES);
  let pos = 0;
  for (let start = 0; start < length; start += CHUNK_ROWS) {
    if (signal?.aborted) throw new Error('aborted');
    const stop = Math.min(length, start + CHUNK_ROWS);
    vectors.forEach((v, c) => {
      if (cells[c]) formatCsvCells(v, start, stop, cells[c]!);
    });
    for (let r = start; r < stop; r++) {
      let budget = 2;
      for (let c = 0; c < vectors.length; c++)
        budget += cells[c] ? cells[c]![r - start].length * 3 + 1 : 40;
      if (pos + budget > buf.length) {
        await writeChunk(stream, buf.subarray(0, pos));
        buf = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, budget));
        pos = 0;
      }
      for (let c = 0; c < vectors.length; c++) {
        if (c > 0) buf[pos++] = 44; // ','
        const values = f32[c];
        if (values) {
          const end = writeFloat32Ascii(values[r], buf, pos);
          pos = end >= 0 ? end : pos + buf.write(formatFloat32(values[r]), pos, 'latin1');
        } else {
          const text = cells[c]![r - start];
          pos += buf.write(text, pos, 'utf8');
        }
      }
      buf[pos++] = 13; // CRLF
      buf[pos++] = 10;
    }
  }
  if (pos > 0) await writeChunk(stream, buf.subarray(0, pos));
}

function writeChunk(stream: WriteStream, text: string | Uint8Array): Promise<void> {
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
      await writeCsvRows(
        stream,
        schema.fields.map((f) => batch.getChild(f.name)!),
        options.signal,
      );
      rows += batch.numRows;
    },
    async close(): Promise<WriteResult> {
      if (!stream) {
        if (!schema) throw new Error(`${path}: nothing to write and no schema given`);
        stream = await open(schema);
      }
      await end();
      return { path, rows, bytes: await finishPartialFile(path, options.deferCommit) };
    },
    async abort(): Promise<void> {
      await end().catch(() => undefined);
      await discardPartial(path);
    },
  };
}
