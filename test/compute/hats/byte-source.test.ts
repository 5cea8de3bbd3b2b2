/**
 * LocalFileSource's synchronous reads (how worker threads read local catalogs): withBytesSync lends
 * a buffer the next read reuses, and the row groups read through it equal those read through the
 * asynchronous path, on LSDB's test partitions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { LocalFileSource } from '../../../compute/hats/byte-source';
import { openParquet, readRowGroup } from '../../../compute/hats/parquet-file';
import { arrowSchemaFromParquet } from '../../../compute/hats/parquet-schema';
import { LSDB_DATA } from '../../fixtures';

const SOURCE_PARTITIONS = join(
  LSDB_DATA,
  'small_sky_order3_source',
  'dataset',
  'Norder=3',
  'Dir=0',
);
const partitions = readdirSync(SOURCE_PARTITIONS)
  .filter((f) => f.endsWith('.parquet'))
  .sort()
  .slice(0, 6)
  .map((f) => join(SOURCE_PARTITIONS, f));

describe('LocalFileSource.withBytesSync', () => {
  it('gives the bytes of the range in a buffer the next read reuses', () => {
    const path = partitions[0];
    const whole = readFileSync(path);
    const source = new LocalFileSource(path, true);
    const buffers: ArrayBufferLike[] = [];
    for (const [start, end] of [
      [0, 100],
      [4, whole.length],
      [whole.length - 8, whole.length],
      [10, 10],
    ]) {
      const copy = source.withBytesSync!(start, end, (bytes) => {
        buffers.push(bytes.buffer);
        return Buffer.from(bytes);
      });
      expect(copy.equals(whole.subarray(start, end)), `${start}-${end}`).toBe(true);
    }
    expect(new Set(buffers).size).toBe(1);
  });

  it('gives a read inside another one a buffer of its own', () => {
    const path = partitions[0];
    const whole = readFileSync(path);
    const source = new LocalFileSource(path, true);
    source.withBytesSync!(0, 64, (outer) => {
      const before = Buffer.from(outer);
      const inner = source.withBytesSync!(64, 128, (bytes) => {
        expect(bytes.buffer).not.toBe(outer.buffer);
        return Buffer.from(bytes);
      });
      expect(inner.equals(whole.subarray(64, 128))).toBe(true);
      expect(Buffer.from(outer).equals(before)).toBe(true);
    });
  });

  it('rejects a range outside the file, naming it', () => {
    const path = partitions[0];
    const size = readFileSync(path).length;
    const source = new LocalFileSource(path, true);
    expect(() => source.withBytesSync!(size - 4, size + 4, () => 0)).toThrow(
      new RegExp(`Npix=\\d+\\.parquet: byte range ${size - 4}-${size + 4} is outside the file`),
    );
  });

  it('is offered only by synchronous sources', () => {
    expect(new LocalFileSource(partitions[0], false).withBytesSync).toBeUndefined();
  });

  it('reads the same row groups as the asynchronous path, whole and picked', async () => {
    for (const path of partitions) {
      const sync = await openParquet(new LocalFileSource(path, true));
      const async = await openParquet(new LocalFileSource(path, false));
      const fields = arrowSchemaFromParquet(sync.metadata).schema.fields;
      for (let g = 0; g < sync.metadata.row_groups.length; g++) {
        const rows = sync.rowGroupStarts[g + 1] - sync.rowGroupStarts[g];
        const picks = Uint32Array.from({ length: rows }, (_, i) => i).filter((i) => i % 3 === 1);
        for (const select of [undefined, picks]) {
          const a = await readRowGroup(sync, g, fields, select);
          const b = await readRowGroup(async, g, fields, select);
          expect(a.numRows).toBe(select ? select.length : rows);
          expect(a.numRows).toBeGreaterThan(0);
          expect(Buffer.from(tableToIPC(a)).equals(Buffer.from(tableToIPC(b))), path).toBe(true);
        }
      }
    }
  });
});
