/**
 * Spec-z ids stored as DECIMAL(20, 0) (a database's numeric(20), pandas' Decimal) were read as
 * doubles: `tsm register` rejected 79 of 80 rows as repeated ids, and `tsm run` and `tsm xmatch`
 * wrote every id as 18446744073709552000, so the unique-galaxy step and the split took the rows
 * for one object. They are copied exactly now, as the same ids written as text are. The file is
 * pyarrow's (test/compute/io/fixtures/make_decimal_fixtures.py gives its values).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHats } from '../../../compute/hats/open';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readParquetFile } from '../../../compute/io/parquet-reader';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../../fixtures';
import { runCliInProcess } from '../../helpers/cli';

const FILE = join(PROJECT_ROOT, 'test', 'compute', 'io', 'fixtures', 'decimal_ids.parquet');
const DR2 = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
const ROWS = 82;
/** The ids pyarrow wrote (k = 0..81), as text. */
const IDS = Array.from({ length: ROWS }, (_, k) => String(18446744073709551615n - BigInt(k)));
const dir = mkdtempSync(join(tmpdir(), 'tsm-decimal-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same entry point as dist/cli.js (compute/cli/main.ts), in this process. */
const tsm = (...args: string[]) => runCliInProcess(args);

/** A CSV output's rows (no quoted fields here) as column -> text. */
function csvRows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const names = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

const RUN = ['--radius-arcsec', '1', '--dereddening', 'none', '--unique-galaxies'];
// a data folder of its own: tsm register refuses one that holds other files (the outputs here)
const dataDir = join(dir, 'data');
const QUIET = ['--seed', '1', '--workers', '0', '--progress', 'none', '--data-dir', dataDir];

describe('DECIMAL(20, 0) spec-z ids', () => {
  /** The fixture with its id as plain text (pyarrow's exact values): what the run must match. */
  const textIds = join(dir, 'text-ids.parquet');
  beforeAll(async () => {
    const t = await readParquetFile(FILE, ['ra', 'dec', 'z']);
    const writer = createTableWriter('parquet', textIds);
    await writer.write(
      tableFromArrays({
        ra: t.getChild('ra')!.toArray() as Float64Array,
        dec: t.getChild('dec')!.toArray() as Float64Array,
        z: t.getChild('z')!.toArray() as Float64Array,
        id: IDS,
      }),
    );
    await writer.close();
  });

  it('tsm register accepts every row and stores the ids exactly', async () => {
    const r = await tsm('register', FILE, '--name', 'decimal', ...QUIET.slice(4), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout.slice(0, r.stdout.indexOf('\nregistered: ')));
    expect(report).toMatchObject({ rowsRead: ROWS, rowsAccepted: ROWS, rowsRejected: 0 });
    const opened = await openHats(join(dataDir, 'catalogs', 'decimal'));
    const catalog = opened.kind === 'catalog' ? opened : opened.main;
    const ids: unknown[] = [];
    for (const pixel of catalog.partitions) {
      ids.push(...(await catalog.readPartition(pixel, { columns: ['id'] })).getChild('id')!);
    }
    expect(ids.map(String).sort()).toEqual([...IDS].sort());
  });

  it('tsm run copies the ids; unique galaxies and the split tell them apart', async () => {
    const runs: Record<string, Record<string, string>[]> = {};
    for (const [name, source] of [
      ['file', ['--specz', FILE, '--id', 'id']],
      ['text', ['--specz', textIds, '--id', 'id']],
      ['registered', ['--specz-id', 'decimal', '--id', 'id']],
    ] as const) {
      const out = join(dir, `run-${name}`);
      const r = await tsm(
        'run',
        ...source,
        '--photometry',
        DR2,
        ...RUN,
        ...QUIET,
        '--format',
        'csv',
        '--out',
        out,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('Warning');
      runs[name] = csvRows(join(out, 'tsm.csv')).map((row) => ({
        id: row.id_specz,
        photometric: row.id,
        tie: row.tie_result,
        train: row.is_training_set,
      }));
    }
    const rows = runs.file;
    // 42 pairs: k = 80 is one galaxy with k = 0 (the smaller id text is kept), k = 81 and k = 1
    // disagree on z (both kept, unresolved)
    expect(rows).toHaveLength(41);
    expect(new Set(rows.map((r) => r.id)).size).toBe(41);
    expect(rows.every((r) => IDS.includes(r.id))).toBe(true);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.has(IDS[0])).toBe(false);
    expect(byId.get(IDS[80])).toMatchObject({ photometric: '1049057662', tie: '1' });
    expect(byId.get(IDS[1])).toMatchObject({ photometric: '1128949549', tie: '2' });
    expect(byId.get(IDS[81])).toMatchObject({ photometric: '1128949549', tie: '2' });
    // both sides of the split get rows (one object took them all), as with the ids as text
    expect(new Set(rows.map((r) => r.train))).toEqual(new Set(['0', '1']));
    const sorted = (list: Record<string, string>[]) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(runs.text).toEqual(rows);
    // the registered catalog is in another row order
    expect(sorted(runs.registered)).toEqual(sorted(rows));
  });

  it('tsm xmatch copies the ids of a spec-z file and of a HATS catalog', async () => {
    // the example's photometric catalog with its ids as DECIMAL(20, 0), 12345678901234567890 + k
    const leaf = await readParquetFile(join(DR2, 'dataset', 'Norder=0', 'Dir=0', 'Npix=4.parquet'));
    const n = leaf.numRows;
    const objids = Array.from({ length: n }, (_, k) => 12345678901234567890n + BigInt(k));
    const hats = join(dir, 'decimal-hats');
    mkdirSync(join(hats, 'dataset', 'Norder=0', 'Dir=0'), { recursive: true });
    writeFileSync(
      join(hats, 'dataset', 'Norder=0', 'Dir=0', 'Npix=4.parquet'),
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: '_healpix_29', data: [...leaf.getChild('_healpix_29')!] },
            { name: 'ra', data: [...leaf.getChild('ra')!] },
            { name: 'dec', data: [...leaf.getChild('dec')!] },
            { name: 'objid', data: objids },
          ],
          schema: [
            { name: 'root', num_children: 4 },
            { name: '_healpix_29', type: 'INT64', repetition_type: 'REQUIRED' },
            { name: 'ra', type: 'DOUBLE', repetition_type: 'REQUIRED' },
            { name: 'dec', type: 'DOUBLE', repetition_type: 'REQUIRED' },
            {
              name: 'objid',
              type: 'FIXED_LEN_BYTE_ARRAY',
              type_length: 9,
              repetition_type: 'REQUIRED',
              converted_type: 'DECIMAL',
              precision: 20,
              scale: 0,
            },
          ],
        }),
      ),
    );
    writeFileSync(join(hats, 'partition_info.csv'), 'Norder,Npix\n0,4\n');
    writeFileSync(
      join(hats, 'hats.properties'),
      `obs_collection=decimal\ndataproduct_type=object\nhats_nrows=${n}\nhats_col_ra=ra\nhats_col_dec=dec\nhats_order=0\n`,
    );
    const out = join(dir, 'xmatch.csv');
    const r = await tsm('xmatch', FILE, hats, '--radius-arcsec', '1', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(out);
    expect(rows).toHaveLength(42);
    // each pair: the spec-z id and the photometric id of the same position, exactly
    const objidByRa = new Map(
      [...leaf.getChild('ra')!].map((ra, k) => [String(ra), String(objids[k])]),
    );
    expect(new Set(rows.map((row) => row.id_left)).size).toBe(42);
    expect(new Set(rows.map((row) => row.objid_right)).size).toBe(40);
    for (const row of rows) {
      expect(IDS).toContain(row.id_left);
      expect(row.objid_right).toBe(objidByRa.get(row.ra_right));
    }
    // a run against that catalog writes its ids exactly too
    const runOut = join(dir, 'run-hats');
    const run = await tsm(
      'run',
      '--specz',
      FILE,
      '--id',
      'id',
      '--photometry',
      hats,
      ...RUN,
      ...QUIET,
      '--format',
      'csv',
      '--out',
      runOut,
    );
    expect(run.code, run.stderr).toBe(0);
    const written = csvRows(join(runOut, 'tsm.csv'));
    expect(new Set(written.map((row) => row.objid)).size).toBe(40);
    expect(written.every((row) => objids.map(String).includes(row.objid))).toBe(true);
  });
});
