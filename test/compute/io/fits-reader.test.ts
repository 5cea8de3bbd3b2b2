import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readFitsTable } from '../../../compute/io/fits-reader';
import { useTempDir } from './helpers';
import { SAMPLE_BATCHES, sampleBatch } from './sample-table';

const tmp = useTempDir();
const FIX = join(import.meta.dirname, 'fixtures');

async function collect(batches: AsyncIterable<Table>): Promise<Table[]> {
  const out: Table[] = [];
  for await (const t of batches) out.push(t);
  return out;
}

/** The named columns of each batch, by name, as lists of values. */
const valuesOf = (tables: Table[], names: string[]) =>
  tables.map((t) => Object.fromEntries(names.map((n) => [n, [...t.getChild(n)!]])));

describe('readFitsTable of some columns', () => {
  it('decodes only those, with the values and types of the full read', async () => {
    const path = join(tmp.dir, 'some.fits');
    const writer = createTableWriter('fits', path, {});
    for (const [start, n] of SAMPLE_BATCHES) await writer.write(sampleBatch(start, n));
    await writer.close();
    const wanted = ['name', 'mag', 'id', 'absent'];
    const some = await collect(readFitsTable(path, { batchRows: 700, columns: wanted }));
    const full = await collect(readFitsTable(path, { batchRows: 700 }));
    expect(some.map((t) => t.numRows)).toEqual([700, 700, 700, 400]);
    expect(some[0].schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'id: Int64',
      'mag: Float32',
      'name: Utf8',
    ]);
    expect(valuesOf(some, ['id', 'mag', 'name'])).toEqual(valuesOf(full, ['id', 'mag', 'name']));
  });

  it('reads some columns of an ASCII table (astropy) as the full read has them', async () => {
    const path = join(FIX, 'astropy_ascii.fits');
    const full = await collect(readFitsTable(path, { batchRows: 2 }));
    const names = full[0].schema.fields.map((f) => f.name);
    const wanted = [names[2], names[0]];
    const some = await collect(readFitsTable(path, { batchRows: 2, columns: wanted }));
    expect(some[0].schema.fields.map((f) => f.name)).toEqual([names[0], names[2]]);
    expect(valuesOf(some, wanted)).toEqual(valuesOf(full, wanted));
  });
});
