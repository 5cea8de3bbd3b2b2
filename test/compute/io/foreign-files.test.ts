import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readFitsTable } from '../../../compute/io/fits-reader';
import { readHdf5Table } from '../../../compute/io/hdf5-reader';
import { registerSpeczCatalog, validateSpeczCatalog } from '../../../compute/io/specz-register';
import { openSpeczSource } from '../../../compute/io/specz-source';
import { useTempDir } from './helpers';

/**
 * Files written by astropy 8.0.2 and pandas 3.1.1 (fixtures/make_fixtures.py and
 * make_fits_fixtures.py, which saves what astropy reads back in fits_expected.json).
 */
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

const EXPECTED = JSON.parse(readFileSync(join(FIX, 'fits_expected.json'), 'utf8')) as Record<
  string,
  Record<string, { dtype: string; values: (string | number | null)[] }>
>;

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
      /no table named 'NOPE' \(tables: PHOTO, SPECZ\)/,
    );
  });

  it('takes the units from TUNIT', async () => {
    const src = await openSpeczSource(join(FIX, 'astropy_two_hdus.fits'), { table: 'SPECZ' });
    expect(src.units).toEqual({ ra: 'deg', dec: 'deg' });
  });

  it('reads unsigned integers (TZERO 2^15, 2^31, 2^63) as astropy: uint16/32/64', async () => {
    const oracle = EXPECTED['astropy_unsigned.fits'];
    expect(Object.values(oracle).map((c) => c.dtype)).toEqual([
      'uint64',
      'uint32',
      'uint16',
      'float64',
    ]);
    const t = await all(readFitsTable(join(FIX, 'astropy_unsigned.fits')));
    const types = { u64: 'Uint64', u32: 'Uint32', u16: 'Uint16', i8: 'Float64' };
    for (const [name, arrow] of Object.entries(types)) {
      const col = t.getChild(name)!;
      expect(String(col.type), name).toBe(arrow);
      // astropy's text of each value; float64 ones ('-128.0') as numbers
      const want = oracle[name].values.map((v) => (arrow === 'Float64' ? Number(v) : v));
      expect(
        [...col].map((v) => (arrow === 'Float64' ? v : String(v))),
        name,
      ).toEqual(want);
    }
  });

  it('registers uint64 values unchanged', async () => {
    const { catalogDir } = await registerSpeczCatalog(join(FIX, 'astropy_unsigned.fits'), {
      dataDir: tmp.dir,
    });
    const src = await openSpeczSource(catalogDir);
    const t = await all(
      (async function* () {
        for await (const b of src.batches()) yield b.table;
      })(),
    );
    const u64 = t.getChild('u64')!;
    expect(u64.type.typeId).toBe(Type.Int);
    expect(String(u64.type)).toBe('Uint64');
    const byId = new Map([...t.getChild('id')!].map((id, i) => [Number(id), String(u64.get(i))]));
    expect([1, 2, 3, 4, 5].map((id) => byId.get(id))).toEqual(
      EXPECTED['astropy_unsigned.fits'].u64.values,
    );
  });

  it('names the vector columns it leaves out, in the report', async () => {
    const path = join(FIX, 'astropy_vector.fits');
    const t = await all(readFitsTable(path));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'ra', 'dec', 'z']);
    const report = await validateSpeczCatalog(path);
    expect(report.notes).toEqual([
      expect.stringMatching(
        /column vec holds several values per row \(a FITS vector column\) and is not read/,
      ),
    ]);
  });

  it('a table without rows has its columns: no rows, as other formats', async () => {
    const path = join(FIX, 'astropy_empty.fits');
    const src = await openSpeczSource(path);
    expect(src.columns).toEqual(['ra', 'dec', 'z']);
    const report = await validateSpeczCatalog(path);
    expect(report.rowsRead).toBe(0);
    expect(report.mapping).toMatchObject({ ra: 'ra', dec: 'dec', z: 'z' });
  });

  it('without ra/dec/z in the first table, names the other tables and --table', async () => {
    const path = join(FIX, 'astropy_two_hdus.fits');
    const err = await validateSpeczCatalog(path).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `${path}: no column found for ra, dec, z among [objid, mag]; name them with --ra COLUMN --dec COLUMN --z COLUMN (read the first table, PHOTO (HDU 1); the file's other tables: SPECZ (HDU 2); choose one with --table EXTNAME)`,
    );
  });

  it('reads an ASCII table (TFORM Iw, Dw.d, Ew.d, Fw.d, Aw; TNULL) as astropy', async () => {
    const oracle = EXPECTED['astropy_ascii.fits'];
    const t = await all(readFitsTable(join(FIX, 'astropy_ascii.fits'), { batchRows: 2 }));
    const types = {
      id: 'Int64',
      ra: 'Float64',
      dec: 'Float64',
      z: 'Float64',
      n: 'Int16',
      name: 'Utf8',
    };
    expect(Object.keys(oracle)).toEqual(Object.keys(types));
    for (const [name, arrow] of Object.entries(types)) {
      const col = t.getChild(name)!;
      expect(String(col.type), name).toBe(arrow);
      const got = [...col].map((v) => (typeof v === 'bigint' ? String(v) : v));
      expect(got, name).toEqual(oracle[name].values);
    }
    const report = await validateSpeczCatalog(join(FIX, 'astropy_ascii.fits'));
    expect(report.rowsAccepted).toBe(5);
  });
});
