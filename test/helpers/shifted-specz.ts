import { writeFile } from 'node:fs/promises';
import { Table, vectorFromArray } from 'apache-arrow';
import { readParquetFile, tableToParquetBytes } from '../../compute/io/parquet-file';

/**
 * Writes a copy of the Parquet spec-z file `source` with every Dec moved `shiftArcsec` north
 * (other columns as they are): catalogs generated at the original positions then match nothing
 * within a smaller radius, for the "no cross match" tests.
 */
export async function writeShiftedSpecz(
  source: string,
  dest: string,
  shiftArcsec: number,
): Promise<void> {
  const t = await readParquetFile(source);
  const dec = Float64Array.from(
    t.getChild('dec')!.toArray() as Float64Array,
    (d) => d + shiftArcsec / 3600,
  );
  const columns = Object.fromEntries(t.schema.fields.map((f) => [f.name, t.getChild(f.name)!]));
  await writeFile(dest, tableToParquetBytes(new Table({ ...columns, dec: vectorFromArray(dec) })));
}
