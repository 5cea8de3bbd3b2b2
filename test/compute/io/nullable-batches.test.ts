/**
 * Batches of one output that disagree on nullability (apache-arrow marks a field nullable only
 * when that batch has nulls): the Parquet writer and the HATS writer (leaves and margin) keep
 * every null and store every field as nullable. LSDB's small_sky (131 rows) with `ra_error`
 * nulled on every 7th row of the second half only.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Table, makeVector, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { createParquetWriter } from '../../../compute/io/parquet-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { smallSkyTable, useTempDir } from './helpers';

const sky = smallSkyTable();
const ids = sky.getChild('id')!.toArray() as BigInt64Array;
const raError = sky.getChild('ra_error')!.toArray() as Float64Array;
const isNull = (i: number) => i >= 65 && i % 7 === 0;

/** Two batches: rows [0, 65) without nulls (non-nullable fields), [65, 131) with nulls. */
function batches(): Table[] {
  const first = sky.slice(0, 65);
  const cols = (lo: number, hi: number, withNulls: boolean) => {
    const out: Record<string, ReturnType<typeof makeVector>> = {};
    for (const f of sky.schema.fields) {
      const values = (sky.getChild(f.name)!.toArray() as Float64Array).slice(lo, hi);
      out[f.name] = makeVector(values);
    }
    if (withNulls) {
      const v = Array.from(raError.slice(lo, hi), (x, k) => (isNull(lo + k) ? null : x));
      out.ra_error = vectorFromArray(v, new Float64());
    }
    return new Table(out);
  };
  const a = cols(0, first.numRows, false);
  const b = cols(65, sky.numRows, true);
  expect(a.schema.fields.every((f) => !f.nullable)).toBe(true);
  expect(b.schema.fields.find((f) => f.name === 'ra_error')!.nullable).toBe(true);
  return [a, b];
}

/** Checks every row's ra_error (null where nulled, the fixture's value elsewhere) by id. */
function expectRows(tables: Table[], expectedRows: number | null): number {
  const index = new Map<bigint, number>();
  ids.forEach((id, i) => index.set(id, i));
  let rows = 0;
  let nulls = 0;
  for (const t of tables) {
    for (const f of t.schema.fields) expect(f.nullable, f.name).toBe(true);
    const id = t.getChild('id')!;
    const err = t.getChild('ra_error')!;
    for (let r = 0; r < t.numRows; r++) {
      const i = index.get(id.get(r) as bigint)!;
      if (isNull(i)) {
        expect(err.get(r)).toBeNull();
        nulls++;
      } else expect(err.get(r)).toBe(raError[i]);
      rows++;
    }
  }
  if (expectedRows !== null) expect(rows).toBe(expectedRows);
  return nulls;
}

describe('writers given batches of different nullability', () => {
  const tmp = useTempDir();

  it('Parquet: nulls of a later batch stay null (not 0.0), every field nullable', async () => {
    const path = join(tmp.dir, 'out.parquet');
    const writer = createParquetWriter(path);
    for (const b of batches()) await writer.write(b);
    expect((await writer.close()).rows).toBe(131);
    const back = await readParquetFile(path);
    expect(expectRows([back], 131)).toBe(9);
  });

  it('HATS with a margin: writes, keeps nulls in leaves and margin, no `not null` field', async () => {
    const out = join(tmp.dir, 'sky.hats');
    const result = await writeHatsCatalog(out, batches(), {
      name: 'sky',
      partitionRows: 40,
      margin: { thresholdArcsec: 3600 },
    });
    expect(result.rows).toBe(131);
    const leaves = (root: string) =>
      readdirSync(join(root, 'dataset'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.parquet'))
        .map((f) => join(root, 'dataset', f));
    const main = await Promise.all(leaves(result.catalogDir).map((f) => readParquetFile(f)));
    expect(main.length).toBe(result.partitions.length);
    expect(main.length).toBeGreaterThan(1);
    expect(expectRows(main, 131)).toBe(9);
    const margin = await Promise.all(leaves(result.marginDir!).map((f) => readParquetFile(f)));
    expectRows(margin, result.marginRows!);
    expect(result.marginRows).toBeGreaterThan(0);
    const common = await readParquetFile(join(result.catalogDir, 'dataset', '_common_metadata'));
    for (const f of common.schema.fields) expect(f.nullable, f.name).toBe(true);
  });
});
