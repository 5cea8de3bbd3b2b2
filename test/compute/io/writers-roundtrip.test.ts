import { existsSync, readdirSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  vectorFromArray,
} from 'apache-arrow';
import { UserError } from '../../../compute/errors';
import h5wasm from 'h5wasm/node';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readDelimited } from '../../../compute/io/delimited-reader';
import { readFitsHdus, readFitsTable } from '../../../compute/io/fits-reader';
import { readHdf5Table } from '../../../compute/io/hdf5-reader';
import { readParquetFile } from '../../../compute/io/parquet-file';
import type { OutputFormat } from '../../../compute/io/table-writer';
import { useTempDir } from './helpers';
import { BIG_ID, SAMPLE_BATCHES, sampleBatch } from './sample-table';

const tmp = useTempDir();

/** The table with every field declared non-nullable (its values have no nulls). */
const required = (t: Table): Table => {
  const schema = new Schema(t.schema.fields.map((f) => new Field(f.name, f.type, false)));
  return new Table(t.batches.map((b) => new RecordBatch(schema, b.data)));
};

const META = {
  radius_arcsec: '1.0',
  photometric_catalog: `/data/${'very-long-folder/'.repeat(8)}dp1`,
};

async function writeSample(format: OutputFormat, path: string) {
  const writer = createTableWriter(format, path, { metadata: META, units: { ra: 'deg' } });
  for (const [s, n] of SAMPLE_BATCHES) await writer.write(sampleBatch(s, n));
  return writer.close();
}

async function collect(gen: AsyncIterable<Table>): Promise<Table> {
  const tables: Table[] = [];
  for await (const t of gen) tables.push(t);
  return tables.reduce((a, b) => a.concat(b));
}

const expected = sampleBatch(0, 2500);
const col = (t: Table, name: string) => [...t.getChild(name)!];

function expectSameCore(
  got: Table,
  opts: { nullString: string | null; nullBool: boolean | null; emptyIsNull?: boolean },
) {
  expect(got.numRows).toBe(2500);
  expect(col(got, 'id')).toEqual(col(expected, 'id'));
  expect(col(got, 'id')[0]).toBe(BIG_ID);
  const ra = got.getChild('ra')!.toArray() as Float64Array;
  const raWant = expected.getChild('ra')!.toArray() as Float64Array;
  raWant.forEach((v, i) => (Number.isNaN(v) ? expect(ra[i]).toBeNaN() : expect(ra[i]).toBe(v)));
  const mag = [...got.getChild('mag')!].map(Number);
  expect(mag.map((v) => Math.fround(v))).toEqual([...expected.getChild('mag')!]);
  expect(col(got, 'n').map(Number)).toEqual(col(expected, 'n'));
  expect(col(got, 'flag')).toEqual(
    col(expected, 'flag').map((v) => (v === null ? opts.nullBool : v)),
  );
  expect(col(got, 'name')).toEqual(
    col(expected, 'name').map((v) =>
      v === null || (opts.emptyIsNull && v === '') ? opts.nullString : v,
    ),
  );
}

