/**
 * Reads user Parquet files (spec-z catalogs, results previews) with hyparquet, the pure-JS reader
 * the HATS reader uses: corrupt or truncated bytes can only throw ordinary errors, never abort
 * the process (parquet-wasm panics with "RuntimeError: unreachable" on some corrupt footers,
 * sometimes outside any promise). One row group is decoded at a time (bounded memory) and only
 * the requested columns' bytes are read. Every failure is a UserError naming the file.
 */
import type { Field, Table } from 'apache-arrow';
import { LocalFileSource } from '../hats/byte-source';
import { emptyTable, parseFooter, readRowGroup, type ParquetFile } from '../hats/parquet-file';
import { arrowSchemaFromParquet } from '../hats/parquet-schema';
import { nestedDecimalColumns, nestedDecimalError } from '../hats/decimal-columns';
import { UserError, errorMessage } from '../errors';

/** What to do when a file cannot be read. */
const ADVICE =
  'the file is not valid Parquet (corrupt or truncated?): export it again, or give the catalog as CSV, FITS or HDF5';

/** The reason of an error, without the file name and the advice the HATS reader adds. */
function reasonOf(err: unknown, path: string): string {
  let message = errorMessage(err);
  if (message.startsWith(`${path}: `)) message = message.slice(path.length + 2);
  return message.replace(/\. The file (may be|is) (truncated|corrupt)[^]*$/, '');
}

function cannotRead(path: string, err: unknown): UserError {
  return new UserError(`${path}: cannot read the file (${reasonOf(err, path)}); ${ADVICE}`);
}

/** An opened Parquet file and the Arrow fields to read from it. */
interface OpenedParquet {
  file: ParquetFile;
  fields: Field[];
}

/**
 * Opens `path` and parses its footer and schema; `columns` (default all) must all exist.
 * Columns of types the reader cannot convert (MAP, INTERVAL, BSON) are left out when no
 * column list is given, and refused by name when they are asked for.
 */
/**
 * Columns are found by name: one without a name failed registration with an internal error, and
 * of two of one name only the first was read, in silence (pyarrow writes both).
 */
function checkColumnNames(path: string, fields: Field[]): void {
  const seen = new Map<string, number>();
  fields.forEach((f, i) => {
    if (f.name === '') {
      throw new UserError(
        `${path}: column ${i + 1} has no name; give it one (pandas: df.rename, pyarrow: table.rename_columns) and write the file again`,
      );
    }
    const first = seen.get(f.name);
    if (first !== undefined) {
      throw new UserError(
        `${path}: columns ${first + 1} and ${i + 1} are both named '${f.name}'; rename or drop one of them and write the file again`,
      );
    }
    seen.set(f.name, i);
  });
}

async function openUserParquet(path: string, columns?: string[]): Promise<OpenedParquet> {
  let file: ParquetFile;
  let schema: ReturnType<typeof arrowSchemaFromParquet>;
  try {
    const source = new LocalFileSource(path);
    const size = await source.size().catch((err: unknown) => {
      throw new UserError(`${path}: cannot open the file (${errorMessage(err)}); check the path`);
    });
    file = await parseFooter(source, size);
    schema = arrowSchemaFromParquet(file.metadata);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw cannotRead(path, `invalid Parquet footer: ${errorMessage(err)}`);
  }
  checkColumnNames(path, schema.schema.fields);
  if (!columns) return { file, fields: schema.schema.fields };
  const byName = new Map(schema.schema.fields.map((f) => [f.name, f]));
  const fields: Field[] = [];
  for (const name of columns) {
    const field = byName.get(name);
    if (field) {
      fields.push(field);
      continue;
    }
    const why = schema.unsupported.get(name);
    throw new UserError(
      why
        ? `${path}: column ${name} cannot be read (${why}); leave it out or convert it`
        : `${path}: no column ${name}; it has ${[...byName.keys()].join(', ')}: choose one of these`,
    );
  }
  return { file, fields };
}

