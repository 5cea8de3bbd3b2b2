import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { LSDB_DATA, PROJECT_ROOT } from '../../fixtures';
import { runCli, runCliInProcess } from '../../helpers/cli';
import { expectSamePairs, pairsOf, readExpected, type Pair } from './golden';

const dir = mkdtempSync(join(tmpdir(), 'tsm-xmatch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tsm = (...args: string[]) => runCli(['xmatch', ...args]);
/** The same entry point as dist/cli.js (compute/cli/main.ts), in this process: faster. */
const tsmInProcess = (...args: string[]) => runCliInProcess(['xmatch', ...args]);

/** Parses our CSV output (no quoted fields in these columns). */
function csvPairs(path: string): Pair[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const [l, r, d] = ['id_left', 'id_right', '_dist_arcsec'].map((c) => header.indexOf(c));
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    return {
      left: Number(f[l]),
      right: f[r] === '' ? null : Number(f[r]),
      distArcsec: f[d] === '' ? null : Number(f[d]),
    };
  });
}

const smallSkyCsv = join(LSDB_DATA, 'raw', 'small_sky', 'small_sky.csv');
const xmatch = join(LSDB_DATA, 'small_sky_xmatch');
const margin = join(LSDB_DATA, 'small_sky_xmatch_margin');

