import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors';
import { openDataFolder } from '../io/data-folder';
import type { AngleUnits } from '../io/specz-angles';
import type { SpeczMapping, SpeczRole } from '../io/specz-columns';
import {
  SpeczRejectedError,
  formatReport,
  truncationNote,
  registerSpeczCatalog,
  validateSpeczCatalog,
} from '../io/specz-register';
import { SPECZ_FORMATS, type SpeczFormat } from '../io/specz-source';
import { createReadProgressPrinter } from '../pipeline/progress-printer';
import type { Command } from './command';
import { joinNegativeValues } from './args';

const ROLE_FLAGS: Record<string, SpeczRole> = {
  ra: 'ra',
  dec: 'dec',
  z: 'z',
  id: 'id',
  'z-err': 'zErr',
  'z-flag': 'zFlag',
  survey: 'survey',
  'instrument-type': 'instrumentType',
};

const USAGE = `Usage: tsm register <file or URL> [options]

Reads a spec-z (redshift) catalog, validates every row and stores it as a small HATS catalog in
the data folder (<data-dir>/catalogs/<name>/), so runs can use it with --specz-id <name> and
the app, using that data folder, lists it on its Catalogs page.
Formats: CSV and other delimited text (delimiter and header detected, # comment lines, quoted
fields), Parquet, FITS (first binary or ASCII table, or --table EXTNAME), HDF5 (astropy, h5py
or pandas tables; --table PATH when there are several), HATS catalogs and collections (a folder,
or an http(s) address: the catalog is copied into the data folder).

Columns (detected from the usual names when not given; NONE = no such column):
  --ra COL  --dec COL  --z COL          required roles
  --id COL  --z-err COL  --z-flag COL  --survey COL  --instrument-type COL
  --angle-units deg|rad|sexagesimal     when ra/dec units cannot be detected

Reading:
  --format csv|parquet|fits|hdf5|hats   default: from the extension / first bytes
  --delimiter D                         ',', ';', '|', tab, whitespace (default: detected)
  --table NAME                          FITS EXTNAME or HDF5 dataset path

Registering:
  --data-dir DIR     data folder (default ~/.tsm-data, as the app)
  --name NAME        catalog name (default: the file name)
  --skip-invalid     register the valid rows even if some rows are rejected
  --check            validate only, write nothing
  --json             print the validation report as JSON
  --progress MODE    bar, lines or none: rows read (and the part of the file) on stderr while
                     the file is read (default: bar on a terminal, else a line per tenth)

Rows are rejected when ra is outside [0, 360), dec outside [-90, 90], z is missing, not numeric
or negative, the id is missing or repeated, or a text line has the wrong number of fields (a
last line cut short means the file looks truncated). The report gives counts and the first line
numbers. A file with rejected rows is not registered
unless --skip-invalid; nothing is ever left half-written. Exit code 0 when registered (or valid
with --check), 2 when refused.`;

export const registerCommand: Command = {
  name: 'register',
  summary: 'validate a spec-z catalog (CSV, Parquet, FITS, HDF5, HATS) and store it as HATS',
  usage: USAGE,
  async run(argv, io) {
    const options: Record<string, { type: 'string' | 'boolean' }> = {
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      format: { type: 'string' },
      delimiter: { type: 'string' },
      table: { type: 'string' },
      'angle-units': { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      check: { type: 'boolean' },
      json: { type: 'boolean' },
      progress: { type: 'string' },
    };
    for (const flag of Object.keys(ROLE_FLAGS)) options[flag] = { type: 'string' };
    let parsed;
    try {
      parsed = parseArgs({
        args: joinNegativeValues(argv, options),
        options,
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UserError(`${(err as Error).message}. See 'tsm register --help'.`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) {
      throw new UserError(
        `give exactly one spec-z file (got ${positionals.length}). See 'tsm register --help'.`,
      );
    }
    // a HATS catalog may be given by its http(s) address
    const file = /^https?:\/\//i.test(positionals[0]) ? positionals[0] : resolve(positionals[0]);
    const mapping: SpeczMapping = {};
    for (const [flag, role] of Object.entries(ROLE_FLAGS)) {
      const v = values[flag];
      if (typeof v === 'string') mapping[role] = v === 'NONE' ? null : v;
    }
    const format = values.format as string | undefined;
    if (format !== undefined && !(SPECZ_FORMATS as readonly string[]).includes(format)) {
      throw new UserError(`--format must be one of ${SPECZ_FORMATS.join(', ')} (got '${format}')`);
    }
    const units = values['angle-units'] as string | undefined;
    if (units !== undefined && !['deg', 'rad', 'sexagesimal'].includes(units)) {
      throw new UserError(`--angle-units must be deg, rad or sexagesimal (got '${units}')`);
    }
    const progress = (values.progress as string | undefined) ?? (io.isTTY ? 'bar' : 'lines');
    if (!['bar', 'lines', 'none'].includes(progress)) {
      throw new UserError(`--progress must be bar, lines or none (got '${progress}')`);
    }
    const printer = createReadProgressPrinter(progress as 'bar' | 'lines' | 'none', (text) =>
      process.stderr.write(text),
    );
    const delimiterFlag = values.delimiter as string | undefined;
    const delimiter = delimiterFlag === 'tab' ? '\t' : delimiterFlag;
    const common = {
      mapping,
      format: format as SpeczFormat | undefined,
      delimiter,
      table: values.table as string | undefined,
      angleUnits: units as AngleUnits | undefined,
      signal: io.signal,
      onProgress: printer,
    };
    const print = (report: Parameters<typeof formatReport>[0]) => {
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else for (const line of formatReport(report)) io.out(line);
    };
    if (values.check) {
      const report = await validateSpeczCatalog(file, common).finally(() => printer.end());
      print(report);
      // with --skip-invalid, registering would keep the valid rows: the check passes with them
      const skip = Boolean(values['skip-invalid']);
      if (report.rowsAccepted > 0 && (report.rowsRejected === 0 || skip)) return 0;
      io.err(
        report.rowsRead === 0
          ? `tsm register: ${file} has no data rows: nothing to register`
          : `tsm register: ${truncationNote(report)}${report.rowsRejected} of ${report.rowsRead} rows would be rejected (above); fix them, or register the others with --skip-invalid`,
      );
      return 2;
    }
    const dataDir = resolve(
      (values['data-dir'] as string | undefined) ?? join(homedir(), '.tsm-data'),
    );
    // a missing one is made (said once), one holding other files refused: as the app's web bridge
    const made = await openDataFolder(dataDir, '--data-dir');
    if (made) io.err(`tsm register: ${made}`);
    try {
      const { catalogDir, report } = await registerSpeczCatalog(file, {
        ...common,
        dataDir,
        name: values.name as string | undefined,
        skipInvalidRows: Boolean(values['skip-invalid']),
      }).finally(() => printer.end());
      print(report);
      io.out(`registered: ${catalogDir}`);
      return 0;
    } catch (err) {
      if (err instanceof SpeczRejectedError) {
        print(err.report);
        io.err(`tsm register: ${err.message}`);
        return 2;
      }
      throw err;
    }
  },
};
