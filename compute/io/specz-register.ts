import { catalogFolderName } from '../pipeline/sanitize-name';
import { access } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { UserError, throwIfCancelled } from '../errors';
import { collectGarbage } from '../pipeline/collect-garbage';
import { PARTIAL_SUFFIX } from './atomic';
import { writeHatsCatalog } from './hats-writer';
import { folderError } from './make-folder';
import type { AngleUnits } from './specz-angles';
import { resolveMapping, type SpeczMapping } from './specz-columns';
import { ReadMeter, type ReadProgressOptions } from './read-progress';
import {
  TextAfterNumbers,
  openSpeczSource,
  readAgainReason,
  withTextColumns,
  type SpeczSource,
  type SpeczSourceOptions,
} from './specz-source';
import { SpeczValidator, formatReport, type SpeczValidationReport } from './specz-validate';

export interface RegisterSpeczOptions extends SpeczSourceOptions, ReadProgressOptions {
  /** The app data folder; the catalog goes to `<dataDir>/catalogs/<name>/` (where `tsm run --specz-id <name>` finds it). */
  dataDir: string;
  /** Catalog name (default: the file name without extension), sanitised for file names. */
  name?: string;
  /** Role -> column overrides; the other roles are detected from the usual names. */
  mapping?: SpeczMapping;
  /** Units of ra/dec when the file does not make them clear. */
  angleUnits?: AngleUnits;
  /** Register the valid rows even when some rows are rejected (default: refuse the file). */
  skipInvalidRows?: boolean;
  /** Rows per HATS partition (default 500 000). */
  partitionRows?: number;
}

/** Registration was refused; `report` says why (the CLI prints it). */
export class SpeczRejectedError extends UserError {
  constructor(
    message: string,
    readonly report: SpeczValidationReport,
  ) {
    super(message);
  }
}

/** A catalog name safe as a folder name: letters, digits, '.', '_' and '-'. */
export function sanitizeCatalogName(name: string): string {
  const safe = catalogFolderName(name);
  if (!safe)
    throw new UserError(`'${name}' cannot be a catalog name; use letters, digits, '.', '_' or '-'`);
  // <data folder>/catalogs/index.json is the app's list of catalogs: a catalog folder of that
  // name broke the app's Catalogs page ("EISDIR: illegal operation on a directory, read")
  if (safe.toLowerCase() === 'index.json') {
    throw new UserError(
      `'${name}' cannot be a catalog name: catalogs/index.json in the data folder is the app's list of catalogs; choose another name`,
    );
  }
  // catalogs/index.json.lock is taken while the list changes (main/file-lock.ts): a catalog
  // folder of that name kept every change of the list waiting, then refused
  if (safe.toLowerCase() === 'index.json.lock') {
    throw new UserError(
      `'${name}' cannot be a catalog name: catalogs/index.json.lock in the data folder is the lock of the app's list of catalogs; choose another name`,
    );
  }
  // <name>.partial is where the catalog <name> is written until it is complete (hats-writer):
  // registering 'foo' first removed the folder of a catalog registered as 'foo.partial'
  if (safe.toLowerCase().endsWith(PARTIAL_SUFFIX)) {
    const stem = safe.slice(0, -PARTIAL_SUFFIX.length);
    throw new UserError(
      `'${name}' cannot be a catalog name: a folder ending in '${PARTIAL_SUFFIX}' is one still being written (registering '${stem}' would write there); choose another name`,
    );
  }
  return safe;
}

/** 'the last line (line N) is cut short, so the file looks truncated (re-export it); ' or ''. */
export function truncationNote(report: SpeczValidationReport): string {
  return report.truncatedLine === undefined
    ? ''
    : `the last line (line ${report.truncatedLine}) is cut short, so the file looks truncated (re-export it); `;
}

function refusal(report: SpeczValidationReport): SpeczRejectedError | undefined {
  if (report.rowsAccepted === 0) {
    return new SpeczRejectedError(
      `${report.file}: ${truncationNote(report)}no valid rows; nothing was registered`,
      report,
    );
  }
  return undefined;
}

async function* validated(
  validator: SpeczValidator,
  batches: AsyncGenerator<import('./delimited-reader').SourceBatch>,
  options: { skipInvalidRows?: boolean; signal?: AbortSignal; text: boolean },
  meter: ReadMeter,
): AsyncGenerator<Table> {
  for await (const batch of batches) {
    throwIfCancelled(options.signal);
    const accepted = validator.process(batch);
    meter.add(batch.table.numRows + batch.rejected.length, batch.fraction);
    if (accepted.numRows > 0) yield accepted;
    // a batch of text was ~65k rows of strings, old by now: collected before the next one is
    // read, or V8 let them pile up to ~150 MB of heap in a million-row CSV
    if (options.text) collectGarbage();
  }
  meter.done();
  const report = validator.finish();
  const refused = refusal(report);
  if (refused) throw refused;
  if (report.rowsRejected > 0 && !options.skipInvalidRows) {
    throw new SpeczRejectedError(
      `${report.file}: ${truncationNote(report)}${report.rowsRejected} of ${report.rowsRead} rows are invalid, so the file was not registered; fix them, or register the ${report.rowsAccepted} valid row${report.rowsAccepted === 1 ? '' : 's'} with --skip-invalid`,
      report,
    );
  }
  meter.writing();
}

