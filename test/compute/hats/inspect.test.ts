import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../compute/cli/command';
import { inspectCommand } from '../../../compute/cli/inspect';
import { HatsError, openHats } from '../../../compute/hats';
import { ang2pixNestBatch } from '../../../compute/healpix';
import { formatInspection, inspectHats } from '../../../compute/hats/inspect';
import { LSDB_DATA } from '../../fixtures';
import { tempCopy } from './helpers';

async function runInspect(argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    signal: new AbortController().signal,
    isTTY: false,
  };
  const code = await inspectCommand.run(argv, io);
  return { code, out };
}

describe('tsm inspect', () => {
  it('prints kind, rows, partitions per order and margins of small_sky_order1_collection', async () => {
    const { code, out } = await runInspect([join(LSDB_DATA, 'small_sky_order1_collection')]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^kind +collection small_sky_order1_collection$/m);
    expect(text).toMatch(/^rows +131$/m);
    expect(text).toMatch(/^partitions +4 \(order 1: 4\) from partition_info\.csv$/m);
    expect(text).toMatch(/^ {2}_healpix_29 +Int64$/m);
    expect(text).toMatch(/^ {2}ra +Float64$/m);
    expect(text).toContain(
      'small_sky_order1_margin_1deg (default): 3600 arcsec, 23 rows, 5 partitions',
    );
    expect(text).toContain('small_sky_order1_margin_2deg: 7200 arcsec, 47 rows, 7 partitions');
    expect(text).toContain('id -> small_sky_order1_id_index');
  });

  it("takes a lone '--' as the end of options, and says '1 row, 1 partition' of a margin", async () => {
    const collection = join(LSDB_DATA, 'small_sky_order1_collection');
    const { code, out } = await runInspect(['--', collection]);
    expect(code).toBe(0);
    expect(out).toEqual((await runInspect([collection])).out);
    const inspection = await inspectHats(collection);
    inspection.margins[0] = { ...inspection.margins[0], rows: 1, partitions: 1 };
    expect(formatInspection(inspection)).toContain(
      '  small_sky_order1_margin_1deg (default): 3600 arcsec, 1 row, 1 partition',
    );
  });

  it('--json gives the same facts as data', async () => {
    const { out } = await runInspect(['--json', join(LSDB_DATA, 'small_sky_source')]);
    const data = JSON.parse(out.join('\n'));
    expect(data.kind).toBe('catalog');
    expect(data.catalog).toMatchObject({
      name: 'small_sky_source',
      catalogType: 'source',
      rows: 17161,
      partitions: 14,
    });
    // small_sky_source/partition_info.csv: (1,47) then 13 pixels at order 2.
    expect(data.catalog.partitionsPerOrder).toEqual({ 1: 1, 2: 13 });
    expect(data.catalog.columns.map((c: { name: string }) => c.name)).toContain('mag');
    expect(data.margins).toEqual([]);
  });

  it('computes the sky fraction from the partitions when moc_sky_fraction is absent', async () => {
    const source = join(LSDB_DATA, 'small_sky_order3_source');
    const recorded = await inspectHats(source);
    expect(recorded.catalog).toMatchObject({
      skyFraction: 0.05599,
      skyFractionSource: 'moc_sky_fraction',
    });
    const copy = tempCopy(source);
    for (const f of ['hats.properties', 'properties']) {
      const path = join(copy, f);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^moc_sky_fraction=.*$/m, ''));
    }
    const computed = await inspectHats(copy);
    expect(computed.catalog.skyFractionSource).toBe('partitions');
    // 43 partitions of order 3: 43 / (12 * 4^3), which hats rounded to 0.05599.
    expect(computed.catalog.skyFraction).toBeCloseTo(43 / 768, 12);
    expect(computed.catalog.skyFraction).toBeCloseTo(0.05599, 5);
  });

  it('runs extra section providers (the hook for other rooms)', async () => {
    const i = await inspectHats(join(LSDB_DATA, 'small_sky'), [
      ({ catalog }) => ({
        title: 'extra',
        lines: [`${catalog.columnNames.length} columns`],
        data: { n: 6 },
      }),
      () => undefined,
    ]);
    expect(i.sections).toEqual([{ title: 'extra', lines: ['6 columns'], data: { n: 6 } }]);
  });

  it('refuses a folder that is not HATS with a message naming it', async () => {
    const err = await runInspect([LSDB_DATA]).catch((e) => e);
    expect(err).toBeInstanceOf(HatsError);
    expect(err.message).toContain(
      `${LSDB_DATA}: no hats.properties, properties or collection.properties file`,
    );
  });
});

