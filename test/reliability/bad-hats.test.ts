/**
 * Broken HATS catalogs: a copy of LSDB's small_sky_order1 (4 partitions, 131 rows) damaged one
 * way per case. Each case checks the exact HatsError (naming the file and what to do) from the
 * reader and from a whole run (in this thread and in a worker), that the run wrote nothing, and
 * that reading never changed the catalog.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  tableFromArrays,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HatsError, openHats } from '../../compute/hats';
import type { HatsCatalog } from '../../compute/hats/catalog';
import { readParquetFile, tableToParquetBytes } from '../../compute/io/parquet-file';
import { parseProject } from '../../compute/pipeline/project';
import { runTrainingSet } from '../../compute/pipeline/run';
import { LSDB_DATA } from '../fixtures';
import { snapshot, tempDir } from './helpers';

const SOURCE = join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1');
const { dir, cleanup } = tempDir('tsm-rel-hats-');
afterAll(cleanup);
let speczFile: string;

beforeAll(() => {
  // Spec-z rows at every small_sky object (LSDB raw CSV: id, ra, dec, ra_error, dec_error).
  const lines = readFileSync(join(LSDB_DATA, 'raw', 'small_sky', 'small_sky.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  speczFile = join(dir, 'specz.csv');
  writeFileSync(
    speczFile,
    `id,ra,dec,z\n${lines.map((l, i) => `${l.split(',').slice(0, 3).join(',')},${(i % 30) / 10 + 0.05}`).join('\n')}\n`,
  );
});

let n = 0;
/** A fresh copy of the catalog, damaged by `damage`. */
function damaged(damage: (catalog: string) => void): string {
  const catalog = join(dir, `catalog-${++n}`);
  cpSync(SOURCE, catalog, { recursive: true });
  damage(catalog);
  return catalog;
}
const leaf = (catalog: string, npix: number) =>
  join(catalog, 'dataset', 'Norder=1', 'Dir=0', `Npix=${npix}.parquet`);

/** Opens and reads every partition. */
async function readAll(catalog: string): Promise<number> {
  const opened = (await openHats(catalog)) as HatsCatalog;
  let rows = 0;
  for (const p of opened.partitions) rows += (await opened.readPartition(p)).numRows;
  return rows;
}

/** Expects `message` from the reader and from runs with 0 and 1 workers; nothing written. */
async function refused(catalog: string, message: string) {
  const before = snapshot(catalog);
  const err = await readAll(catalog).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HatsError);
  expect((err as Error).message).toBe(message);
  for (const workers of [0, 1]) {
    const out = join(dir, `out-${n}-${workers}`);
    const project = parseProject(
      {
        version: 1,
        name: 'broken',
        specz: { path: speczFile },
        photometry: { location: catalog, dereddening: { map: 'none' } },
        split: { seed: 3 },
        output: { folder: out },
      },
      'broken.tsm.json',
    );
    const runErr = await runTrainingSet(project, { workers }).catch((e: unknown) => e);
    expect((runErr as Error).name).toMatch(/UserError|HatsError/);
    expect((runErr as Error).message).toBe(message);
    let written: string[] = [];
    try {
      written = Object.keys(snapshot(out));
    } catch {
      // the folder was never created
    }
    expect(written).toEqual([]);
  }
  expect(snapshot(catalog)).toEqual(before);
}

