import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { crossmatch, planCrossmatchRun } from '../crossmatch/crossmatch';
import { emptyOutputTable } from '../crossmatch/output';
import { inMemoryCatalog } from '../crossmatch/in-memory';
import type { BorderRows, JoinHow } from '../crossmatch/options';
import { findRaDec, isPlainTableFile, readUserTable } from '../crossmatch/user-file';
import { UserError } from '../errors';
import { openObjectCatalog } from '../hats/open';
import type { PixelCatalog } from '../hats/types';
import { createTableWriter } from '../io/create-table-writer';
import type { Command } from './command';
import { workersOption } from './run';
import { intOption, joinNegativeValues, numberOption } from './args';
import { makeFolder } from '../io/make-folder';

const USAGE = `Usage: tsm xmatch <left> <right> --radius-arcsec R --out <file.csv|file.parquet> [options]

Crossmatches two catalogs like LSDB's Catalog.crossmatch (KD-tree, k nearest within a radius):
for each left row, up to K nearest right rows closer than R arcsec.

  <left>    a HATS catalog or collection folder/URL, or a CSV/Parquet file with ra/dec columns
  <right>   a HATS catalog or collection folder/URL (its default margin is used, if any)

Options:
  --radius-arcsec R        match radius in arcsec (required, > 0)
  --n-neighbors K          nearest right rows per left row (default 1)
  --min-radius-arcsec M    skip right rows at or closer than M arcsec (default 0)
  --how inner|left         inner: matched rows only; left: also unmatched left rows (default inner)
  --margin <dir>|none      right margin catalog, a margin name of the collection, or none
  --border-rows auto|off   auto: read neighbouring right partitions when the margin is missing or
                           thinner than R, so no pair is missed; off: exactly LSDB (default auto)
  --workers N              worker threads (default: cores - 1, at least 1; 0 = in this thread)
  --out FILE               output .csv or .parquet, written to FILE.partial then renamed

Output columns: _healpix_29 (of the left row), every left column with suffix _left, every right
column with suffix _right, and _dist_arcsec.`;

const FORMATS: Record<string, 'csv' | 'parquet'> = { '.csv': 'csv', '.parquet': 'parquet' };

function choice<T extends string>(
  value: string | undefined,
  name: string,
  allowed: T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new UserError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  }
  return value as T;
}

async function openLeft(location: string, warn: (note: string) => void): Promise<PixelCatalog> {
  if (!/^https?:\/\//i.test(location) && !existsSync(location)) {
    throw new UserError(
      `${location}: no such file or folder; give a HATS catalog or a CSV/Parquet file`,
    );
  }
  if (await isPlainTableFile(location)) {
    const table = await readUserTable(location, warn);
    const { ra, dec } = findRaDec(table.schema, location);
    const name = basename(location, extname(location));
    return inMemoryCatalog(table, { name, raColumn: ra, decColumn: dec, location });
  }
  return (await openObjectCatalog(location, { margin: 'none' })).catalog;
}

const FLAG_NAMES: [RegExp, string][] = [
  [/\bminRadiusArcsec\b/g, '--min-radius-arcsec'],
  [/\bradiusArcsec\b/g, '--radius-arcsec'],
  [/\bnNeighbors\b/g, '--n-neighbors'],
  [/\bborderRows\b/g, '--border-rows'],
];

/** Runs `f`; a UserError from the crossmatch API is re-worded with the CLI's flag names. */
function withFlagNames<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    let message = err.message;
    for (const [re, flag] of FLAG_NAMES) message = message.replace(re, flag);
    throw new UserError(message, { cause: err });
  }
}

/**
 * What xmatch says of rows whose ra or dec is NaN or infinite (a HATS catalog's; a file's are
 * refused when read): they have no position, so they never match, as tsm run warns.
 */
function noPositionWarnings(
  left: PixelCatalog,
  right: PixelCatalog,
  leftLocation: string,
  rightLocation: string,
  how: JoinHow,
  counts: { left: number; right: number },
): string[] {
  const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  const has = (n: number) => (n === 1 ? 'has' : 'have');
  const out: string[] = [];
  if (counts.left > 0) {
    const n = counts.left;
    out.push(
      `${rows(n)} of the left catalog ${leftLocation} ${has(n)} no position (${left.raColumn} or ${left.decColumn} NaN or infinite), so ${n === 1 ? 'it matches' : 'they match'} nothing: ${how === 'left' ? `--how left writes ${n === 1 ? 'it' : 'them'} without a right row` : `${n === 1 ? 'it is' : 'they are'} not in the output (--how inner)`}. Fix or remove those rows.`,
    );
  }
  if (counts.right > 0) {
    const n = counts.right;
    out.push(
      `${rows(n)} of the right catalog ${rightLocation} (in the partitions the crossmatch read) ${has(n)} no position (${right.raColumn} or ${right.decColumn} NaN or infinite), so ${n === 1 ? 'it is' : 'they are'} never matched. Fix those rows in the catalog if they should be matched.`,
    );
  }
  return out;
}

