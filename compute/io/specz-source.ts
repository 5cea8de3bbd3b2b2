import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Table } from 'apache-arrow';
import { UserError } from '../errors';
import { openHats, openStore } from '../hats';
import type { HttpOptionsInput } from '../hats/http-options';
import { readDelimited, type SourceBatch } from './delimited-reader';
import { sniffDelimited, type DelimitedLayout } from './delimited-sniff';
import { describeFitsTable, readFitsTable, type FitsTableInfo } from './fits-reader';
import { readHdf5Table } from './hdf5-reader';
import { readParquetFields, streamParquetFile } from './parquet-reader';

export const SPECZ_FORMATS = ['csv', 'parquet', 'fits', 'hdf5', 'hats'] as const;
export type SpeczFormat = (typeof SPECZ_FORMATS)[number];

export interface SpeczSourceOptions {
  /** Force a format instead of guessing from the extension / first bytes. */
  format?: SpeczFormat;
  /** Delimited text: the delimiter (',', '\t', ';', '|', 'whitespace'); default sniffed. */
  delimiter?: string;
  /** FITS: EXTNAME of the table HDU; HDF5: path of the table dataset. */
  table?: string;
  batchRows?: number;
  /** Stops the reading; for an http(s) catalog also its requests and retries. */
  signal?: AbortSignal;
  /** An http(s) catalog's settings (disk cache size, ...); default: the process's defaults. */
  remote?: HttpOptionsInput;
  /** Delimited text: columns kept as text whatever their first rows look like (ids, see IdsAreText). */
  textColumns?: string[];
  /** Delimited text: integer columns that may turn text in a later batch (readDelimited's). */
  textAfterIntegers?: (column: string) => boolean;
}

/** A user's spec-z file opened for streaming. */
export interface SpeczSource {
  path: string;
  format: SpeczFormat;
  columns: string[];
  /** Units declared by the file (FITS TUNIT), by column. */
  units: Record<string, string>;
  /** 'line' for text files (line numbers), 'row' otherwise. */
  rowLabel: 'line' | 'row';
  /** True when every column arrives as text and must be typed (no reader does that now). */
  textColumns: boolean;
  /** What the user should know about how the file was read (e.g. its text encoding). */
  notes?: string[];
  /** Said when ra, dec or z is not found among `columns`: where else they may be. */
  missingHint?: string;
  batches(): AsyncGenerator<SourceBatch>;
}

/** Columns of HATS leaves that are layout, not data (recomputed on registration). */
const HATS_LAYOUT_COLUMNS = new Set(['_healpix_29', 'Norder', 'Dir', 'Npix', '_hipscat_index']);

/**
 * Tables as batches with their row numbers; `fraction(rows)` tells the part of the source read
 * once `rows` rows are (undefined: not known).
 */
async function* numbered(
  tables: AsyncIterable<Table>,
  skip: Set<string> = new Set(),
  fraction: (rows: number) => number | undefined = () => undefined,
): AsyncGenerator<SourceBatch> {
  let row = 0;
  for await (const t of tables) {
    const lines = new Int32Array(t.numRows);
    for (let i = 0; i < lines.length; i++) lines[i] = ++row;
    const keep = t.schema.fields.map((f) => f.name).filter((n) => !skip.has(n));
    const part = fraction(row);
    yield {
      table: keep.length === t.schema.fields.length ? t : t.select(keep),
      lines,
      rejected: [],
      ...(part !== undefined ? { fraction: part } : {}),
    };
  }
}

/**
 * Batches of a reader that is told its table's rows before the first batch (`onTotalRows`), each
 * with the part of the table read.
 */
function numberedRows(
  read: (onTotalRows: (rows: number) => void) => AsyncIterable<Table>,
): AsyncGenerator<SourceBatch> {
  let total: number | undefined;
  const tables = read((rows) => (total = rows));
  return numbered(tables, undefined, (rows) =>
    total !== undefined && total > 0 ? Math.min(1, rows / total) : undefined,
  );
}

/** An http(s) address: a remote HATS catalog. */
function isUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

async function guessFormat(path: string): Promise<SpeczFormat> {
  if (isUrl(path)) return 'hats';
  const info = await stat(path).catch(() => {
    throw new UserError(`${path}: no such file or folder`);
  });
  if (info.isDirectory()) return 'hats';
  const ext = extname(path).toLowerCase();
  if (['.zip', '.gz', '.tar', '.bz2', '.xz', '.tgz'].includes(ext)) {
    throw new UserError(`${path}: compressed archives are not read; extract the catalog first`);
  }
  if (['.parquet', '.pq', '.parq'].includes(ext)) return 'parquet';
  if (['.fits', '.fit', '.fts'].includes(ext)) return 'fits';
  if (['.h5', '.hdf5', '.hdf', '.hf5', '.he5'].includes(ext)) return 'hdf5';
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(9);
    await handle.read(head, 0, 9, 0);
    if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
    if (head.toString('latin1') === 'SIMPLE  =') return 'fits';
    if (head.subarray(1, 4).toString('latin1') === 'HDF') return 'hdf5';
  } finally {
    await handle.close();
  }
  return 'csv';
}