/** Row group `rowGroup` (or its rows `select`, ascending, numbered within the group). */
async function readGroup(
  path: string,
  opened: OpenedParquet,
  rowGroup: number,
  select?: Uint32Array,
): Promise<Table> {
  // a struct or list holding a DECIMAL of more than 15 digits: said as it is, not as a bad file
  const nested = nestedDecimalColumns(
    opened.file.metadata,
    opened.fields.map((f) => f.name),
  );
  if (nested.length > 0) throw nestedDecimalError(path, nested[0]);
  try {
    return await readRowGroup(opened.file, rowGroup, opened.fields, select);
  } catch (err) {
    throw cannotRead(path, err);
  }
}

/**
 * The Arrow fields of a Parquet file, read from its footer only (no data is decoded); columns
 * the reader cannot convert (MAP, INTERVAL, BSON) are left out, as the readers below do.
 * @throws UserError naming the file when it is not valid Parquet
 */
export async function readParquetFields(path: string): Promise<Field[]> {
  return (await openUserParquet(path)).fields;
}

/**
 * The rows of a Parquet file, from its footer's row groups (no data is decoded).
 * @throws UserError naming the file when it is not valid Parquet
 */
export async function readParquetRowCount(path: string): Promise<number> {
  const { file } = await openUserParquet(path);
  return file.metadata.row_groups.reduce((sum, rg) => sum + Number(rg.num_rows), 0);
}

/**
 * Reads a Parquet file (optionally some columns) into one Arrow table: Parquet types map to Arrow
 * as in `arrowSchemaFromParquet` (INT64 -> Int64, strings -> Utf8, ...).
 * @throws UserError naming the file when it is not valid Parquet or lacks a column
 */
export async function readParquetFile(path: string, columns?: string[]): Promise<Table> {
  const opened = await openUserParquet(path, columns);
  const groups = opened.file.metadata.row_groups.length;
  const tables: Table[] = [];
  for (let g = 0; g < groups; g++) tables.push(await readGroup(path, opened, g));
  if (tables.length === 0) return emptyTable(opened.fields);
  return tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1));
}

/**
 * Rows [start, end) of a Parquet file, one Arrow table per row group they fall in: the footer's
 * row counts tell which row groups hold them, so no other row group is read (a page near the end
 * of a million-row file reads one row group, not the million rows before it). Yields nothing for
 * rows past the end.
 * @throws UserError naming the file when it is not valid Parquet or lacks a column
 */
export async function* readParquetRows(
  path: string,
  start: number,
  end: number,
  columns?: string[],
): AsyncGenerator<Table> {
  const opened = await openUserParquet(path, columns);
  const starts = opened.file.rowGroupStarts;
  for (let g = 0; g < starts.length - 1; g++) {
    const from = Math.max(start, starts[g]);
    const to = Math.min(end, starts[g + 1]);
    if (from >= to) continue;
    const rows = Uint32Array.from({ length: to - from }, (_, i) => from - starts[g] + i);
    yield await readGroup(path, opened, g, rows);
  }
}

/**
 * Streams a Parquet file as Arrow tables of at most `batchRows` rows, decoding one row group at
 * a time (memory: one row group of the requested columns). Yields nothing for a file without rows.
 * @throws UserError naming the file when it is not valid Parquet or lacks a column
 */
export async function* streamParquetFile(
  path: string,
  options: {
    columns?: string[];
    batchRows?: number;
    /** Told the file's rows (from its footer) before the first batch (progress reports). */
    onTotalRows?: (rows: number) => void;
  } = {},
): AsyncGenerator<Table> {
  const batchRows = Math.max(1, options.batchRows ?? 65_536);
  const opened = await openUserParquet(path, options.columns);
  const groups = opened.file.metadata.row_groups.length;
  options.onTotalRows?.(
    opened.file.metadata.row_groups.reduce((sum, rg) => sum + Number(rg.num_rows), 0),
  );
  for (let g = 0; g < groups; g++) {
    const table = await readGroup(path, opened, g);
    for (let start = 0; start < table.numRows; start += batchRows) {
      yield table.numRows <= batchRows ? table : table.slice(start, start + batchRows);
    }
  }
}