export const xmatchCommand: Command = {
  name: 'xmatch',
  summary: 'crossmatch two catalogs (LSDB-exact KD-tree, k nearest within a radius)',
  usage: USAGE,
  async run(argv, io) {
    let parsed;
    const optionSpec = {
      'radius-arcsec': { type: 'string' },
      'n-neighbors': { type: 'string' },
      'min-radius-arcsec': { type: 'string' },
      how: { type: 'string' },
      margin: { type: 'string' },
      'border-rows': { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
    } as const;
    try {
      parsed = parseArgs({
        args: joinNegativeValues(argv, optionSpec),
        allowPositionals: true,
        strict: true,
        options: optionSpec,
      });
    } catch (err) {
      throw new UserError(`${(err as Error).message}. See 'tsm xmatch --help'.`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 2) {
      throw new UserError(
        `give a left and a right catalog (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}). See 'tsm xmatch --help'.`,
      );
    }
    const radiusArcsec = numberOption('xmatch', values['radius-arcsec'], 'radius-arcsec');
    const nNeighbors = intOption('xmatch', values['n-neighbors'], 'n-neighbors', 1, 1);
    const minRadiusArcsec = numberOption(
      'xmatch',
      values['min-radius-arcsec'],
      'min-radius-arcsec',
      0,
    );
    const how = choice<JoinHow>(values.how, 'how', ['inner', 'left'], 'inner');
    const borderRows = choice<BorderRows>(
      values['border-rows'],
      'border-rows',
      ['auto', 'off'],
      'auto',
    );
    const workers = values.workers === undefined ? undefined : workersOption(values.workers);
    const out = values.out;
    if (!out)
      throw new UserError(`--out is required (a .csv or .parquet file). See 'tsm xmatch --help'.`);
    const format = FORMATS[extname(out).toLowerCase()];
    if (!format) throw new UserError(`--out ${out}: the file name must end in .csv or .parquet`);

    const [leftLocation, rightLocation] = positionals;
    const left = await openLeft(leftLocation, (note) => io.err(`Warning: ${note}`));
    const { catalog: right, margin } = await openObjectCatalog(rightLocation, {
      margin: values.margin,
    });
    const started = Date.now();
    let noPosition = { left: 0, right: 0 };
    const options = {
      radiusArcsec,
      nNeighbors,
      minRadiusArcsec,
      how,
      rightMargin: margin ?? null,
      suffixes: ['_left', '_right'] as [string, string],
      suffixMethod: 'all_columns' as const,
      borderRows,
      workers,
      signal: io.signal,
      onNoPosition: (rows: typeof noPosition) => (noPosition = rows),
    };
    const tables = withFlagNames(() => crossmatch(left, right, options));
    await makeFolder(dirname(resolve(out))); // as tsm run makes its output folder
    const writer = createTableWriter(format, out, { signal: io.signal });
    let rows = 0;
    let pixels = 0;
    try {
      for await (const table of tables) {
        await writer.write(table);
        rows += table.numRows;
        pixels++;
      }
      if (pixels === 0) {
        // the catalogs' coverage maps share no sky: an empty output with every column, as when
        // pixels overlap but no pair is within the radius
        const { columns } = planCrossmatchRun(left, right, options);
        await writer.write(emptyOutputTable(left.schema, right.schema, columns));
      }
      await writer.close();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    io.out(
      `${rows} row${rows === 1 ? '' : 's'} from ${pixels} pixel${pixels === 1 ? '' : 's'} written to ${out} in ${seconds} s`,
    );
    for (const warning of noPositionWarnings(
      left,
      right,
      leftLocation,
      rightLocation,
      how,
      noPosition,
    ))
      io.err(`Warning: ${warning}`);
    if (rows === 0) {
      io.err(
        `No cross matches were found: no row of ${leftLocation} has a row of ${rightLocation} within ${radiusArcsec} arcsec. Check that the catalogs overlap on the sky, or use a larger radius.`,
      );
    }
    return 0;
  },
};
