/**
 * Every writer of compute/io, given a schema and no row (an empty training set), writes a valid
 * file that our readers open with every column and 0 rows; no `.partial` is left.
 */
import { open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Float32, Float64, Int32, Int64, Schema, Utf8 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { openHats } from '../../compute/hats/open';
import { createTableWriter } from '../../compute/io/create-table-writer';
import { readFitsHdus } from '../../compute/io/fits-reader';
import { readParquetFile } from '../../compute/io/parquet-file';
import { OUTPUT_FORMATS, type OutputFormat } from '../../compute/io/table-writer';
import { tempDir } from './helpers';

const { dir, cleanup } = tempDir('tsm-rel-empty-');
afterAll(cleanup);

const SCHEMA = new Schema([
  new Field('id', new Int64(), true),
  new Field('ra', new Float64(), true),
  new Field('dec', new Float64(), true),
  new Field('name', new Utf8(), true),
  new Field('mag_g', new Float32(), true),
  new Field('is_training_set', new Int32(), true),
]);
const NAMES = SCHEMA.fields.map((f) => f.name);
const EXT: Record<OutputFormat, string> = {
  parquet: '.parquet',
  csv: '.csv',
  fits: '.fits',
  hdf5: '.hdf5',
  hats: '.hats',
};

describe('writers with a schema and no row', () => {
  it.each(OUTPUT_FORMATS)('%s: a valid empty output with every column', async (format) => {
    const path = join(dir, `empty${EXT[format]}`);
    const writer = createTableWriter(format, path, {
      schema: SCHEMA,
      hats: { raColumn: 'ra', decColumn: 'dec', marginThresholdArcsec: 5 },
    });
    const result = await writer.close();
    expect(result.rows).toBe(0);
    expect((await readdir(dir)).filter((n) => n.includes('partial'))).toEqual([]);
    switch (format) {
      case 'parquet': {
        const t = await readParquetFile(path);
        expect(t.numRows).toBe(0);
        expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(
          SCHEMA.fields.map((f) => `${f.name}:${String(f.type)}`),
        );
        break;
      }
      case 'csv':
        expect(await readFile(path, 'utf8')).toBe(`${NAMES.join(',')}\r\n`);
        break;
      case 'fits': {
        const handle = await open(path, 'r');
        const hdus = await readFitsHdus(handle, (await handle.stat()).size, path);
        await handle.close();
        const t = hdus[1].cards;
        expect(t.get('NAXIS2')).toBe('0');
        expect(NAMES.map((_, k) => t.get(`TTYPE${k + 1}`))).toEqual(NAMES);
        // FITS Standard 4.0 Table 18: K int64, D float64, E float32, J int32, nA text
        expect(NAMES.map((_, k) => t.get(`TFORM${k + 1}`))).toEqual([
          'K',
          'D',
          'D',
          '1A',
          'E',
          'J',
        ]);
        break;
      }
      case 'hdf5': {
        const h5wasm = (await import('h5wasm/node')).default;
        await h5wasm.ready;
        const file = new h5wasm.File(path, 'r');
        const ds = file.get('data') as InstanceType<typeof h5wasm.Dataset>;
        expect(ds.shape).toEqual([0]);
        expect(ds.metadata.compound_type!.members.map((m) => m.name)).toEqual(NAMES);
        file.close();
        break;
      }
      case 'hats': {
        const opened = await openHats(path);
        if (opened.kind !== 'collection') throw new Error('expected a collection');
        expect(opened.main.partitions).toEqual([]);
        expect(opened.main.schema.fields.map((f) => f.name)).toEqual(['_healpix_29', ...NAMES]);
        expect(opened.main.properties.totalRows).toBe(0);
        break;
      }
    }
  });
});