describe('table writers round-trip through our readers', () => {
  it('parquet keeps every type, nulls, NaN and the run metadata', async () => {
    const path = join(tmp.dir, 'ts.parquet');
    const res = await writeSample('parquet', path);
    expect(res.rows).toBe(2500);
    const got = await readParquetFile(path);
    expectSameCore(got, { nullString: null, nullBool: null });
    expect(String(got.schema.fields.find((f) => f.name === 'mag')!.type)).toBe('Float32');
    const file = await pq.ParquetFile.fromFile(await openAsBlob(path));
    const kv = file.metadata().fileMetadata().keyValueMetadata();
    expect(kv.get('radius_arcsec')).toBe('1.0');
    // in the stored Arrow schema too, where pyarrow looks for a schema's metadata
    const stored = tableFromIPC(Buffer.from(kv.get('ARROW:schema')!, 'base64'));
    expect(stored.schema.metadata.get('radius_arcsec')).toBe('1.0');
    expect(stored.schema.fields.map((f) => f.name)).toEqual(got.schema.fields.map((f) => f.name));
    expect(readdirSync(tmp.dir)).toEqual(['ts.parquet']);
  });

  it('csv writes RFC 4180 and reads back (NaN and null as empty fields; an empty field reads as null, as in pandas)', async () => {
    const path = join(tmp.dir, 'ts.csv');
    await writeSample('csv', path);
    const batches: Table[] = [];
    for await (const b of readDelimited(path)) {
      expect(b.rejected).toEqual([]);
      batches.push(b.table);
    }
    const got = batches.reduce((a, b) => a.concat(b)); // typed by the reader
    expect(got.schema.fields.map((f) => String(f.type))).toEqual([
      'Int64',
      'Float64',
      'Float64',
      'Int64',
      'Bool',
      'Utf8',
    ]);
    expectSameCore(got, { nullString: null, nullBool: null, emptyIsNull: true });
  });

  it('fits writes a valid BINTABLE that reads back, with units and header cards', async () => {
    const path = join(tmp.dir, 'ts.fits');
    const res = await writeSample('fits', path);
    expect(res.bytes % 2880).toBe(0);
    const got = await collect(readFitsTable(path));
    expectSameCore(got, { nullString: '', nullBool: null });
    const handle = await open(path, 'r');
    const hdus = await readFitsHdus(handle, res.bytes, path);
    await handle.close();
    const cards = hdus[1].cards;
    expect(cards.get('TFORM1')).toBe('K');
    expect(cards.get('TFORM3')).toBe('E');
    expect(cards.get('TUNIT2')).toBe('deg');
    expect(cards.get('TFORM6')).toBe('11A'); // 'line\nbreak' and 'ünïcödé' (11 UTF-8 bytes)
    expect(cards.get('NAXIS2')).toBe('2500');
    expect(cards.get('RADIUS_ARCSEC')).toBe('1.0');
    expect(cards.get('PHOTOMETRIC_CATALOG')).toBe(META.photometric_catalog);
  });

  it('hdf5 writes one compound dataset that reads back, with attributes and astropy meta', async () => {
    const path = join(tmp.dir, 'ts.hdf5');
    await writeSample('hdf5', path);
    const got = await collect(readHdf5Table(path, { batchRows: 700 }));
    // nulls stay null: the boolean and string columns have nulls, so each gets its mask
    expectSameCore(got, { nullString: null, nullBool: null });
    await h5wasm.ready;
    const f = new h5wasm.File(path, 'r');
    try {
      expect(f.keys().sort()).toEqual(['data', 'data.__table_column_meta__']);
      const ds = f.get('data') as InstanceType<typeof h5wasm.Dataset>;
      expect(ds.attrs['radius_arcsec'].value).toBe('1.0');
      expect(ds.metadata.compound_type!.members.map((m) => m.name)).toEqual([
        'id',
        'ra',
        'mag',
        'n',
        'flag',
        'flag.mask',
        'name',
        'name.mask',
      ]);
      const meta = (f.get('data.__table_column_meta__') as InstanceType<typeof h5wasm.Dataset>)
        .value as string[];
      expect(meta).toContain('- {name: "ra", unit: "deg", datatype: float64}');
      // a MaskedColumn as astropy 7 writes it (Table.write(..., serialize_meta=True)), names quoted
      const at = meta.indexOf('- __serialized_columns__:');
      expect(meta.slice(at, at + 9)).toEqual([
        '- __serialized_columns__:',
        '    "flag":',
        '      __class__: astropy.table.column.MaskedColumn',
        '      data: !astropy.table.SerializedColumn {name: "flag"}',
        '      mask: !astropy.table.SerializedColumn {name: "flag.mask"}',
        '    "name":',
        '      __class__: astropy.table.column.MaskedColumn',
        '      data: !astropy.table.SerializedColumn {name: "name"}',
        '      mask: !astropy.table.SerializedColumn {name: "name.mask"}',
      ]);
      const rows = ds.slice([[0, 14]]) as unknown as unknown[][];
      // row 0: flag null (0 % 13), name 'plain'; row 6: name null (NAMES[6])
      expect(rows.map((r) => [r[5], r[7]])).toEqual(
        Array.from({ length: 14 }, (_, i) => [i % 13 === 0 ? 1 : 0, i % 8 === 6 ? 1 : 0]),
      );
    } finally {
      f.close();
    }
  });

  it.each(['fits', 'hdf5'] as const)(
    '%s: numeric batches go straight to the partial file, string batches wait in the spill folder',
    async (format) => {
      const path = join(tmp.dir, `n.${format}`);
      const numeric = createTableWriter(format, path, {});
      // HDF5 also holds back columns that may have nulls and have no NaN for them (the mask
      // columns are declared first): these three are declared without nulls
      const numbers = (start: number, n: number) =>
        required(sampleBatch(start, n).select(['id', 'ra', 'n']));
      await numeric.write(numbers(0, 700));
      expect(readdirSync(tmp.dir)).toEqual([`n.${format}.partial`]);
      await numeric.write(numbers(700, 300));
      expect((await numeric.close()).rows).toBe(1000);
      const read = format === 'fits' ? readFitsTable(path) : readHdf5Table(path);
      const got = await collect(read);
      const want = sampleBatch(0, 1000);
      expect(col(got, 'id')).toEqual(col(want, 'id'));
      expect(col(got, 'n').map(Number)).toEqual(col(want, 'n'));
      const ra = got.getChild('ra')!.toArray() as Float64Array;
      [...want.getChild('ra')!].forEach((v, i) =>
        Number.isNaN(v) ? expect(ra[i]).toBeNaN() : expect(ra[i]).toBe(v),
      );

      const strings = createTableWriter(format, join(tmp.dir, `s.${format}`), {});
      await strings.write(sampleBatch(0, 10));
      expect(readdirSync(tmp.dir).sort()).toEqual([`n.${format}`, `s.${format}.partial.tmp`]);
      await strings.abort();
      const open = createTableWriter(format, join(tmp.dir, `o.${format}`), {});
      await open.write(sampleBatch(0, 10).select(['id', 'ra']));
      await open.abort(); // closes the open partial file before removing it
      expect(readdirSync(tmp.dir)).toEqual([`n.${format}`]);
    },
  );

  it.each(['parquet', 'csv', 'fits', 'hdf5'] as const)(
    '%s: abort leaves no file and no partial',
    async (format) => {
      const path = join(tmp.dir, `x.${format}`);
      const writer = createTableWriter(format, path, {});
      await writer.write(sampleBatch(0, 100));
      await writer.abort();
      expect(existsSync(path)).toBe(false);
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
  );

  it.each(['parquet', 'csv', 'fits', 'hdf5'] as const)(
    '%s: refuses a batch with other columns',
    async (format) => {
      const path = join(tmp.dir, `y.${format}`);
      const writer = createTableWriter(format, path, {});
      await writer.write(sampleBatch(0, 10));
      await expect(writer.write(sampleBatch(0, 10).select(['id', 'ra']))).rejects.toThrow(
        /columns/,
      );
      await writer.abort();
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
  );

  it.each(['fits', 'hdf5'] as const)(
    '%s: a nested column is refused in words (a UserError naming it and what to do), nothing left',
    async (format) => {
      const nested = new Table({
        id: vectorFromArray([1, 2], new Int32()),
        sources: vectorFromArray(
          [{ mag: 1 }, { mag: 2 }],
          new Struct([new Field('mag', new Float64(), true)]),
        ),
      });
      const path = join(tmp.dir, `nested.${format}`);
      const writer = createTableWriter(format, path, {});
      const err = await writer
        .write(nested)
        .then(() => writer.close())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^column 'sources' has type Struct.*which ${format.toUpperCase()} output does not support: leave it out \\(photometry.columns, --columns\\) or write Parquet, CSV or HATS$`,
        ),
      );
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
  );

  it('hdf5: a small table makes a small file (its chunk no larger than its rows)', async () => {
    const path = join(tmp.dir, 'small.hdf5');
    const writer = createTableWriter('hdf5', path, {});
    await writer.write(sampleBatch(0, 54));
    const { rows, bytes } = await writer.close();
    expect(rows).toBe(54);
    // 54 rows of ~45 bytes: it was a 1 MB chunk whatever the rows
    expect(bytes).toBeLessThan(64 * 1024);
    const got = await collect(readHdf5Table(path));
    expect(col(got, 'id')).toEqual(col(sampleBatch(0, 54), 'id'));
  });
});
