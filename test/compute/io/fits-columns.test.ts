import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Table, Uint64, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { fitsColumnSpec } from '../../../compute/io/fits-columns';
import { readFitsHdus, readFitsTable } from '../../../compute/io/fits-reader';
import { useTempDir } from './helpers';

const tmp = useTempDir();

const TOP = 2n ** 64n - 1n;

describe('fitsColumnSpec', () => {
  it('stores a nullable uint64 null as 2^63 - 1 under TZERO = 2^63, not as the stored 0', () => {
    const spec = fitsColumnSpec(new Field('id', new Uint64(), true));
    expect(spec).toMatchObject({ tform: 'K', tzero: 2n ** 63n, tnull: 2n ** 63n - 1n });
    // stored = value - TZERO: only the largest uint64 collides with the null
    expect(spec.tnull! + spec.tzero!).toBe(TOP);
  });
});

describe('fitsCellEncoder', () => {
  it('writes a nullable uint64 column that reads back exactly, 0 and 2^63 included, nulls as nulls', async () => {
    const values = [0n, null, 1n, 2n ** 63n - 1n, 2n ** 63n, TOP - 1n, null];
    const table = new Table({ id: vectorFromArray(values, new Uint64()) });
    const path = join(tmp.dir, 'u64.fits');
    const writer = createTableWriter('fits', path, {});
    await writer.write(table);
    const { bytes } = await writer.close();

    const handle = await open(path, 'r');
    const hdus = await readFitsHdus(handle, bytes, path);
    await handle.close();
    expect(hdus[1].cards.get('TZERO1')).toBe('9223372036854775808');
    expect(hdus[1].cards.get('TNULL1')).toBe('9223372036854775807');

    const tables: Table[] = [];
    for await (const t of readFitsTable(path)) tables.push(t);
    const id = tables[0].getChild('id')!;
    expect(String(id.type)).toBe('Uint64');
    expect([...id].map((v) => (v === null ? null : BigInt(v as bigint)))).toEqual(values);
  });
});