/** Reads and validates a spec-z file without writing anything. */
export async function validateSpeczCatalog(
  path: string,
  options: Omit<RegisterSpeczOptions, 'dataDir' | 'name' | 'partitionRows'> = {},
): Promise<SpeczValidationReport> {
  return withTextAfterNumbers(path, options, async (source, validating, meter) => {
    const mapping = resolveMapping(source.columns, options.mapping, path, source.missingHint);
    const validator = new SpeczValidator(source, mapping, options.angleUnits);
    validating(validator);
    for await (const batch of source.batches()) {
      throwIfCancelled(options.signal);
      validator.process(batch);
      meter.add(batch.table.numRows + batch.rejected.length, batch.fraction);
    }
    meter.done();
    return validator.report();
  });
}

/**
 * `read(source)`, again with a column as text each time a text file turns out to hold text after
 * numbers in it (TextAfterNumbers): a flag 'A' after 3.0, ids 'J1' after '007'. Ids such as
 * 'J1234+5678' after integers that read back as written (1, 2, ...) are not read again: the
 * column is text from there on (readDelimited's `textAfterIntegers`, `validating` tells which
 * columns may), the integers before become their text.
 */
async function withTextAfterNumbers<T>(
  path: string,
  options: SpeczSourceOptions & ReadProgressOptions,
  read: (
    source: SpeczSource,
    validating: (validator: SpeczValidator) => void,
    meter: ReadMeter,
  ) => Promise<T>,
): Promise<T> {
  const found: TextAfterNumbers[] = [];
  // one meter for every reading: a second one says why and does not start the progress over
  const meter = new ReadMeter(options);
  for (;;) {
    const textColumns = found.map((e) => e.column);
    // integers that read back as written, then text: the integers become text (SpeczValidator,
    // writeHatsCatalog), the file is not read again
    let validator: SpeczValidator | undefined;
    const textAfterIntegers = (column: string) => !!validator?.textable.includes(column);
    const source = await openSpeczSource(path, { ...options, textColumns, textAfterIntegers });
    try {
      const validating = (v: SpeczValidator) => (validator = v);
      return await read(
        found.length > 0 ? withTextColumns(source, found) : source,
        validating,
        meter,
      );
    } catch (err) {
      // a column is read as text once, so this ends within the file's columns
      if (!(err instanceof TextAfterNumbers) || textColumns.includes(err.column)) throw err;
      found.push(err);
      meter.again(readAgainReason(err));
    }
  }
}

/**
 * Registers a user's spec-z catalog (CSV/text, Parquet, FITS, HDF5 or HATS): maps the columns,
 * validates every row, and writes the accepted rows as a small HATS catalog (sorted by
 * `_healpix_29`, partitioned by row count, hats.properties, partition_info.csv,
 * _common_metadata, plus `registration.json` with the report) under
 * `<dataDir>/catalogs/<name>/`. All or nothing: the catalog is written as `.partial` and
 * renamed only when the whole file was read and accepted; on refusal, error or cancel nothing is
 * left behind. Rejected rows refuse the file unless `skipInvalidRows`.
 */
export async function registerSpeczCatalog(
  path: string,
  options: RegisterSpeczOptions,
): Promise<{ catalogDir: string; report: SpeczValidationReport }> {
  const name = sanitizeCatalogName(options.name ?? basename(path, extname(path)));
  const catalogDir = join(options.dataDir, 'catalogs', name);
  if (
    await access(catalogDir).then(
      () => true,
      () => false,
    )
  ) {
    throw new UserError(
      `a spec-z catalog named '${name}' is already registered (${catalogDir}); choose another name`,
    );
  }
  return withTextAfterNumbers(path, options, async (source, validating, meter) => {
    const mapping = resolveMapping(source.columns, options.mapping, path, source.missingHint);
    const validator = new SpeczValidator(source, mapping, options.angleUnits);
    validating(validator);
    // a file that cannot be read to its end throws its own error: no report, as it would not be true
    const text = source.rowLabel === 'line';
    const batches = validated(validator, source.batches(), { ...options, text }, meter);
    try {
      await writeHatsCatalog(catalogDir, batches, {
        name,
        raColumn: 'ra',
        decColumn: 'dec',
        partitionRows: options.partitionRows ?? 500_000,
        integersToText: true,
        properties: { tsm_source_file: path, tsm_source_format: source.format },
        extraFiles: () => ({
          'registration.json': `${JSON.stringify({ registeredAt: new Date().toISOString(), report: validator.report() }, null, 2)}\n`,
        }),
        signal: options.signal,
      });
    } catch (err) {
      // a full disk or a read-only data folder: named, with what to do, not a bare "ENOSPC: ..., write"
      throw folderError(err, options.dataDir, 'data folder') ?? err;
    }
    return { catalogDir, report: validator.report() };
  });
}

export { formatReport };
