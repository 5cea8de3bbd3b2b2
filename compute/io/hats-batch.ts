import { Table, makeVector, type Vector } from 'apache-arrow';
import { columnFloat64, withSchemaOf } from './arrow-columns';
import { ang2pixNestBatch } from '../healpix/ang2pix';

/** Name and order of the HATS spatial index column (hats-lsdb.md §1.5). */
export const HEALPIX_COLUMN = '_healpix_29';

/**
 * The batch with `_healpix_29` (NESTED order 29 of ra/dec in degrees) as its first column:
 * computed when absent, moved to the front when present. Refuses NaN or out-of-range coordinates
 * (lsdb `from_dataframe` does too) naming the column and the row.
 */
export function withHealpixFirst(
  table: Table,
  raColumn: string,
  decColumn: string,
  rowOffset = 0,
): Table {
  let healpix = table.getChild(HEALPIX_COLUMN) as Vector | null;
  if (!healpix) {
    const ra = columnFloat64(table, raColumn);
    const dec = columnFloat64(table, decColumn);
    for (let i = 0; i < ra.length; i++) {
      if (!Number.isFinite(ra[i]) || !Number.isFinite(dec[i]) || Math.abs(dec[i]) > 90) {
        throw new Error(
          `row ${rowOffset + i + 1}: ${raColumn}=${ra[i]}, ${decColumn}=${dec[i]} is not a sky position in degrees; drop or fix that row`,
        );
      }
    }
    healpix = makeVector(ang2pixNestBatch(29, ra, dec));
  }
  const columns: Record<string, Vector> = { [HEALPIX_COLUMN]: healpix };
  for (const field of table.schema.fields) {
    if (field.name !== HEALPIX_COLUMN) columns[field.name] = table.getChild(field.name)!;
  }
  return withSchemaOf(new Table(columns), table.schema);
}

/** The `_healpix_29` column of a prepared batch as a BigInt64Array. */
export function healpixValues(table: Table): BigInt64Array {
  const values = table.getChild(HEALPIX_COLUMN)!.toArray();
  if (values instanceof BigInt64Array) return values;
  if (values instanceof BigUint64Array)
    return new BigInt64Array(values.buffer, values.byteOffset, values.length);
  throw new Error(`${HEALPIX_COLUMN} must be a 64-bit integer column`);
}
