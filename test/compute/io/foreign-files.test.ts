import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readFitsTable } from '../../../compute/io/fits-reader';
import { readHdf5Table } from '../../../compute/io/hdf5-reader';
import { registerSpeczCatalog } from '../../../compute/io/specz-register';
import { openSpeczSource } from '../../../compute/io/specz-source';
import { useTempDir } from './helpers';

/** Files written by astropy 8.0.2 and pandas 3.1.1 (fixtures/make_fixtures.py). */
const FIX = join(import.meta.dirname, 'fixtures');
const IDS = [1n, 2n, 3n, 4n, 5n];
const RA = [10.5, 30.5, 50.5, 70.5, 90.5];
const DEC = [-30, -20, -10, 0, 10];
const Z = [0.1, 0.2, 0.30000000000000004, 0.4, 0.5];

async function all(gen: AsyncIterable<Table>): Promise<Table> {
  const parts: Table[] = [];
  for await (const t of gen) parts.push(t);
  return parts.reduce((a, b) => a.concat(b));
}

function expectValues(t: Table) {
  expect([...t.getChild('id')!]).toEqual(IDS);
  expect([...t.getChild('ra')!]).toEqual(RA);
  expect([...t.getChild('dec')!]).toEqual(DEC);
  expect([...t.getChild('z')!]).toEqual(Z);
}

const tmp = useTempDir();

describe('HDF5 tables written by astropy and pandas', () => {
  it('astropy: asks which table when there are several, reads the named one', async () => {
    const path = join(FIX, 'astropy_two_tables.h5');
    await expect(all(readHdf5Table(path))).rejects.toThrow(
      /2 tables \(\/other, \/specz\); pick one with tsm register --table NAME/,
    );
    const t = await all(readHdf5Table(path, { dataset: 'specz' }));
    expectValues(t);
    expect([...t.getChild('survey')!]).toEqual(['2dF', 'SDSS', 'VVDS', 'DEEP2', '6dF']);
  });

  it('pandas format="fixed" (blocks of columns)', async () => {
    expectValues(await all(readHdf5Table(join(FIX, 'pandas_fixed.h5'))));
  });

  it('pandas format="table" (PyTables compound under <key>/table)', async () => {
    const t = await all(readHdf5Table(join(FIX, 'pandas_table.h5'), { dataset: 'specz' }));
    expectValues(t);
  });

  it('registers the pandas table file end to end', async () => {
    const { report } = await registerSpeczCatalog(join(FIX, 'pandas_table.h5'), {
      dataDir: tmp.dir,
    });
    expect(report.rowsAccepted).toBe(5);
    expect(report.mapping.id).toBe('id');
  });
});

describe('FITS files written by astropy', () => {
  it('reads the first binary table by default and the named one on request', async () => {
    const path = join(FIX, 'astropy_two_hdus.fits');
    const first = await all(readFitsTable(path));
    expect(first.schema.fields.map((f) => f.name)).toEqual(['objid', 'mag']);
    const t = await all(readFitsTable(path, { hduName: 'specz' }));
    expectValues(t);
    expect([...t.getChild('survey')!]).toEqual(['2dF', 'SDSS', 'VVDS', 'DEEP2', '6dF']);
    await expect(all(readFitsTable(path, { hduName: 'NOPE' }))).rejects.toThrow(
      /no binary table named 'NOPE' \(tables: PHOTO, SPECZ\)/,
    );
  });

  it('takes the units from TUNIT', async () => {
    const src = await openSpeczSource(join(FIX, 'astropy_two_hdus.fits'), { table: 'SPECZ' });
    expect(src.units).toEqual({ ra: 'deg', dec: 'deg' });
  });
});
