import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Table, type Schema } from 'apache-arrow';
import { UserError, errorMessage } from '../errors';
import { integersAsText } from '../io/arrow-columns';
import { readDelimited } from '../io/delimited-reader';
import { readParquetFile } from '../io/parquet-file';
import {
  TextAfterNumbers,
  checkTextAfterNumbers,
  textAfterNumbersNote,
  textAtLine,
} from '../io/specz-source';

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
export async function readUserTable(
  path: string,
  /** Told of each column read as text for text after numbers in a later batch. */
  onNote: (note: string) => void = () => undefined,
): Promise<Table> {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.parquet' || ext === '.parq' || ext === '.pq') return await readParquetFile(path);
    // a column with numbers in its first rows and text later ('J1234+5678' after integer ids)
    // is read as text, as tsm register and tsm run read a spec-z file (its later values were
    // nulls without a word): from that batch on when its integers before read back as written
    // (the file is read once), else by reading the file again with it as text
    const found: TextAfterNumbers[] = [];
    for (;;) {
      try {
        const values = new Map<TextAfterNumbers, string>();
        const table = await readDelimitedTable(path, found, values);
        for (const e of found) onNote(textAfterNumbersNote(path, e, values.get(e)));
        return table;
      } catch (err) {
        if (!(err instanceof TextAfterNumbers) || found.some((e) => e.column === err.column))
          throw err;
        found.push(err);
      }
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `${path}: cannot read the file (${errorMessage(err)}); give a CSV or Parquet file`,
    );
  }
}

/**
 * A delimited file as one table, the `asText` columns as text. A column of integers but ra and
 * dec whose later batch holds text is text from there on, the integers read before as their text
 * (readDelimited's `textAfterIntegers`; it joins `asText`), so the file is read once; other text
 * after numbers (a '007' or a 1.5 before it) throws TextAfterNumbers for `readUserTable` to read
 * the file again with that column as text. `values` gets each `asText` line's text.
 */
async function readDelimitedTable(
  path: string,
  asText: TextAfterNumbers[],
  values: Map<TextAfterNumbers, string>,
): Promise<Table> {
  let parts: Table[] = [];
  const textColumns = asText.map((e) => e.column);
  const isPosition = (name: string) => /^(ra|dec)$/i.test(name);
  const textAfterIntegers = (name: string) => !isPosition(name);
  const textFrom: string[] = [];
  // readDelimited types the columns (from the first batch) since io commit ee023eb.
  for await (const batch of readDelimited(path, { textColumns, textAfterIntegers })) {
    if (batch.rejected.length > 0) {
      const r = batch.rejected[0];
      throw new UserError(`${path}: line ${r.line}: ${r.reason}; fix the file and try again`);
    }
    const names = batch.table.schema.fields.map((f) => f.name);
    checkTextAfterNumbers(
      batch,
      names.filter((n) => !isPosition(n)),
      null,
    );
    for (const [column, line] of Object.entries(batch.textFrom ?? {})) {
      asText.push(new TextAfterNumbers(column, line, false));
      textFrom.push(column);
    }
    for (const e of asText) {
      const value = textAtLine(batch, e.column, e.line);
      if (value !== undefined) values.set(e, value);
    }
    parts.push(batch.table);
  }
  if (parts.length === 0) throw new UserError(`${path}: the file has no rows`);
  if (textFrom.length > 0) parts = parts.map((t) => integersAsText(t, textFrom));
  return parts.length === 1 ? parts[0] : parts[0].concat(...parts.slice(1));
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
