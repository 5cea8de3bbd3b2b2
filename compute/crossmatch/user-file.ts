import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Table, type Schema } from 'apache-arrow';
import { UserError, errorMessage } from '../errors';
import { readDelimited } from '../io/delimited-reader';
import { readParquetFile } from '../io/parquet-file';

/** True when `path` is a plain table file (CSV/TSV/text or Parquet), not a HATS folder. */
export async function isPlainTableFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads a user's CSV (any delimiter the sniffer knows) or Parquet file into one Arrow table.
 * Text columns get the type inferred from the first batch (int64, float64, bool or string).
 */
export async function readUserTable(path: string): Promise<Table> {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.parquet' || ext === '.parq' || ext === '.pq') return await readParquetFile(path);
    const parts: Table[] = [];
    // readDelimited types the columns (from the first batch) since io commit ee023eb.
    for await (const batch of readDelimited(path)) {
      if (batch.rejected.length > 0) {
        const r = batch.rejected[0];
        throw new UserError(`${path}: line ${r.line}: ${r.reason}; fix the file and try again`);
      }
      parts.push(batch.table);
    }
    if (parts.length === 0) throw new UserError(`${path}: the file has no rows`);
    return parts.length === 1 ? parts[0] : parts[0].concat(...parts.slice(1));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `${path}: cannot read the file (${errorMessage(err)}); give a CSV or Parquet file`,
    );
  }
}

/**
 * The ra and dec columns of a user table: named ra/Ra/RA and dec/Dec/DEC, matched without regard
 * to case (lsdb `crossmatch()` on DataFrames, hats-lsdb.md §3.7).
 */
export function findRaDec(schema: Schema, where: string): { ra: string; dec: string } {
  const names = schema.fields.map((f) => f.name);
  const ra = names.find((n) => n.toLowerCase() === 'ra');
  const dec = names.find((n) => n.toLowerCase() === 'dec');
  if (!ra || !dec) {
    throw new UserError(
      `${where}: no ${ra ? 'dec' : 'ra'} column (looked for ra/dec in any case among: ${names.join(', ')}); rename the position columns to ra and dec`,
    );
  }
  return { ra, dec };
}
