/**
 * DECIMAL(p, 0) columns (ids exported from databases: Postgres numeric(20), pandas Decimal) were
 * read as doubles, so a DECIMAL(20, 0) id of 18446744073709551615 read 18446744073709552000 and
 * ids a unit apart read as one. They are read exactly now: Int64 when the values fit, else their
 * decimal text. The file is pyarrow's (test/compute/io/fixtures/make_decimal_fixtures.py, which
 * gives the values). A DECIMAL with a scale reads as the double nearest each value, and a struct
 * or list holding a DECIMAL of more than 15 digits is refused, naming it, where it is read.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { openObjectCatalog } from '../../../compute/hats/open';
import { inspectHats } from '../../../compute/hats/inspect';
import {
  readParquetFields,
  readParquetFile,
  readParquetRows,
  streamParquetFile,
} from '../../../compute/io/parquet-reader';
import { PROJECT_ROOT } from '../../fixtures';

const FILE = join(PROJECT_ROOT, 'test', 'compute', 'io', 'fixtures', 'decimal_ids.parquet');
const ROWS = 82;
const k = Array.from({ length: ROWS }, (_, i) => BigInt(i));
const dir = mkdtempSync(join(tmpdir(), 'tsm-decimal-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DECIMAL(p, 0) columns', () => {
  it('reads ids of up to 18 digits as Int64 and wider ones as their exact text', async () => {
    const t = await readParquetFile(FILE);
    const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      ra: 'Float64',
      dec: 'Float64',
      z: 'Float64',
      id: 'Utf8',
      id18: 'Int64',
      small: 'Int64',
      big: 'Utf8',
      flux: 'Float64',
    });
    expect(t.getChild('id')!.toArray()).toEqual(k.map((i) => String(18446744073709551615n - i)));
    expect(new Set(t.getChild('id')!.toArray()).size).toBe(ROWS);
    expect([...t.getChild('id18')!]).toEqual(k.map((i) => 999999999999999999n - i));
    expect([...t.getChild('small')!]).toEqual(k.map((i) => i - 40n));
    expect([...t.getChild('big')!]).toEqual(
      k.map((i) => (i === 3n ? null : String(-(10n ** 37n) - i))),
    );
    // a DECIMAL with a scale is a measurement: the double nearest the decimal
    expect([...t.getChild('flux')!].slice(0, 2)).toEqual([
      Number('123456789012345678.91'),
      Number('123456789012345678.92'),
    ]);
  });

  it('reads them exactly in a page of rows too', async () => {
    const tables = [];
    for await (const t of readParquetRows(FILE, 79, 82, ['id', 'id18'])) tables.push(t);
    expect(tables.map((t) => t.getChild('id')!.toArray())).toEqual([
      ['18446744073709551536', '18446744073709551535', '18446744073709551534'],
    ]);
    expect(tables.map((t) => [...t.getChild('id18')!])).toEqual([
      [999999999999999920n, 999999999999999919n, 999999999999999918n],
    ]);
  });

  it('reads DECIMALs stored as variable-length bytes, repeated and missing values', async () => {
    const values = [12345678901234567890123n, -1n, 0n, null, 12345678901234567890123n, 255n];
    const path = join(dir, 'byte-array.parquet');
    writeFileSync(
      path,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [{ name: 'objid', data: values }],
          schema: [
            { name: 'root', num_children: 1 },
            {
              name: 'objid',
              type: 'BYTE_ARRAY',
              repetition_type: 'OPTIONAL',
              converted_type: 'DECIMAL',
              precision: 25,
              scale: 0,
            },
          ],
        }),
      ),
    );
    const t = await readParquetFile(path);
    expect(String(t.schema.fields[0].type)).toBe('Utf8');
    expect([...t.getChild('objid')!]).toEqual(values.map((v) => (v === null ? null : String(v))));
  });
});

// pyarrow's file (test/compute/io/fixtures/make_decimal_scaled_fixtures.py): each DECIMAL column
// with a scale has beside it Python's float() of the same Decimal (`_double`), the double
// nearest the decimal, and its decimal text (`_text`)
const SCALED = join(PROJECT_ROOT, 'test', 'compute', 'io', 'fixtures', 'decimal_scaled.parquet');

describe('DECIMAL(p, s) columns with a scale', () => {
  const names = ['z', 'dec', 'big18', 'flux', 'wide', 'tiny'];

  it('reads each value as the double nearest the decimal, negative and wide ones too', async () => {
    const t = await readParquetFile(SCALED);
    for (const name of names) {
      expect(String(t.getChild(name)!.type), name).toBe('Float64');
      const read = [...t.getChild(name)!];
      // Python's float(Decimal) and JavaScript's Number(text) both round the decimal once
      expect(read, name).toEqual([...t.getChild(`${name}_double`)!]);
      expect(read, name).toEqual(
        [...t.getChild(`${name}_text`)!].map((s) => (s === null ? null : Number(s))),
      );
    }
    // DECIMAL(10, 4): 1.2345 reads 1.2345, not 1.2344999...; negatives keep their sign
    expect([...t.getChild('z')!].slice(0, 6)).toEqual([1.2345, 0.0001, -0.1, 3.9999, 0.3, -1.2345]);
    // DECIMAL(18, 4) beyond 2**53 and DECIMAL(20, 2): one rounding, not two (the unscaled
    // integer made a double, then divided, read 123456789012345664 for ...678.91)
    expect(t.getChild('flux')!.get(0)).toBe(Number('123456789012345678.91'));
    expect(t.getChild('flux')!.get(1)).toBe(Number('-123456789012345678.91'));
    expect(t.getChild('big18')!.get(0)).toBe(Number('99999999999999.9999'));
    expect(t.getChild('wide')!.get(3)).toBeNull();
    expect(t.getChild('wide')!.get(0)).toBe(Number('1234567890123456789012345678.1234567891'));
  });

  it('reads them so in a page of rows too', async () => {
    const tables = [];
    for await (const t of readParquetRows(SCALED, 10, 12, ['flux', 'big18', 'tiny']))
      tables.push(t);
    expect(tables.map((t) => [...t.getChild('flux')!])).toEqual([
      [Number('123456789012345679.0'), Number('98765432109876543.21')],
    ]);
    expect(tables.map((t) => [...t.getChild('big18')!])).toEqual([
      [Number('-12345678901234.5679'), 0],
    ]);
    expect(tables.map((t) => [...t.getChild('tiny')!])).toEqual([
      [Number('0.7071067811865475244008443'), Number('-1.4142135623730950488016887')],
    ]);
  });
});

// pyarrow's file (make_decimal_scaled_fixtures.py): a struct `meta` holding DECIMAL(20, 0) objid
// (18446744073709551615 - k), a list `fluxes` of DECIMAL(20, 2), a struct `small` holding a
// DECIMAL(10, 4) z (0.1234 + k)
const NESTED = join(PROJECT_ROOT, 'test', 'compute', 'io', 'fixtures', 'decimal_nested.parquet');
const metaRefused = (where: string) =>
  `${where}: column 'meta' is a struct holding DECIMAL(20, 0) meta.objid, whose values of more than 15 digits cannot be read inside a struct: they would be rounded to doubles (ids a unit apart, such as 18446744073709551615 and 18446744073709551614, would read as one). Write meta.objid as a column of its own (pyarrow: table.flatten(); a top-level DECIMAL is read exactly) or cast it to string, or write the file without column 'meta'.`;

describe('a DECIMAL inside a struct or list column', () => {
  // the three objids (a unit apart) were read as one double, 18446744073709552000, in silence
  it('refuses a struct holding a DECIMAL(20, 0), naming the column, its field and what to do', async () => {
    await expect(readParquetFile(NESTED)).rejects.toThrow(new UserError(metaRefused(NESTED)));
    await expect(readParquetFile(NESTED, ['ra', 'meta'])).rejects.toThrow(metaRefused(NESTED));
    const stream = streamParquetFile(NESTED, { columns: ['meta'] });
    await expect(stream.next()).rejects.toThrow(metaRefused(NESTED));
  });

  it('refuses a list of DECIMAL(20, 2)', async () => {
    await expect(readParquetFile(NESTED, ['fluxes'])).rejects.toThrow(
      `${NESTED}: column 'fluxes' is a list holding DECIMAL(20, 2) fluxes.list.element, whose values of more than 15 digits cannot be read inside a list: they would be rounded to doubles. Write fluxes.list.element as a column of its own (pyarrow: table.flatten(); a top-level DECIMAL is read exactly) or cast it to string, or write the file without column 'fluxes'.`,
    );
  });

  it('reads the other columns, and a DECIMAL of at most 15 digits inside a struct', async () => {
    const t = await readParquetFile(NESTED, ['ra', 'small']);
    expect([...t.getChild('ra')!]).toEqual([10.2, 10.1, 10]);
    expect([...t.getChild('small')!].map((r) => r?.toJSON())).toEqual([
      { z: 0.1234 },
      { z: 1.1234 },
      { z: 2.1234 },
    ]);
    // the column list (the form's mapping) still has every column
    expect((await readParquetFields(NESTED)).map((f) => f.name)).toEqual([
      '_healpix_29',
      'ra',
      'dec',
      'z',
      'meta',
      'fluxes',
      'small',
    ]);
  });

  it('refuses such a column of a HATS catalog where it is read, and inspect says so', async () => {
    const hats = join(dir, 'nested-hats');
    const pixel = 4; // order 0 pixel of (10, -5)
    mkdirSync(join(hats, 'dataset/Norder=0/Dir=0'), { recursive: true });
    const leaf = join(hats, `dataset/Norder=0/Dir=0/Npix=${pixel}.parquet`);
    copyFileSync(NESTED, leaf);
    writeFileSync(join(hats, 'partition_info.csv'), `Norder,Npix\n0,${pixel}\n`);
    writeFileSync(
      join(hats, 'hats.properties'),
      'obs_collection=nested\ndataproduct_type=object\nhats_nrows=3\nhats_col_ra=ra\nhats_col_dec=dec\nhats_order=0\n',
    );
    try {
      const { catalog } = await openObjectCatalog(hats);
      const p = { order: 0, pixel };
      await expect(catalog.readPartition(p, { columns: ['ra', 'meta'] })).rejects.toThrow(
        metaRefused(leaf),
      );
      const t = await catalog.readPartition(p, { columns: ['ra', 'dec', 'small'] });
      expect([...t.getChild('dec')!]).toEqual([-5.2, -5.1, -5]);
      const json = await inspectHats(hats);
      const lossy = (name: string) => json.catalog.columns.find((c) => c.name === name)?.lossy;
      expect([lossy('meta'), lossy('fluxes'), lossy('small')]).toEqual([
        'a struct holding DECIMAL(20, 0) meta.objid in the files: not read, as its values of more than 15 digits would be rounded to doubles; write meta.objid as a column of its own or cast it to string',
        'a list holding DECIMAL(20, 2) fluxes.list.element in the files: not read, as its values of more than 15 digits would be rounded to doubles; write fluxes.list.element as a column of its own or cast it to string',
        undefined,
      ]);
    } finally {
      rmSync(hats, { recursive: true, force: true });
    }
  });
});
