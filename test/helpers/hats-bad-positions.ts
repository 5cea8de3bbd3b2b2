/**
 * HATS catalogs with rows that have no position (NaN or infinite ra/dec), which tsm's own writer
 * refuses and other writers do not: written whole, then those values set in the leaf files.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVector, Table, type Vector } from 'apache-arrow';
import { writeHatsCatalog } from '../../compute/io/hats-writer';
import { readParquetFile, tableToParquetBytes } from '../../compute/io/parquet-file';

/**
 * Writes `table` (with Float64 `ra` and `dec`) as the HATS catalog `<dir>/<name>`, then sets ra or
 * dec of the rows `bad(id)` names (by their Int32 `idColumn`): the column and its value. Returns
 * the catalog's path.
 */
export async function hatsWithBadPositions(
  dir: string,
  name: string,
  table: Table,
  idColumn: string,
  bad: (id: number) => ['ra' | 'dec', number] | null,
  partitionRows?: number,
): Promise<string> {
  const { path } = await writeHatsCatalog(join(dir, name), table, {
    name,
    partitionRows,
    highestOrder: 5,
  });
  const leaves = (await readdir(path, { recursive: true })).filter((f) =>
    /Npix=\d+\.parquet$/.test(f),
  );
  for (const leaf of leaves) {
    const t = await readParquetFile(join(path, leaf));
    const ids = t.getChild(idColumn)!.toArray() as Int32Array;
    const columns: Record<string, Vector> = {};
    for (const f of t.schema.fields) columns[f.name] = t.getChild(f.name)!;
    for (const c of ['ra', 'dec'] as const) {
      const values = Float64Array.from(t.getChild(c)!.toArray() as Float64Array);
      ids.forEach((id, i) => {
        const b = bad(id);
        if (b && b[0] === c) values[i] = b[1];
      });
      columns[c] = makeVector(values);
    }
    await writeFile(join(path, leaf), tableToParquetBytes(new Table(columns)));
  }
  return path;
}