async function firstColumns(batches: AsyncGenerator<SourceBatch>): Promise<string[]> {
  const first = await batches.next();
  await batches.return(undefined);
  return first.done ? [] : first.value.table.schema.fields.map((f) => f.name);
}

/**
 * Opens a spec-z catalog: delimited text, Parquet, FITS (first binary table or the named one),
 * HDF5 (the only table or the named dataset) or a HATS catalog/collection (its main catalog).
 */
export async function openSpeczSource(
  path: string,
  options: SpeczSourceOptions = {},
): Promise<SpeczSource> {
  const format = options.format ?? (await guessFormat(path));
  if (isUrl(path) && format !== 'hats') {
    throw new UserError(
      `${path}: only HATS catalogs are read over http(s) (got --format ${format}); download the file and give its path`,
    );
  }
  const batchRows = options.batchRows ?? 65_536;
  const base = {
    path,
    format,
    units: {} as Record<string, string>,
    rowLabel: 'row' as const,
    textColumns: false,
  };
  switch (format) {
    case 'csv': {
      const layout = await sniffDelimited(path, options.delimiter);
      return {
        ...base,
        rowLabel: 'line',
        columns: layout.columns,
        batches: () =>
          readDelimited(path, {
            layout,
            batchRows,
            shortLastRow: 'reject',
            textColumns: options.textColumns,
            textAfterIntegers: options.textAfterIntegers,
          }),
        notes: delimitedNotes(path, layout),
        ...(layout.columns.length === 1
          ? { missingHint: 'only one column was read: is the delimiter right?' }
          : {}),
      };
    }
    case 'parquet': {
      const batches = () =>
        numberedRows((onTotalRows) => streamParquetFile(path, { batchRows, onTotalRows }));
      const columns = (await readParquetFields(path)).map((f) => f.name);
      return { ...base, columns, batches };
    }
    case 'fits': {
      const info = await describeFitsTable(path, options.table);
      const batches = () =>
        numberedRows((onTotalRows) =>
          readFitsTable(path, { hduName: options.table, batchRows, onTotalRows }),
        );
      return {
        ...base,
        units: info.units,
        // from the header, so a table without rows still has them
        columns: info.columns,
        batches,
        notes: fitsNotes(path, info),
        missingHint: fitsTablesHint(info),
      };
    }
    case 'hdf5': {
      const batches = () =>
        numberedRows((onTotalRows) =>
          readHdf5Table(path, { dataset: options.table, batchRows, onTotalRows }),
        );
      return { ...base, columns: await firstColumns(batches()), batches };
    }
    case 'hats': {
      const { signal, remote } = options;
      const opened = await openHats(
        signal || remote ? openStore(path, { ...remote, ...(signal ? { signal } : {}) }) : path,
      );
      const catalog = opened.kind === 'collection' ? opened.main : opened;
      let partitionsRead = 0;
      async function* partitions(): AsyncGenerator<Table> {
        partitionsRead = 0;
        for (const p of catalog.partitions) {
          const table = await catalog.readPartition(p);
          partitionsRead++;
          yield table;
        }
      }
      const columns = catalog.columnNames.filter((c) => !HATS_LAYOUT_COLUMNS.has(c));
      const total = catalog.partitions.length;
      return {
        ...base,
        columns,
        batches: () =>
          numbered(partitions(), HATS_LAYOUT_COLUMNS, () =>
            total > 0 ? partitionsRead / total : undefined,
          ),
      };
    }
    default:
      throw new UserError(
        `unknown spec-z format '${String(format)}'; use one of ${SPECZ_FORMATS.join(', ')}`,
      );
  }
}

/** What a delimited file's reading changed: its encoding, header names given twice. */
export function delimitedNotes(path: string, layout: DelimitedLayout): string[] | undefined {
  const notes = layout.renamed.map(
    (r) =>
      `${path}: columns ${r.first} and ${r.column} are both named '${r.header}'; column ${r.column} is read as '${r.name}'. Rename one of them in the file if column ${r.column} is the one to use.`,
  );
  if (layout.encoding === 'latin1') {
    notes.push(
      `${path} is not UTF-8 text: it was read as Latin-1 (ISO-8859-1). If it uses another encoding, convert it to UTF-8 first.`,
    );
  }
  return notes.length > 0 ? notes : undefined;
}

