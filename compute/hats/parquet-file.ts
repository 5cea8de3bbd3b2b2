import {
  DataType,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  makeVector,
  type Data,
  type Field,
} from 'apache-arrow';
import {
  parquetMetadataAsync,
  parquetRead,
  type AsyncBuffer,
  type DecodedArray,
  type FileMetaData,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ByteSource } from './byte-source';
import { CancelledError, UserError } from '../errors';
import { HatsError } from './errors';
import {
  DownloadFailedError,
  HttpStatusError,
  OfflineMissingError,
  RemoteFileChangedError,
} from './http-errors';
import { piecesToArrowData } from './arrow-columns';
import { takeRows } from '../arrow/take';
import { FlatColumnUnsupported, decodeFlatColumn, planFlatColumn } from './flat-column';
import {
  exactDecimalColumns,
  exactDecimalValues,
  nestedDecimalColumns,
  nestedDecimalError,
  withoutDecimalAnnotation,
} from './decimal-columns';

/**
 * Timestamps come back as the file's int64 counts in its own unit (parquet-schema.ts gives the
 * Arrow timestamp of that unit: microseconds were cut to milliseconds); dates as ms since epoch.
 */
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => ms,
  timestampFromMicroseconds: (us: bigint) => us,
  timestampFromNanoseconds: (ns: bigint) => ns,
  dateFromDays: (days: number) => days * 86400000,
  jsonFromBytes: (bytes: Uint8Array) => bytes && new TextDecoder().decode(bytes),
  geometryFromBytes: (bytes: Uint8Array) => bytes,
  geographyFromBytes: (bytes: Uint8Array) => bytes,
};

/**
 * First read at the end of a file, hoping to get the whole footer at once (hyparquet reads the rest
 * when it is longer). 32 KiB is also the block size hats uses over HTTP (hats-lsdb.md §5).
 */
const FOOTER_GUESS_BYTES = 32 * 1024;

/** As PARSERS, but strings stay UTF-8 bytes (for flat Utf8 columns). */
const BYTES_PARSERS = { ...PARSERS, stringFromBytes: (bytes: Uint8Array) => bytes };

/** One opened parquet file: its source, hyparquet AsyncBuffer and parsed footer. */
export interface ParquetFile {
  source: ByteSource;
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  /** First row of each row group, plus the total at the end. */
  rowGroupStarts: number[];
}

/** Adapts a ByteSource to hyparquet's `AsyncBuffer` ({byteLength, slice}). */
export function toAsyncBuffer(source: ByteSource, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const bytes = await source.read(start, end ?? byteLength);
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
        return bytes.buffer as ArrayBuffer;
      }
      return bytes.slice().buffer as ArrayBuffer;
    },
  };
}

/** Opens a parquet file and parses its footer; a missing or corrupt file is a HatsError naming it. */
export async function openParquet(
  source: ByteSource,
  what = 'parquet file',
  whenMissing = 'Check that it exists.',
): Promise<ParquetFile> {
  let size: number;
  try {
    size = await source.size();
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    // the network, not the catalog: its own message says what to do (and names the URL)
    if (
      err instanceof DownloadFailedError ||
      err instanceof RemoteFileChangedError ||
      err instanceof OfflineMissingError
    ) {
      throw new HatsError(`The ${what} cannot be read. ${err.message}`);
    }
    if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410)) {
      throw new HatsError(
        `${source.name}: ${what} is not on the server (HTTP ${err.status}). ${whenMissing}`,
      );
    }
    throw new HatsError(
      `${source.name}: ${what} cannot be opened (${(err as Error).message}). ${whenMissing}`,
    );
  }
  try {
    return await parseFooter(source, size);
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    // a server answering with a page (login, portal, error page with status 200)
    if (await looksLikeHtml(source, size)) {
      throw new HatsError(
        `${source.name}: ${what} is an HTML page, not a Parquet file (a login, error or index page served in its place?). Check that the location is the catalog's folder and that the catalog is public.`,
      );
    }
    const remote = /^https?:\/\//i.test(source.name);
    throw new HatsError(
      `${source.name}: ${what} has a corrupt or truncated parquet footer (${(err as Error).message}). ` +
        (remote
          ? "The server's copy is damaged or cut short: try again later (it may be being replaced), or tell the catalog's provider."
          : 'Re-download or regenerate the file.'),
    );
  }
}

/** Whether a file's first bytes are an HTML page's (false when they cannot be read). */
async function looksLikeHtml(source: ByteSource, size: number): Promise<boolean> {
  try {
    const head = new TextDecoder().decode(await source.read(0, Math.min(size, 256)));
    return /^\s*<(!doctype\s+html|html|head|body)\b/i.test(head.replace(/^\uFEFF/, ''));
  } catch {
    return false;
  }
}

/**
 * Parses the footer of a parquet file of `size` bytes: its metadata and the first row of each row
 * group. Throws a plain Error saying what is wrong; callers add the file name and what to do.
 */