describe('damaged HATS catalogs', () => {
  it('the intact copy reads 131 rows and runs (control)', async () => {
    const catalog = damaged(() => undefined);
    expect(await readAll(catalog)).toBe(131);
  });

  it('a truncated leaf file', async () => {
    const c = damaged((c) => {
      const bytes = readFileSync(leaf(c, 44));
      writeFileSync(leaf(c, 44), bytes.subarray(0, bytes.length - 100));
    });
    await refused(
      c,
      `${leaf(c, 44)}: leaf file of partition (1,44) has a corrupt or truncated parquet footer (parquet file invalid (footer != PAR1)). Re-download or regenerate the file.`,
    );
  });

  it('a corrupt leaf file (bytes flipped in the footer)', async () => {
    const c = damaged((c) => {
      const bytes = Buffer.from(readFileSync(leaf(c, 44)));
      for (let i = 100; i < bytes.length - 200; i += 7) bytes[i] ^= 0xff;
      writeFileSync(leaf(c, 44), bytes);
    });
    const err = await readAll(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HatsError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^${leaf(c, 44).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: leaf file of partition \\(1,44\\) has a corrupt or truncated parquet footer \\(.+\\)\\. Re-download or regenerate the file\\.$`,
      ),
    );
    await refused(c, (err as Error).message);
  });

  it('a leaf that is not Parquet at all (a CSV under the .parquet name)', async () => {
    const c = damaged((c) => writeFileSync(leaf(c, 46), 'hello, I am a CSV\n1,2,3\n'));
    await refused(
      c,
      `${leaf(c, 46)}: leaf file of partition (1,46) has a corrupt or truncated parquet footer (parquet file invalid (footer != PAR1)). Re-download or regenerate the file.`,
    );
  });

  it('an empty leaf file', async () => {
    const c = damaged((c) => writeFileSync(leaf(c, 45), ''));
    await refused(
      c,
      `${leaf(c, 45)}: leaf file of partition (1,45) has a corrupt or truncated parquet footer (only 0 bytes). Re-download or regenerate the file.`,
    );
  });

  it('a partition listed in partition_info.csv but missing', async () => {
    const c = damaged((c) => rmSync(leaf(c, 45)));
    await refused(
      c,
      `${leaf(c, 45)}: leaf file of partition (1,45) cannot be opened (ENOENT: no such file or directory, stat '${leaf(c, 45)}'). The catalog is incomplete: re-download it or regenerate it with hats-import.`,
    );
  });

  it('malformed hats.properties (binary junk, bad order)', async () => {
    const c = damaged((c) => {
      writeFileSync(join(c, 'hats.properties'), '\u0000\u0001garbage=\n=\nhats_order=abc\n');
      rmSync(join(c, 'properties'));
    });
    await refused(
      c,
      `${join(c, 'hats.properties')}: obs_collection (the catalog name) is missing; dataproduct_type is missing or not one of object, source, association, index, margin, map; hats_order must be an integer (it is abc). Fix the file or regenerate the catalog with hats-import.`,
    );
  });

  it('no properties file at all', async () => {
    const c = damaged((c) => {
      rmSync(join(c, 'hats.properties'));
      rmSync(join(c, 'properties'));
    });
    await refused(
      c,
      `${c}: no hats.properties, properties or collection.properties file. Give the folder (or URL) of a HATS catalog or collection.`,
    );
  });

  it('a folder that does not exist, or a file (both said "no properties file")', async () => {
    const c = damaged(() => {});
    await expect(openHats(join(c, 'nope'))).rejects.toThrow(
      new HatsError(`${join(c, 'nope')}: no such folder; check the path`),
    );
    await expect(openHats(join(c, 'hats.properties'))).rejects.toThrow(
      new HatsError(
        `${join(c, 'hats.properties')} is a file, not a HATS folder; give the folder of a HATS catalog or collection`,
      ),
    );
  });

  it('malformed partition_info.csv: a non-integer pixel', async () => {
    const c = damaged((c) => writeFileSync(join(c, 'partition_info.csv'), 'Norder,Npix\n1,abc\n'));
    await refused(
      c,
      `${join(c, 'partition_info.csv')}: line 2 ("1,abc") is not "Norder,Npix" integers. Fix or delete the line.`,
    );
  });

  it('partition_info.csv with its header only (the run read nothing and warned only that nothing matched)', async () => {
    const c = damaged((c) => writeFileSync(join(c, 'partition_info.csv'), 'Norder,Npix\n'));
    await refused(
      c,
      `${join(c, 'partition_info.csv')} lists no partition, but hats.properties counts 131 rows (hats_nrows): the catalog is incomplete. Re-download it or regenerate it with hats-import.`,
    );
  });

  it('no partition_info.csv and no leaf under dataset/', async () => {
    const c = damaged((c) => {
      rmSync(join(c, 'partition_info.csv'));
      rmSync(join(c, 'dataset', 'Norder=1'), { recursive: true });
    });
    await refused(
      c,
      `${join(c, 'dataset/')} holds no Norder=K/Dir=D/Npix=N.parquet leaf, but hats.properties counts 131 rows (hats_nrows): the catalog is incomplete. Re-download it or regenerate it with hats-import.`,
    );
  });

  it('malformed partition_info.csv: a wrong header', async () => {
    const c = damaged((c) => writeFileSync(join(c, 'partition_info.csv'), 'order,pix\n1,44\n'));
    await refused(
      c,
      `${join(c, 'partition_info.csv')}: line 1 must be a header with Norder and Npix columns (found "order,pix"). Fix the file, or delete it so the partitions are found by listing dataset/.`,
    );
  });

  it('partition_info.csv listing a partition inside another (was "internal error: pixel tree has overlapping pixels")', async () => {
    // 2/181 is one of the four order-2 pixels of 1/45, its leaf a copy of 1/45's
    const c = damaged((c) => {
      writeFileSync(join(c, 'partition_info.csv'), 'Norder,Npix\n1,44\n1,45\n1,46\n1,47\n2,181\n');
      mkdirSync(join(c, 'dataset', 'Norder=2', 'Dir=0'), { recursive: true });
      cpSync(leaf(c, 45), join(c, 'dataset', 'Norder=2', 'Dir=0', 'Npix=181.parquet'));
    });
    await refused(
      c,
      `${join(c, 'partition_info.csv')}: line 6 (Norder=2, Npix=181) lies inside the partition of line 3 (Norder=1, Npix=45), so its rows would be read twice. Remove the wrong line, or regenerate the catalog with hats-import.`,
    );
  });

  it('a leaf file inside another partition, found by listing dataset/', async () => {
    const inner = (c: string) => join(c, 'dataset', 'Norder=2', 'Dir=0', 'Npix=181.parquet');
    const c = damaged((c) => {
      rmSync(join(c, 'partition_info.csv'));
      mkdirSync(join(c, 'dataset', 'Norder=2', 'Dir=0'), { recursive: true });
      cpSync(leaf(c, 45), inner(c));
    });
    await refused(
      c,
      `${inner(c)} lies inside the partition of ${leaf(c, 45)}, so its rows would be read twice. Remove the wrong file, or regenerate the catalog with hats-import.`,
    );
  });

  it('a column named twice in the schema (was "internal error: crossmatch output would have two columns named \'dec\'")', async () => {
    const schemaFile = (c: string) => join(c, 'dataset', '_common_metadata');
    const c = damaged(() => undefined);
    // every leaf and the schema files with a second 'dec' column, as pyarrow can write them
    for (const npix of [44, 45, 46, 47]) {
      const t = await readParquetFile(leaf(c, npix));
      const at = t.schema.fields.findIndex((f) => f.name === 'dec');
      const schema = new Schema([...t.schema.fields, t.schema.fields[at]]);
      const type = new Struct(schema.fields);
      const batches = t.batches.map(
        (b) =>
          new RecordBatch(
            schema,
            makeData({
              type,
              length: b.numRows,
              nullCount: 0,
              children: [...b.data.children, b.data.children[at]],
            }),
          ),
      );
      const bytes = tableToParquetBytes(new Table(schema, batches));
      writeFileSync(leaf(c, npix), bytes);
      writeFileSync(schemaFile(c), bytes);
      writeFileSync(join(c, 'dataset', '_metadata'), bytes);
    }
    await refused(
      c,
      `${schemaFile(c)}: columns 4 and 7 are both named 'dec'. Column names must be unique: rename or drop one, or regenerate the catalog with hats-import.`,
    );
  });

  it('a schema that changes between partitions: a column renamed in one leaf', async () => {
    const c = damaged(() => undefined);
    const t = await readParquetFile(leaf(c, 45));
    const cols: Record<string, unknown> = {};
    for (const f of t.schema.fields)
      cols[f.name === 'dec' ? 'declination' : f.name] = t.getChild(f.name)!.toArray();
    writeFileSync(
      leaf(c, 45),
      tableToParquetBytes(tableFromArrays(cols as Parameters<typeof tableFromArrays>[0])),
    );
    await refused(
      c,
      `${leaf(c, 45)}: column(s) dec of the catalog schema are missing from this leaf file. The catalog is inconsistent: regenerate it with hats-import.`,
    );
  });

  it('ra stored as text in every leaf and the schema (was crossmatched from the text, then refused by the dust map naming no catalog)', async () => {
    const c = damaged(() => undefined);
    for (const npix of [44, 45, 46, 47]) {
      const t = await readParquetFile(leaf(c, npix));
      const cols: Record<string, Vector> = {};
      for (const f of t.schema.fields) {
        const v = t.getChild(f.name)!;
        cols[f.name] =
          f.name === 'ra'
            ? vectorFromArray(Array.from(v.toArray() as Float64Array, String), new Utf8())
            : v;
      }
      const bytes = tableToParquetBytes(new Table(cols));
      writeFileSync(leaf(c, npix), bytes);
      writeFileSync(join(c, 'dataset', '_common_metadata'), bytes);
      writeFileSync(join(c, 'dataset', '_metadata'), bytes);
    }
    await refused(
      c,
      `${join(c, 'hats.properties')}: hats_col_ra=ra but that column holds Utf8 values in dataset/_common_metadata, not numbers: positions must be numbers in degrees. Regenerate the catalog with hats-import from a table whose ra and dec are numbers.`,
    );
  });

  it('a schema that changes between partitions: ra stored as text in one leaf (was read as NaN)', async () => {
    const c = damaged(() => undefined);
    const t = await readParquetFile(leaf(c, 45));
    const cols: Record<string, unknown> = {};
    for (const f of t.schema.fields)
      cols[f.name] =
        f.name === 'ra'
          ? Array.from(t.getChild('ra')!.toArray() as Float64Array, (v) => String(v))
          : t.getChild(f.name)!.toArray();
    writeFileSync(
      leaf(c, 45),
      tableToParquetBytes(tableFromArrays(cols as Parameters<typeof tableFromArrays>[0])),
    );
    await refused(
      c,
      `${leaf(c, 45)}: column(s) ra (Utf8 here, Float64 in the catalog schema) have another type in this leaf file than in the catalog schema. The catalog is inconsistent: regenerate it with hats-import.`,
    );
  });
});
