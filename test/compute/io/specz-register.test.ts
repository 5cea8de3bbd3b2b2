import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Field, Float64, Int64, List, Table, Type, Utf8, vectorFromArray } from 'apache-arrow';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import {
  SpeczRejectedError,
  registerSpeczCatalog,
  validateSpeczCatalog,
} from '../../../compute/io/specz-register';
import type { SpeczReadProgress } from '../../../compute/io/read-progress';
import type { OutputFormat } from '../../../compute/io/table-writer';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../../fixtures';
import { canMount, fillUp, mountTmpfs } from '../../reliability/helpers';
import { useTempDir } from './helpers';

const FIXTURES_DIR = join(PROJECT_ROOT, 'test', 'compute', 'io', 'fixtures');
const tmp = useTempDir();
let dataDir: string;
beforeEach(() => {
  dataDir = join(tmp.dir, 'data');
});

/** All rows of a registered catalog, concatenated over its leaves. */
async function registeredRows(catalogDir: string): Promise<Table> {
  const info = readFileSync(join(catalogDir, 'partition_info.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const tables: Table[] = [];
  for (const line of info) {
    const [order, pixel] = line.split(',').map(Number);
    tables.push(
      await readParquetFile(
        join(catalogDir, `dataset/Norder=${order}/Dir=0/Npix=${pixel}.parquet`),
      ),
    );
  }
  return tables.reduce((a, b) => a.concat(b));
}

function byId(t: Table, column: string): Map<string, unknown> {
  const ids = [...t.getChild('id')!].map(String);
  const vals = [...t.getChild(column)!];
  return new Map(ids.map((id, i) => [id, vals[i]]));
}

function write(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

const nothingRegistered = () => {
  const catalogs = join(dataDir, 'catalogs');
  expect(existsSync(catalogs) ? readdirSync(catalogs) : []).toEqual([]);
};

describe('registerSpeczCatalog: the real example files', () => {
  it('registers data-example/specz.parquet with every row and value', async () => {
    const src = join(TSM_EXAMPLE, 'specz.parquet');
    const { catalogDir, report } = await registerSpeczCatalog(src, { dataDir, name: 'example' });
    expect(catalogDir).toBe(join(dataDir, 'catalogs', 'example'));
    const original = await readParquetFile(src);
    expect(report.rowsRead).toBe(original.numRows);
    expect(report.rowsRejected).toBe(0);
    const got = await registeredRows(catalogDir);
    expect(got.numRows).toBe(original.numRows);
    expect(got.schema.fields[0].name).toBe('_healpix_29');
    for (const c of ['ra', 'dec', 'z']) expect(byId(got, c)).toEqual(byId(original, c));
    // same partitions as hats-import gave the collection built from this file
    expect(readFileSync(join(catalogDir, 'partition_info.csv'), 'utf8')).toBe(
      readFileSync(join(TSM_EXAMPLE, 'specz_collection', 'catalog', 'partition_info.csv'), 'utf8'),
    );
    expect(
      JSON.parse(readFileSync(join(catalogDir, 'registration.json'), 'utf8')).report.rowsAccepted,
    ).toBe(80);
  });

  // `tsm register` stopped with "internal error: Cannot convert undefined to a BigInt"
  it('keeps a list column of a Parquet file, row by row', async () => {
    const original = await readParquetFile(join(TSM_EXAMPLE, 'specz.parquet'));
    const n = original.numRows;
    const lists = Array.from({ length: n }, (_, i) =>
      i % 7 === 3 ? null : [BigInt(i), BigInt(-i)],
    );
    const withList = new Table({
      ...Object.fromEntries(
        original.schema.fields.map((f) => [f.name, original.getChild(f.name)!]),
      ),
      pair: vectorFromArray(lists, new List(new Field('item', new Int64(), true))),
    });
    const src = join(tmp.dir, 'with-list.parquet');
    const writer = createTableWriter('parquet', src);
    await writer.write(withList);
    await writer.close();
    const { catalogDir, report } = await registerSpeczCatalog(src, { dataDir, name: 'lists' });
    expect(report.rowsAccepted).toBe(n);
    const got = await registeredRows(catalogDir);
    const pairs = byId(got, 'pair');
    const ids = [...original.getChild('id')!].map(String);
    ids.forEach((id, i) => {
      const value = pairs.get(id) as { toArray(): BigInt64Array } | null;
      expect(value === null ? null : Array.from(value.toArray())).toEqual(lists[i]);
    });
  });

  it('registers the specz_collection (HATS input) with the same rows as the parquet file', async () => {
    const { catalogDir } = await registerSpeczCatalog(join(TSM_EXAMPLE, 'specz_collection'), {
      dataDir,
      name: 'coll',
    });
    const got = await registeredRows(catalogDir);
    const original = await readParquetFile(join(TSM_EXAMPLE, 'specz.parquet'));
    expect(byId(got, 'z')).toEqual(byId(original, 'z'));
    expect(got.schema.fields.filter((f) => f.name === '_healpix_29').length).toBe(1);
  });
});

const SMALL = {
  id: [11n, 12n, 13n],
  ra: [10.5, 200.25, 359.5],
  dec: [-30, 0.5, 89.9],
  z: [0.1, 1.5, 0.02],
};

function smallTable(): Table {
  return new Table({
    ID: vectorFromArray(SMALL.id, new Int64()),
    RAJ2000: vectorFromArray(SMALL.ra, new Float64()),
    DEJ2000: vectorFromArray(SMALL.dec, new Float64()),
    zspec: vectorFromArray(SMALL.z, new Float64()),
    survey: vectorFromArray(['2dF', 'SDSS', 'VVDS'], new Utf8()),
  });
}

describe('registerSpeczCatalog: small files in each format', () => {
  it.each(['parquet', 'fits', 'hdf5', 'csv'] as OutputFormat[])(
    '%s with RAJ2000/DEJ2000/zspec/ID detected',
    async (format) => {
      const path = join(tmp.dir, `small.${format}`);
      const w = createTableWriter(format, path);
      await w.write(smallTable());
      await w.close();
      const { catalogDir, report } = await registerSpeczCatalog(path, { dataDir });
      expect(report.mapping).toMatchObject({
        ra: 'RAJ2000',
        dec: 'DEJ2000',
        z: 'zspec',
        id: 'ID',
        survey: 'survey',
      });
      expect(report.angleUnits).toBe('deg');
      const got = await registeredRows(catalogDir);
      expect(byId(got, 'z')).toEqual(new Map(SMALL.id.map((id, i) => [String(id), SMALL.z[i]])));
      expect(byId(got, 'ra')).toEqual(new Map(SMALL.id.map((id, i) => [String(id), SMALL.ra[i]])));
      expect(byId(got, 'survey').get('12')).toBe('SDSS');
      expect(String(got.schema.fields.find((f) => f.name === 'id')!.type)).toBe('Int64');
    },
  );

  it('reads semicolons, quoted fields, # comments and a commented header', async () => {
    const path = write(
      's.txt',
      '# my catalog\n# id;ra;dec;z;name\n1;10.0;-5;0.3;"a;b"\n2;20.0;5;0.4;"say ""hi"""\n',
    );
    const { catalogDir, report } = await registerSpeczCatalog(path, { dataDir });
    expect(report.rowsAccepted).toBe(2);
    const got = await registeredRows(catalogDir);
    expect(byId(got, 'name')).toEqual(
      new Map([
        ['1', 'a;b'],
        ['2', 'say "hi"'],
      ]),
    );
  });

  it('reads blank-separated text with sexagesimal positions (ra in hours)', async () => {
    const path = write(
      'sexa.dat',
      'id  ra  dec  z\n1  10:00:00.0  -30:30:00  0.5\n2  12h30m00s  +45d00m00s  1.0\n',
    );
    const { catalogDir, report } = await registerSpeczCatalog(path, { dataDir });
    expect(report.angleUnits).toBe('sexagesimal');
    const got = await registeredRows(catalogDir);
    expect(byId(got, 'ra')).toEqual(
      new Map([
        ['1', 150],
        ['2', 187.5],
      ]),
    );
    expect(byId(got, 'dec')).toEqual(
      new Map([
        ['1', -30.5],
        ['2', 45],
      ]),
    );
  });

  it('converts radians named ra_rad/dec_rad and refuses unclear units', async () => {
    const path = write('rad.csv', `id,ra_rad,dec_rad,z\n1,${Math.PI},${Math.PI / 4},0.1\n`);
    const { catalogDir } = await registerSpeczCatalog(path, {
      dataDir,
      mapping: { ra: 'ra_rad', dec: 'dec_rad' },
    });
    const got = await registeredRows(catalogDir);
    expect(byId(got, 'ra').get('1')).toBeCloseTo(180, 12);
    expect(byId(got, 'dec').get('1')).toBeCloseTo(45, 12);
    const unclear = write('unclear.csv', 'id,ra,dec,z\n1,1.0,0.5,0.1\n2,2.0,0.2,0.3\n');
    await expect(registerSpeczCatalog(unclear, { dataDir, name: 'u' })).rejects.toThrow(
      /--angle-units deg/,
    );
    const { report } = await registerSpeczCatalog(unclear, {
      dataDir,
      name: 'u',
      angleUnits: 'deg',
    });
    expect(report.rowsAccepted).toBe(2);
  });
});

describe('registerSpeczCatalog: catalog names', () => {
  it("refuses 'index.json', the app's list of catalogs (its folder broke the Catalogs page with EISDIR)", async () => {
    const path = write('index.json.csv', 'id,ra,dec,z\n1,10,10,0.1\n');
    for (const name of ['index.json', 'INDEX.json', undefined]) {
      await expect(registerSpeczCatalog(path, { dataDir, name })).rejects.toThrow(
        `'${name ?? 'index.json'}' cannot be a catalog name: catalogs/index.json in the data folder is the app's list of catalogs; choose another name`,
      );
    }
    nothingRegistered();
  });

  it("refuses 'index.json.lock', the lock of the app's list (its folder kept every change of the list waiting)", async () => {
    const path = write('index.json.lock.csv', 'id,ra,dec,z\n1,10,10,0.1\n');
    for (const name of ['index.json.lock', 'Index.JSON.lock', undefined]) {
      await expect(registerSpeczCatalog(path, { dataDir, name })).rejects.toThrow(
        `'${name ?? 'index.json.lock'}' cannot be a catalog name: catalogs/index.json.lock in the data folder is the lock of the app's list of catalogs; choose another name`,
      );
    }
    nothingRegistered();
  });

  it("refuses a name ending in '.partial': registering the name without it deleted that catalog", async () => {
    const path = write('foo.partial.csv', 'id,ra,dec,z\n1,10,10,0.1\n');
    for (const name of ['foo.partial', 'foo.PARTIAL', undefined]) {
      await expect(registerSpeczCatalog(path, { dataDir, name })).rejects.toThrow(
        `'${name ?? 'foo.partial'}' cannot be a catalog name: a folder ending in '.partial' is one still being written (registering 'foo' would write there); choose another name`,
      );
    }
    nothingRegistered();
  });
});

describe('registerSpeczCatalog: bad files', () => {
  const header = 'id,ra,dec,z\n';
  it('reports ra/dec out of range, non-numeric and negative z, duplicate ids with line numbers, and registers nothing', async () => {
    const path = write(
      'bad.csv',
      header +
        '1,10,10,0.1\n' + // line 2 ok
        '2,360,10,0.1\n' + // 3 ra
        '3,-1,10,0.1\n' + // 4 ra
        '4,10,91,0.1\n' + // 5 dec
        '5,10,10,abc\n' + // 6 z text
        '6,10,10,-0.5\n' + // 7 z negative
        '1,11,11,0.2\n' + // 8 duplicate of line 2
        '8,10,10,\n', // 9 z missing
    );
    const err = (await registerSpeczCatalog(path, { dataDir }).catch(
      (e: unknown) => e,
    )) as SpeczRejectedError;
    expect(err).toBeInstanceOf(SpeczRejectedError);
    expect(err.message).toMatch(/7 of 8 rows are invalid/);
    const reasons = Object.fromEntries(err.report.reasons.map((r) => [r.reason, r.first]));
    expect(reasons).toEqual({
      'ra outside [0, 360)': [3, 4],
      'dec outside [-90, 90]': [5],
      'z not numeric': [6],
      'z negative': [7],
      'duplicate id': [8],
      'z missing': [9],
    });
    nothingRegistered();
    expect(readdirSync(tmp.dir).filter((f) => f.includes('partial'))).toEqual([]);
    const ok = await registerSpeczCatalog(path, { dataDir, skipInvalidRows: true });
    expect(ok.report.rowsAccepted).toBe(1);
  });

  it('rejects a row whose z_err is text, in the first batch or a later one', async () => {
    // it was kept, its z_err made NaN without a word (README: z_err stays a number)
    const path = write(
      'zerr.csv',
      'id,ra,dec,z,z_err\n' +
        '1,10,10,0.1,0.01\n' + // 2
        '2,11,10,0.2,0.02\n' + // 3
        '3,12,10,0.3,abc\n' + // 4 z_err text
        '4,13,10,0.4,\n' + // 5 z_err missing: kept
        '5,14,10,0.5,0.05\n', // 6
    );
    for (const batchRows of [2, 65_536]) {
      const { catalogDir, report } = await registerSpeczCatalog(path, {
        dataDir,
        name: `zerr-${batchRows}`,
        batchRows,
        skipInvalidRows: true,
      });
      expect(report.reasons.map((r) => [r.reason, r.first])).toEqual([['z_err not numeric', [4]]]);
      const zErr = byId(await registeredRows(catalogDir), 'z_err');
      expect([...zErr.keys()].sort()).toEqual(['1', '2', '4', '5']);
      expect([zErr.get('1'), zErr.get('2'), zErr.get('5')]).toEqual([0.01, 0.02, 0.05]);
    }
  });

  it('reads the numbers of later batches as it goes (their texts let go) to the same report and stored rows', async () => {
    // batches of 2 rows: the first fixes the types, later ones parse z (float64) row by row;
    // ids repeat across batches, and in a table of colliding-free and repeated ids
    const path = write(
      'batches.csv',
      header +
        '1,10.5,10.25,0.1\n' + // 2
        '2,20.5,-5.5,0.25\n' + // 3
        '3,30.5,5.5,abc\n' + // 4 z text
        '1,11.5,11.5,0.2\n' + // 5 duplicate of line 2
        '5,40.5,1.5,\n' + // 6 z missing
        '6,50.5,2.5, 1e-3 \n' + // 7 blanks around a number
        '7,60.5,3.5,-0.5\n' + // 8 z negative
        '2,61.5,4.5,0.3\n' + // 9 duplicate of line 3
        '9,70.5,7.5,1.5\n', // 10
    );
    const reports = [];
    const rows = [];
    for (const batchRows of [2, 65_536]) {
      const name = `batches-${batchRows}`;
      const { catalogDir, report } = await registerSpeczCatalog(path, {
        dataDir,
        name,
        batchRows,
        skipInvalidRows: true,
      });
      reports.push(report.reasons);
      rows.push(await registeredRows(catalogDir));
    }
    expect(Object.fromEntries(reports[0].map((r) => [r.reason, r.first]))).toEqual({
      'z not numeric': [4],
      'duplicate id': [5, 9],
      'z missing': [6],
      'z negative': [8],
    });
    expect(reports[0]).toEqual(reports[1]);
    for (const t of rows) {
      expect([...t.getChild('id')!].map(Number).sort()).toEqual([1, 2, 6, 9]);
      expect(byId(t, 'z')).toEqual(
        new Map([
          ['1', 0.1],
          ['2', 0.25],
          ['6', 0.001],
          ['9', 1.5],
        ]),
      );
      expect(byId(t, 'dec').get('2')).toBe(-5.5);
    }
  });

  it('refuses a truncated file (last row cut), naming the line; --skip-invalid registers the rest', async () => {
    const path = write('cut.csv', header + '1,10,10,0.1\n2,20,20,0.2\n3,30,3');
    const err = (await registerSpeczCatalog(path, { dataDir }).catch(
      (e: unknown) => e,
    )) as SpeczRejectedError;
    expect(err).toBeInstanceOf(SpeczRejectedError);
    expect(err.message).toBe(
      `${path}: the last line (line 4) is cut short, so the file looks truncated (re-export it); 1 of 3 rows are invalid, so the file was not registered; fix them, or register the 2 valid rows with --skip-invalid`,
    );
    // the report counts every line read, the cut one among the rejected
    expect(err.report).toMatchObject({ rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    expect(err.report.truncatedLine).toBe(4);
    expect(err.report.reasons).toEqual([
      {
        reason:
          'last line cut short (3 fields, expected 4): the file looks truncated; re-export it',
        count: 1,
        first: [4],
      },
    ]);
    nothingRegistered();
    const { catalogDir, report } = await registerSpeczCatalog(path, {
      dataDir,
      skipInvalidRows: true,
    });
    expect(report).toMatchObject({ rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    const rows = await registeredRows(catalogDir);
    expect([...rows.getChild('id')!].map(Number).sort()).toEqual([1, 2]);
    expect([...rows.getChild('z')!].sort()).toEqual([0.1, 0.2]);
  });

  it('a file whose only data line is cut: no valid rows, the line named', async () => {
    const path = write('cut1.csv', header + '1,10,1');
    await expect(registerSpeczCatalog(path, { dataDir, skipInvalidRows: true })).rejects.toThrow(
      `${path}: the last line (line 2) is cut short, so the file looks truncated (re-export it); no valid rows; nothing was registered`,
    );
    nothingRegistered();
  });

  it('refuses a Parquet file with a struct holding a DECIMAL(20, 0), naming it (its ids were read as one double)', async () => {
    // pyarrow's (test/compute/io/fixtures/make_decimal_scaled_fixtures.py)
    const path = join(tmp.dir, 'nested.parquet');
    copyFileSync(join(FIXTURES_DIR, 'decimal_nested.parquet'), path);
    await expect(registerSpeczCatalog(path, { dataDir })).rejects.toThrow(
      `${path}: column 'meta' is a struct holding DECIMAL(20, 0) meta.objid, whose values of more than 15 digits cannot be read inside a struct: they would be rounded to doubles (ids a unit apart, such as 18446744073709551615 and 18446744073709551614, would read as one). Write meta.objid as a column of its own (pyarrow: table.flatten(); a top-level DECIMAL is read exactly) or cast it to string, or write the file without column 'meta'.`,
    );
    nothingRegistered();
  });

  it('refuses a file cut inside a quoted field', async () => {
    const path = write('cutq.csv', 'id,ra,dec,z,name\n1,10,10,0.1,"ok"\n2,20,20,0.2,"unfinished');
    await expect(registerSpeczCatalog(path, { dataDir })).rejects.toThrow(/truncated/);
    nothingRegistered();
  });

  it('rejects rows with the wrong number of fields, with their lines', async () => {
    const path = write(
      'fields.csv',
      header + '1,10,10,0.1\n2,20,20\n3,30,30,0.3,extra\n4,40,40,0.4\n',
    );
    const err = (await registerSpeczCatalog(path, { dataDir }).catch(
      (e: unknown) => e,
    )) as SpeczRejectedError;
    expect(err.report.reasons).toEqual([
      { reason: 'wrong number of fields (expected 4)', count: 2, first: [3, 4] },
    ]);
    nothingRegistered();
  });

  it('says the delimiter looks wrong when a forced delimiter gives one column', async () => {
    const path = write('semi.csv', 'id;ra;dec;z\n1;10;10;0.1\n');
    await expect(registerSpeczCatalog(path, { dataDir, delimiter: ',' })).rejects.toThrow(
      /delimiter looks wrong/,
    );
    nothingRegistered();
  });

  it('names the missing columns and how to map them', async () => {
    const path = write('nocols.csv', 'id,alpha_x,beta_y,redshift\n1,10,10,0.1\n');
    await expect(registerSpeczCatalog(path, { dataDir })).rejects.toThrow(
      /no column found for ra, dec .*--ra COLUMN --dec COLUMN/,
    );
    nothingRegistered();
  });

  it('refuses a name that is already registered', async () => {
    const path = write('ok.csv', header + '1,10,10,0.1\n');
    await registerSpeczCatalog(path, { dataDir, name: 'same' });
    await expect(registerSpeczCatalog(path, { dataDir, name: 'same' })).rejects.toThrow(
      /already registered/,
    );
  });
});

describe('registerSpeczCatalog: a text id after integer ids (a later batch)', () => {
  // the first batch (2 rows here, 65 536 by default) types the columns: its ids are integers
  const mixed =
    'id,ra,dec,z\n' +
    '1,10.5,10.25,0.1\n' + // 2
    '2,20.5,-5.5,0.25\n' + // 3
    '3,30.5,5.5,0.3\n' + // 4
    'J1234+5678,40.5,1.5,0.4\n' + // 5
    '007,50.5,2.5,0.5\n'; // 6

  it('reads every id as text, as written, and says why, naming the line (it rejected lines 5 on)', async () => {
    const path = join(tmp.dir, 'mixed-ids.csv');
    writeFileSync(path, mixed);
    const report = await validateSpeczCatalog(path, { batchRows: 2 });
    expect([report.rowsRead, report.rowsAccepted, report.reasons]).toEqual([5, 5, []]);
    const { catalogDir, report: registered } = await registerSpeczCatalog(path, {
      dataDir,
      batchRows: 2,
    });
    expect(registered.rowsAccepted).toBe(5);
    expect(registered.notes).toEqual([
      `${path}: the ids in column 'id' are read as text (the first lines' ids are numbers, but line 5 has the id 'J1234+5678'); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line 5 and the ids stay integers.`,
    ]);
    expect(report.notes).toEqual(registered.notes);
    const rows = await registeredRows(catalogDir);
    expect(rows.getChild('id')!.type.typeId).toBe(Type.Utf8);
    expect(byId(rows, 'z')).toEqual(
      new Map([
        ['1', 0.1],
        ['2', 0.25],
        ['3', 0.3],
        ['J1234+5678', 0.4],
        ['007', 0.5],
      ]),
    );
  });

  it('reads the file once: the integer ids read before the text become text, the progress goes on', async () => {
    // the file was read (and the catalog written) a second time with the ids as text, the
    // progress back at 0; an id given as an integer before the text and as text after it is one id
    const path = join(tmp.dir, 'mixed-ids-once.csv');
    writeFileSync(path, mixed + '3,60.5,3.5,0.6\n'); // line 7 repeats line 4's id
    const events: SpeczReadProgress[] = [];
    const { catalogDir, report } = await registerSpeczCatalog(path, {
      dataDir,
      batchRows: 2,
      skipInvalidRows: true,
      progressIntervalMs: 0,
      onProgress: (p) => events.push(p),
    });
    expect(events.map((e) => `${e.phase} ${e.rowsRead}`)).toEqual([
      'read 2',
      'read 4',
      'read 6',
      'read 6',
      'write 6',
    ]);
    expect([report.rowsAccepted, report.reasons]).toEqual([
      5,
      [{ reason: 'duplicate id', count: 1, first: [7] }],
    ]);
    expect(report.notes).toEqual([
      `${path}: the ids in column 'id' are read as text (the first lines' ids are numbers, but line 5 has the id 'J1234+5678'); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line 5 and the ids stay integers.`,
    ]);
    const rows = await registeredRows(catalogDir);
    expect(rows.getChild('id')!.type.typeId).toBe(Type.Utf8);
    expect(byId(rows, 'z')).toEqual(
      new Map([
        ['1', 0.1],
        ['2', 0.25],
        ['3', 0.3],
        ['J1234+5678', 0.4],
        ['007', 0.5],
      ]),
    );
  });

  it('reads another column with text after numbers as text too, saying so (its values were nulls)', async () => {
    const path = join(tmp.dir, 'mixed-flag.csv');
    writeFileSync(
      path,
      'id,ra,dec,z,z_flag,note\n' +
        '1,10.5,10.25,0.1,3,5\n' + // 2
        '2,20.5,-5.5,0.25,4,6\n' + // 3
        '3,30.5,5.5,0.3,A,7\n' + // 4
        '4,40.5,1.5,0.4,3,bad\n', // 5
    );
    const { catalogDir, report } = await registerSpeczCatalog(path, { dataDir, batchRows: 2 });
    expect([report.rowsAccepted, report.reasons]).toEqual([4, []]);
    expect(report.notes).toEqual([
      `${path}: column 'z_flag' is read as text (its first lines hold numbers, but line 4 has 'A'), so every value keeps its text as written. If that value is a mistake, fix line 4 and the column stays numeric.`,
      `${path}: column 'note' is read as text (its first lines hold numbers, but line 5 has 'bad'), so every value keeps its text as written. If that value is a mistake, fix line 5 and the column stays numeric.`,
    ]);
    const rows = await registeredRows(catalogDir);
    expect(byId(rows, 'z_flag')).toEqual(
      new Map([
        ['1', '3'],
        ['2', '4'],
        ['3', 'A'],
        ['4', '3'],
      ]),
    );
    expect(byId(rows, 'note').get('4')).toBe('bad');
  });

  it('reads ids beyond 64-bit integers as text, exactly (they were rounded, or wrapped to -1)', async () => {
    const big = ['18446744073709551615', '18446744073709551614', '9223372036854775808'];
    const csv = (ids: string[]) =>
      'id,ra,dec,z\n' + ids.map((id, i) => `${id},${10 + i},${i},0.${i + 1}\n`).join('');
    // in the first rows (batchRows 2): doubles, one id of the first two, which were rejected
    const first = join(tmp.dir, 'big-ids-first.csv');
    writeFileSync(first, csv([...big, '1', '2']));
    const a = await registerSpeczCatalog(first, { dataDir, batchRows: 2 });
    expect([a.report.rowsAccepted, a.report.reasons, a.report.notes]).toEqual([5, [], undefined]);
    const rowsA = await registeredRows(a.catalogDir);
    expect(rowsA.getChild('id')!.type.typeId).toBe(Type.Utf8);
    expect(byId(rowsA, 'z')).toEqual(
      new Map([
        [big[0], 0.1],
        [big[1], 0.2],
        [big[2], 0.3],
        ['1', 0.4],
        ['2', 0.5],
      ]),
    );
    // after 64-bit integers: they wrapped around (-1, -9223372036854775808) without a word
    const later = join(tmp.dir, 'big-ids-later.csv');
    writeFileSync(later, csv(['1', '2', ...big]));
    const b = await registerSpeczCatalog(later, { dataDir, batchRows: 2 });
    expect([b.report.rowsAccepted, b.report.reasons]).toEqual([5, []]);
    expect(b.report.notes).toEqual([
      `${later}: the ids in column 'id' are read as text (the first lines' ids are numbers, but line 4 has the id '18446744073709551615', beyond 64-bit integers); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line 4 and the ids stay integers.`,
    ]);
    const rowsB = await registeredRows(b.catalogDir);
    expect(byId(rowsB, 'z')).toEqual(
      new Map([
        ['1', 0.1],
        ['2', 0.2],
        [big[0], 0.3],
        [big[1], 0.4],
        [big[2], 0.5],
      ]),
    );
  });

  it('keeps integer ids int64 when every id is an integer, whatever the batches', async () => {
    const path = join(tmp.dir, 'int-ids.csv');
    writeFileSync(path, mixed.replace('J1234+5678', '4'));
    const { catalogDir, report } = await registerSpeczCatalog(path, { dataDir, batchRows: 2 });
    expect([report.rowsAccepted, report.notes]).toEqual([5, undefined]);
    const rows = await registeredRows(catalogDir);
    expect(rows.getChild('id')!.type.typeId).toBe(Type.Int);
    expect([...rows.getChild('id')!].map(Number).sort()).toEqual([1, 2, 3, 4, 7]);
  });
});

describe('previewSpecz and validationSummary (for the app dialog)', () => {
  it('previews the first rows with exact ids and the detected mapping', async () => {
    const { previewSpecz } = await import('../../../compute/io/specz-preview');
    const path = write(
      'p.csv',
      'ID,RAJ2000,DEJ2000,zspec,comment\n9007199254740993,10,20,0.5,"x,y"\n2,11,21,0.6,z\n',
    );
    const p = await previewSpecz(path, { rowCount: 1 });
    expect(p.format).toBe('csv');
    expect(p.rows).toEqual([['9007199254740993', '10', '20', 0.5, 'x,y']]); // int64 cells as exact text
    expect(p.mapping).toMatchObject({
      ra: 'RAJ2000',
      dec: 'DEJ2000',
      z: 'zspec',
      id: 'ID',
      zErr: null,
    });
    const noRa = write('q.csv', 'a,b,redshift\n1,2,0.1\n');
    expect((await previewSpecz(noRa)).mapping).toMatchObject({
      ra: null,
      dec: null,
      z: 'redshift',
    });
  });

  it('turns a report into the app ValidationReport shape', async () => {
    const { validationSummary } = await import('../../../compute/io/specz-preview');
    const path = write('v.csv', 'id,ra,dec,z\n1,10,10,0.1\n2,400,10,0.1\n');
    const { validateSpeczCatalog } = await import('../../../compute/io/specz-register');
    const summary = validationSummary(await validateSpeczCatalog(path));
    expect(summary).toEqual({
      ok: false,
      rowsRead: 2,
      rowsValid: 1,
      issues: [
        {
          severity: 'error',
          message: 'ra outside [0, 360): 1 row (line 3)',
          column: 'ra',
          count: 1,
        },
      ],
    });
    nothingRegistered();
  });
});

describe.skipIf(!canMount())('registerSpeczCatalog: a data folder on a full disk (tmpfs)', () => {
  it('a UserError naming the data folder and saying what to do; nothing registered', async () => {
    // tsm register said "internal error: ENOSPC: no space left on device, write"
    mkdirSync(dataDir);
    const umount = mountTmpfs(dataDir, 'size=64k');
    try {
      mkdirSync(join(dataDir, 'catalogs'));
      fillUp(dataDir);
      const err = await registerSpeczCatalog(join(TSM_EXAMPLE, 'specz.parquet'), {
        dataDir,
        name: 'sz',
      }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('UserError');
      expect((err as Error).message).toMatch(
        new RegExp(
          `^data folder ${dataDir} has no space left on its disk: free some space or choose another data folder \\(ENOSPC: no space left on device, `,
        ),
      );
      expect(readdirSync(join(dataDir, 'catalogs'))).toEqual([]);
    } finally {
      umount();
    }
  });
});

// The walkthrough's wrong mapping: RA set to the id column, z to dec. The report said "ra outside
// [0, 360)" for every row, which reads as a fault of the file's ra column.
describe('the report of rows rejected under a wrong column mapping', () => {
  it('names the column mapped to ra, dec or z when it is not the one of that name', async () => {
    const path = join(TSM_EXAMPLE, 'specz.parquet');
    const report = await validateSpeczCatalog(path, {
      mapping: { ra: 'id', dec: 'dec', z: 'dec' },
    });
    expect(report.rowsAccepted).toBe(0);
    expect(report.reasons.map((r) => [r.reason, r.count])).toEqual([
      ['ra (column id) outside [0, 360)', 80],
    ]);
    // ra right, z still the dec column: the rows of negative dec are refused as z's
    const decs = [...(await readParquetFile(path)).getChild('dec')!].map(Number);
    const negative = decs.filter((d) => d < 0).length;
    expect(negative).toBeGreaterThan(0);
    const zWrong = await validateSpeczCatalog(path, {
      mapping: { ra: 'ra', dec: 'dec', z: 'dec' },
    });
    expect(zWrong.reasons.map((r) => [r.reason, r.count])).toEqual([
      ['z (column dec) negative', negative],
    ]);
    expect(zWrong.rowsAccepted).toBe(80 - negative);
  });
});