/** What a FITS file's reading leaves out: its vector columns. */
export function fitsNotes(path: string, info: FitsTableInfo): string[] | undefined {
  if (info.skipped.length === 0) return undefined;
  const n = info.skipped.length;
  return [
    `${path}: ${n > 1 ? `columns ${info.skipped.join(', ')} hold` : `column ${info.skipped[0]} holds`} several values per row (a FITS vector column) and ${n > 1 ? 'are' : 'is'} not read; only one value per row is. Split ${n > 1 ? 'them' : 'it'} into one column per element (e.g. ${info.skipped[0]}_0, ${info.skipped[0]}_1, ...) to keep ${n > 1 ? 'them' : 'it'}.`,
  ];
}

/** Where else a FITS file may hold the columns not found: its other tables, and `advice`. */
export function fitsTablesHint(
  info: FitsTableInfo,
  advice = 'choose one with --table EXTNAME',
): string | undefined {
  if (info.otherTables.length === 0) return undefined;
  return `read the first table, ${info.label}; the file's other tables: ${info.otherTables.join(', ')}; ${advice}`;
}

/**
 * A text file's column was typed from its first rows (numbers) and a later line holds text
 * (a flag 'A' after numbers, 'J1' after ids such as '007'): the file is read again with that
 * column as text throughout (tsm register and tsm run alike), so no value is lost or refused.
 * (Integers that read back as written, then text, need no second reading: SourceBatch.textFrom.)
 * Not for ra, dec, z and z_err, which must be numbers (their rows are rejected).
 */
export class TextAfterNumbers extends Error {
  constructor(
    readonly column: string,
    readonly line: number,
    /** The column is the catalog's id. */
    readonly isId: boolean,
  ) {
    super(`${column}: line ${line} has text where the first lines have numbers`);
  }
}

/**
 * Throws TextAfterNumbers for the first of `columns` with a value its type (from the first rows)
 * could not read in a text batch.
 */
export function checkTextAfterNumbers(
  batch: SourceBatch,
  columns: readonly string[],
  idColumn: string | null | undefined,
): void {
  for (const column of columns) {
    const bad = batch.unparsed?.[column];
    const row = bad ? bad.indexOf(1) : -1;
    if (row >= 0) throw new TextAfterNumbers(column, batch.lines[row], column === idColumn);
  }
}

/** The value of `line` in a column read as text, when the batch holds that line. */
export function textAtLine(batch: SourceBatch, column: string, line: number): string | undefined {
  const row = batch.lines.indexOf(line);
  if (row < 0) return undefined;
  const v = batch.table.getChild(column)?.get(row) as string | null | undefined;
  return v ?? undefined;
}

/** Why a text file is read again (its progress says it): column `e` is read as text. */
export function readAgainReason(e: TextAfterNumbers): string {
  return e.isId
    ? `the ids in column '${e.column}' are mixed integer and text (line ${e.line}): reading the file again with them as text`
    : `column '${e.column}' has text after numbers (line ${e.line}): reading the file again with it as text`;
}

/** What the user is told of a column read as text (TextAfterNumbers) and why. */
export function textAfterNumbersNote(
  path: string,
  e: TextAfterNumbers,
  value: string | undefined,
): string {
  const what = value === undefined ? 'a value that is no number' : `'${value}'`;
  // a whole number beyond int64 after 64-bit integers (a 20-digit id) is no text, but too big
  const beyond =
    value !== undefined && /^[+-]?\d+$/.test(value.trim()) ? ', beyond 64-bit integers' : '';
  return e.isId
    ? `${path}: the ids in column '${e.column}' are read as text (the first lines' ids are numbers, but line ${e.line} has the id ${what}${beyond}); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line ${e.line} and the ids stay integers.`
    : `${path}: column '${e.column}' is read as text (its first lines hold numbers, but line ${e.line} has ${what}${beyond}), so every value keeps its text as written. If that value is a mistake, fix line ${e.line} and the column stays numeric.`;
}

/**
 * `source` opened again with columns as text (`textColumns`) after TextAfterNumbers `found`:
 * its notes say why, with the value of each line once it is read.
 */
export function withTextColumns(source: SpeczSource, found: TextAfterNumbers[]): SpeczSource {
  const notes = [...(source.notes ?? [])];
  const at = notes.length;
  for (const e of found) notes.push(textAfterNumbersNote(source.path, e, undefined));
  const batches = source.batches;
  return {
    ...source,
    notes,
    async *batches() {
      for await (const batch of batches()) {
        found.forEach((e, k) => {
          const value = textAtLine(batch, e.column, e.line);
          if (value !== undefined) notes[at + k] = textAfterNumbersNote(source.path, e, value);
        });
        yield batch;
      }
    },
  };
}