export async function parseFooter(source: ByteSource, size: number): Promise<ParquetFile> {
  if (size < 12) throw new Error(`only ${size} bytes`);
  const buffer = toAsyncBuffer(source, size);
  const metadata = await parquetMetadataAsync(buffer, {
    parsers: PARSERS,
    initialFetchSize: FOOTER_GUESS_BYTES,
  });
  const rowGroupStarts = [0];
  for (const [g, rg] of metadata.row_groups.entries()) {
    const rows = Number(rg.num_rows);
    if (!Number.isSafeInteger(rows) || rows < 0) {
      throw new Error(`row group ${g} has an invalid row count ${String(rg.num_rows)}`);
    }
    rowGroupStarts.push(rowGroupStarts.at(-1)! + rows);
  }
  return { source, buffer, metadata, rowGroupStarts };
}

/** The top-level column names of a parquet file. */
export function parquetColumnNames(file: ParquetFile): string[] {
  const names: string[] = [];
  const schema = file.metadata.schema;
  // Walk the flat schema list, keeping only the root's direct children.
  let i = 1;
  while (i < schema.length) {
    names.push(schema[i].name);
    i = skipSubtree(schema, i);
  }
  return names;
}

function skipSubtree(schema: FileMetaData['schema'], i: number): number {
  let pending = schema[i].num_children ?? 0;
  i++;
  while (pending > 0) {
    pending--;
    i = skipSubtree(schema, i);
  }
  return i;
}

/** An empty Arrow table with these fields. */
export function emptyTable(fields: Field[]): Table {
  const schema = new Schema(fields);
  const children = fields.map((f) => makeData({ type: f.type, length: 0 } as never));
  const batch = new RecordBatch(schema, structData(fields, 0, children));
  return new Table(schema, [batch]);
}

/**
 * Reads one row group as an Arrow table with exactly `fields` (a projection of the catalog
 * schema, in that order). Only those columns' bytes are read. With `select` (row numbers within
 * the row group, ascending, each once) the table has only those rows, in that order: flat columns
 * then decode just those values, and skip pages holding none of them.
 */
export async function readRowGroup(
  file: ParquetFile,
  rowGroup: number,
  allFields: Field[],
  select?: Uint32Array,
): Promise<Table> {
  let fields = allFields;
  const rowStart = file.rowGroupStarts[rowGroup];
  const rowEnd = file.rowGroupStarts[rowGroup + 1];
  const rows = rowEnd - rowStart;
  if (select && select.length > 0 && select[select.length - 1] >= rows) {
    throw new Error(`row ${select[select.length - 1]} asked of a row group of ${rows} rows`);
  }
  const length = select ? select.length : rows;
  // a struct or list holding a DECIMAL of more than 15 digits would be read as rounded doubles
  const wideNested = nestedDecimalColumns(
    file.metadata,
    fields.map((f) => f.name),
  );
  if (wideNested.length > 0) throw nestedDecimalError(file.source.name, wideNested[0]);
  if (fields.length === 0 || length === 0) {
    return length === 0 ? emptyTable(fields) : rowCountOnlyTable(fields, length);
  }
  let fast: Map<string, Data>;
  let prefetched: Awaited<ReturnType<typeof prefetchColumns>>;
  try {
    prefetched = await prefetchColumns(
      file,
      rowGroup,
      fields.map((f) => f.name),
    );
    fast = await readFlatColumns(file, rowGroup, fields, rows, prefetched.bytes, select);
  } catch (err) {
    throw undecodable(file, rowGroup, err);
  }
  fields = fields.filter((f) => !fast.has(f.name));
  const names = fields.map((f) => f.name);
  const pieces = new Map<string, { start: number; data: DecodedArray }[]>(
    names.map((n) => [n, []]),
  );
  // Flat columns get strings as raw UTF-8 bytes (copied straight into Arrow, no decode and
  // re-encode); nested columns go through vectorFromArray, which wants JS strings.
  const nested = fields.filter((f) => DataType.isList(f.type) || DataType.isStruct(f.type));
  const flat = fields.filter((f) => !nested.includes(f));
  const onChunk = (chunk: { columnName: string; rowStart: number; columnData: DecodedArray }) =>
    pieces.get(chunk.columnName)?.push({ start: chunk.rowStart, data: chunk.columnData });
  // whole-number and wide DECIMALs: hyparquet hands over their stored values, not doubles
  const decimals = exactDecimalColumns(file.metadata, names);
  const metadata =
    decimals.size > 0 ? withoutDecimalAnnotation(file.metadata, decimals) : file.metadata;
  try {
    for (const [group, parsers] of [
      [flat, BYTES_PARSERS],
      [nested, PARSERS],
    ] as const) {
      if (group.length === 0) continue;
      await parquetRead({
        file: prefetched,
        metadata,
        columns: group.map((f) => f.name),
        rowStart,
        rowEnd,
        compressors,
        parsers,
        onChunk,
      });
    }
  } catch (err) {
    throw undecodable(file, rowGroup, err);
  }
  const schema = new Schema(allFields);
  const children = allFields.map((f) => {
    const decoded = fast.get(f.name);
    if (decoded) return decoded;
    const parts = pieces.get(f.name)!.sort((a, b) => a.start - b.start);
    const skip = rowStart - (parts[0]?.start ?? rowStart);
    const available = parts.reduce((n, p) => n + p.data.length, 0) - skip;
    if (available < rows) {
      throw new HatsError(
        `${file.source.name}: column ${f.name} has ${Math.max(0, available)} values in row group ${rowGroup}, expected ${rows}. ` +
          'The file is corrupt: re-download or regenerate it.',
      );
    }
    const data = piecesToArrowData(
      parts.map((p) =>
        decimals.has(f.name)
          ? exactDecimalValues(p.data, DataType.isUtf8(f.type), decimals.get(f.name))
          : p.data,
      ),
      skip,
      rows,
      f.type,
    );
    return select ? takeRows(makeVector(data), select).data[0] : data;
  });
  const batch = new RecordBatch(schema, structData(allFields, length, children));
  return new Table(schema, [batch]);
}