describe('tsm xmatch', () => {
  it('matches a CSV left file against a HATS catalog + margin like LSDB (190 rows), as CSV', async () => {
    const out = join(dir, 'a.csv');
    const r = await tsm(
      smallSkyCsv,
      xmatch,
      '--margin',
      margin,
      '--radius-arcsec',
      '7200',
      '--n-neighbors',
      '3',
      '--out',
      out,
      '--workers',
      '2',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('190 rows');
    expectSamePairs(csvPairs(out), readExpected('xmatch_correct_3n_2t.csv'));
    expect(existsSync(`${out}.partial`)).toBe(false);
    const header = readFileSync(out, 'utf8').split(/\r?\n/)[0];
    expect(header).toBe(
      '_healpix_29,id_left,ra_left,dec_left,ra_error_left,dec_error_left,id_right,ra_right,dec_right,ra_error_right,dec_error_right,calculated_dist_right,_dist_arcsec',
    );
  });

  it('writes Parquet; HATS left, no margin and --border-rows off gives LSDB no-margin rows (185)', async () => {
    const out = join(dir, 'b.parquet');
    const r = await tsm(
      join(LSDB_DATA, 'small_sky'),
      xmatch,
      '--margin',
      'none',
      '--border-rows',
      'off',
      '--radius-arcsec',
      '7200',
      '--n-neighbors',
      '3',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const t = await readParquetFile(out);
    expectSamePairs(
      pairsOf([t], 'id_left', 'id_right'),
      readExpected('xmatch_correct_3n_2t_no_margin.csv'),
    );
  });

  it('left join writes unmatched left rows with empty right fields', async () => {
    const out = join(dir, 'c.csv');
    const r = await tsm(
      join(LSDB_DATA, 'small_sky'),
      xmatch,
      '--how',
      'left',
      '--radius-arcsec',
      '36',
      '--border-rows',
      'off',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const pairs = csvPairs(out);
    expect(pairs.length).toBe(131);
    expect(pairs.filter((p) => p.right === null).length).toBe(131 - 103);
  });

  // The demo's spec-z (RA 0-70, Dec -60-10) and small_sky_xmatch (RA ~280-330, Dec ~-25--70)
  // share partitions at order 0 but no coverage-map pixel: the crossmatch has no task. It used
  // to end in "internal error: nothing to write and no schema given" (exit 1).
  it('catalogs whose coverage does not overlap: an empty output with every column, exit 0, a warning', async () => {
    const specz = join(PROJECT_ROOT, 'compute', 'demo', 'data', 'specz.parquet');
    const none = join(dir, 'no-overlap.parquet');
    const r = await tsmInProcess(specz, xmatch, '--radius-arcsec', '1', '--out', none);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 rows from 0 pixels');
    expect(r.stderr.trim()).toBe(
      `No cross matches were found: no row of ${specz} has a row of ${xmatch} within 1 arcsec. Check that the catalogs overlap on the sky, or use a larger radius.`,
    );
    const t = await readParquetFile(none);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      '_healpix_29:Int64',
      'ra_left:Float64',
      'dec_left:Float64',
      'z_left:Float64',
      'id_left:Int64',
      'id_right:Int64',
      'ra_right:Float64',
      'dec_right:Float64',
      'ra_error_right:Float64',
      'dec_error_right:Float64',
      'calculated_dist_right:Float64',
      '_dist_arcsec:Float64',
    ]);
    // in a folder that does not exist yet: made, as tsm run makes its output folder
    const csv = join(dir, 'new', 'sub', 'no-overlap.csv');
    expect((await tsmInProcess(specz, xmatch, '--radius-arcsec', '1', '--out', csv)).code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe(`${t.schema.fields.map((f) => f.name).join(',')}\r\n`);
  });

  const bad: [string, string[], RegExp][] = [
    ['a missing radius', [smallSkyCsv, xmatch], /--radius-arcsec is required/],
    [
      'a zero radius',
      [smallSkyCsv, xmatch, '--radius-arcsec', '0'],
      /^tsm xmatch: --radius-arcsec must be a positive number of arcsec \(got 0\)/,
    ],
    [
      'a radius beyond the whole sky',
      [smallSkyCsv, xmatch, '--radius-arcsec', '1296000'],
      /must be at most 648000 arcsec \(180 degrees, the whole sky; got 1296000\)/,
    ],
    [
      'a non-number',
      [smallSkyCsv, xmatch, '--radius-arcsec', 'abc'],
      /--radius-arcsec must be a decimal number \(got 'abc'\)/,
    ],
    [
      'a hexadecimal number',
      [smallSkyCsv, xmatch, '--radius-arcsec', '0x1'],
      /--radius-arcsec must be a decimal number \(got '0x1'\)/,
    ],
    [
      'a fractional neighbour count',
      [smallSkyCsv, xmatch, '--radius-arcsec', '1', '--n-neighbors', '1.5'],
      /--n-neighbors must be a whole number >= 1 \(got '1.5'\)/,
    ],
    ['an unknown option', [smallSkyCsv, xmatch, '--radius-arcsec', '1', '--bogus', '1'], /bogus/],
    [
      'a bad --how',
      [smallSkyCsv, xmatch, '--radius-arcsec', '1', '--how', 'outer'],
      /--how must be one of inner, left/,
    ],
    [
      'an unreadable right catalog',
      [smallSkyCsv, join(dir, 'nope'), '--radius-arcsec', '1'],
      /nope/,
    ],
    [
      'a missing left file',
      [join(dir, 'none.csv'), xmatch, '--radius-arcsec', '1'],
      /none.csv: no such file or folder/,
    ],
    [
      'a margin thinner than the radius with --border-rows off',
      [smallSkyCsv, xmatch, '--margin', margin, '--border-rows', 'off', '--radius-arcsec', '9000'],
      /margin threshold/,
    ],
    [
      'a bad output extension',
      [smallSkyCsv, xmatch, '--radius-arcsec', '1', '--out', join(dir, 'x.txt')],
      /\.csv or \.parquet/,
    ],
  ];
  it('exits with code 2 from the real binary for a bad argument', async () => {
    const r = await tsm(
      smallSkyCsv,
      xmatch,
      '--radius-arcsec',
      '0',
      '--out',
      join(dir, 'bad-bin.csv'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^tsm xmatch: .*must be a positive number of arcsec \(got 0\)$/,
    );
    expect(existsSync(join(dir, 'bad-bin.csv'))).toBe(false);
  });

  for (const [what, args, message] of bad) {
    it(`exits with code 2, one line on stderr and no output file for ${what}`, async () => {
      const out = join(dir, `bad-${what.replace(/\W+/g, '-')}.csv`);
      const withOut = args.includes('--out') ? args : [...args, '--out', out];
      const r = await tsmInProcess(...withOut);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(dir).filter((f) => f.startsWith('bad-') || f.startsWith('x.txt'))).toEqual(
        [],
      );
    });
  }
});