describe('tsm inspect: a DECIMAL id column', () => {
  // a DECIMAL(20, 0) id (what some writers make of unsigned 64-bit ids) was listed as a plain
  // Float64, and its values were read as doubles: two ids a unit apart came out as one. It is
  // read as its exact text now; a DECIMAL with a scale is still a double, and said to be rounded
  it('reads a DECIMAL id exactly, and says a DECIMAL of more than 15 digits with a scale is rounded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsm-inspect-decimal-'));
    try {
      const pixel = 4; // order 0 pixel of (10, -5)
      const ids = [18446744073709551615n, 18446744073709551614n];
      const leaf = parquetWriteBuffer({
        columnData: [
          {
            name: '_healpix_29',
            data: Array.from(
              ang2pixNestBatch(29, Float64Array.of(10, 10.1), Float64Array.of(-5, -5.1)),
            ),
          },
          { name: 'ra', data: [10, 10.1] },
          { name: 'dec', data: [-5, -5.1] },
          { name: 'price', data: [1.25, 2.5] },
          { name: 'objid', data: ids },
          { name: 'flux', data: [125n, 250n] },
          { name: 'mass', data: [12345678901234567891n, 1n] },
          { name: 'count', data: [999999999999999999n, 999999999999999998n] },
        ],
        schema: [
          { name: 'root', num_children: 8 },
          { name: '_healpix_29', type: 'INT64', repetition_type: 'REQUIRED' },
          { name: 'ra', type: 'DOUBLE', repetition_type: 'REQUIRED' },
          { name: 'dec', type: 'DOUBLE', repetition_type: 'REQUIRED' },
          { name: 'price', type: 'DOUBLE', repetition_type: 'REQUIRED' },
          {
            name: 'objid',
            type: 'FIXED_LEN_BYTE_ARRAY',
            type_length: 9,
            repetition_type: 'REQUIRED',
            converted_type: 'DECIMAL',
            precision: 20,
            scale: 0,
          },
          {
            name: 'flux',
            type: 'INT64',
            repetition_type: 'REQUIRED',
            converted_type: 'DECIMAL',
            precision: 10,
            scale: 2,
          },
          {
            name: 'mass',
            type: 'FIXED_LEN_BYTE_ARRAY',
            type_length: 9,
            repetition_type: 'REQUIRED',
            converted_type: 'DECIMAL',
            precision: 20,
            scale: 2,
          },
          {
            name: 'count',
            type: 'INT64',
            repetition_type: 'REQUIRED',
            converted_type: 'DECIMAL',
            precision: 18,
            scale: 0,
          },
        ],
      });
      mkdirSync(join(dir, 'dataset/Norder=0/Dir=0'), { recursive: true });
      writeFileSync(join(dir, `dataset/Norder=0/Dir=0/Npix=${pixel}.parquet`), Buffer.from(leaf));
      writeFileSync(join(dir, 'partition_info.csv'), `Norder,Npix\n0,${pixel}\n`);
      writeFileSync(
        join(dir, 'hats.properties'),
        'obs_collection=decimal\ndataproduct_type=object\nhats_nrows=2\nhats_col_ra=ra\nhats_col_dec=dec\nhats_order=0\n',
      );
      const { code, out } = await runInspect([dir]);
      expect(code).toBe(0);
      // a column's line, its name, type and note apart
      const line = (name: string) =>
        out
          .find((l) => l.startsWith(`  ${name} `))
          ?.trim()
          .split(/ {2,}/);
      expect(line('objid')).toEqual([
        'objid',
        'Utf8',
        '(DECIMAL(20, 0) in the files, read exactly: as its decimal text (19 digits can exceed Int64))',
      ]);
      expect(line('mass')).toEqual([
        'mass',
        'Float64',
        '(DECIMAL(20, 2) in the files, read as Float64: exact to 15 significant digits, so values of more digits are rounded)',
      ]);
      expect(line('count')).toEqual([
        'count',
        'Int64',
        '(DECIMAL(18, 0) in the files, read exactly: as Int64)',
      ]);
      // 10 digits: exact as a double, nothing said
      expect(line('flux')).toEqual(['flux', 'Float64']);
      expect(line('price')).toEqual(['price', 'Float64']);
      const catalog = await openHats(dir);
      if (catalog.kind !== 'catalog') throw new Error('a catalog');
      const rows = await catalog.readPartition({ order: 0, pixel });
      expect([...rows.getChild('objid')!]).toEqual([
        '18446744073709551615',
        '18446744073709551614',
      ]);
      expect([...rows.getChild('flux')!]).toEqual([1.25, 2.5]);
      expect([...rows.getChild('count')!]).toEqual([999999999999999999n, 999999999999999998n]);
      const json = await inspectHats(dir);
      const objid = json.catalog.columns.find((c) => c.name === 'objid');
      expect(objid?.lossy).toBeUndefined();
      expect(objid?.exact).toMatch(/^DECIMAL\(20, 0\) in the files, read exactly/);
      expect(json.catalog.columns.find((c) => c.name === 'mass')?.lossy).toMatch(
        /^DECIMAL\(20, 2\) in the files/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