/**
 * The column chunks of `names` in one row group, read with one request per run of adjacent
 * chunks (all of them, usually: a partition's columns follow each other), served to both the
 * fast path and hyparquet as an AsyncBuffer; ranges outside them go to the file itself. From a
 * source with cheap reads each chunk is read when asked for instead: one partition's columns
 * read at once held 35 MB at a time where one chunk is a few MB.
 */
async function prefetchColumns(
  file: ParquetFile,
  rowGroup: number,
  names: string[],
): Promise<AsyncBuffer & { bytes(start: number, end: number): Promise<Uint8Array> }> {
  if (file.source.cheapReads) {
    return {
      byteLength: file.buffer.byteLength,
      bytes: (start, end) => file.source.read(start, end),
      slice: (start, end) => file.buffer.slice(start, end),
    };
  }
  const wanted = new Set(names);
  const ranges = file.metadata.row_groups[rowGroup].columns
    .map((c) => c.meta_data)
    .filter((m) => m !== undefined && wanted.has(m.path_in_schema[0]))
    .map((m) => {
      const start = Number(m!.dictionary_page_offset ?? m!.data_page_offset);
      return [start, start + Number(m!.total_compressed_size)] as const;
    })
    .filter(([start, end]) => start >= 0 && end <= file.buffer.byteLength && start < end)
    .sort((x, y) => x[0] - y[0]);
  const spans: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = spans.at(-1);
    if (last && start - last[1] <= ADJACENT_GAP_BYTES) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  const fetched = await Promise.all(
    spans.map(async ([start, end]) => ({
      start,
      end,
      data: new Uint8Array(await file.buffer.slice(start, end)),
    })),
  );
  const bytes = async (start: number, end: number): Promise<Uint8Array> => {
    const span = fetched.find((f) => f.start <= start && end <= f.end);
    if (span) return span.data.subarray(start - span.start, end - span.start);
    return new Uint8Array(await file.buffer.slice(start, end));
  };
  return {
    byteLength: file.buffer.byteLength,
    bytes,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const view = await bytes(start, end ?? file.buffer.byteLength);
      return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
    },
  };
}

/**
 * The columns of `fields` that compute/hats/flat-column.ts decodes; the others (and any the fast
 * path gives up on) are left out.
 */
async function readFlatColumns(
  file: ParquetFile,
  rowGroup: number,
  fields: Field[],
  rows: number,
  bytes: (start: number, end: number) => Promise<Uint8Array>,
  select?: Uint32Array,
): Promise<Map<string, Data>> {
  const decoded = new Map<string, Data>();
  for (const field of fields) {
    const plan = planFlatColumn(file.metadata, rowGroup, field);
    if (!plan) continue;
    // null: the fast path does not decode this column (hyparquet does)
    const decode = (chunk: Uint8Array): Data | null => {
      try {
        return decodeFlatColumn(plan, chunk, rows, select);
      } catch (err) {
        if (err instanceof FlatColumnUnsupported) return null;
        throw new Error(`column ${plan.field.name}: ${(err as Error).message}`, { cause: err });
      }
    };
    // the decoded column copies what it keeps, so a synchronous source may reuse its buffer
    const read = file.source.withBytesSync;
    const data = read
      ? read(plan.start, plan.end, decode)
      : decode(await bytes(plan.start, plan.end));
    if (data) decoded.set(plan.field.name, data);
  }
  return decoded;
}

function undecodable(file: ParquetFile, rowGroup: number, err: unknown): Error {
  // errors of the byte source itself (missing file, HTTP, cancelled) keep their own message
  if (err instanceof UserError || err instanceof CancelledError) return err;
  return new HatsError(
    `${file.source.name}: row group ${rowGroup} cannot be decoded (${(err as Error).message}). ` +
      'The file may be truncated or corrupt: re-download or regenerate it.',
  );
}

/** Column chunks closer than this are fetched in one read (as hyparquet merges its reads). */
const ADJACENT_GAP_BYTES = 64 * 1024;

function rowCountOnlyTable(fields: Field[], length: number): Table {
  const schema = new Schema(fields);
  return new Table(schema, [new RecordBatch(schema, structData(fields, length, []))]);
}

function structData(fields: Field[], length: number, children: Data[]): Data<Struct> {
  return makeData({ type: new Struct(fields), length, nullCount: 0, children });
}
