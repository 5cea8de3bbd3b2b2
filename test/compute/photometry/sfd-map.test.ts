import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileSource } from '../../../compute/hats/byte-source';
import { openSfdMap } from '../../../compute/photometry/sfd-map';
import { DUST } from '../../fixtures';

const CUTOUT = join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits');

/** FK5(J2000) -> ICRS for the nearest-pixel case: inverse frame bias B^T (dust-photometry.md §3). */
function fk5ToIcrs(raDeg: number, decDeg: number): [number, number] {
  const B = [
    [0.9999999999999928, -0.000000111022333, -0.000000044118045],
    [0.0000001110223372, 0.9999999999999891, 0.0000000964779225],
    [0.0000000441180343, -0.0000000964779274, 0.9999999999999943],
  ];
  const d = Math.PI / 180;
  const v = [
    Math.cos(decDeg * d) * Math.cos(raDeg * d),
    Math.cos(decDeg * d) * Math.sin(raDeg * d),
    Math.sin(decDeg * d),
  ];
  const w = [0, 1, 2].map((j) => B[0][j] * v[0] + B[1][j] * v[1] + B[2][j] * v[2]);
  return [(Math.atan2(w[1], w[0]) / d + 360) % 360, Math.asin(w[2]) / d];
}

describe('openSfdMap on the real SFD cutout (CRPIX = -951.5)', () => {
  it('matches the NED-derived values and the computed bilinear values of the fixtures README', async () => {
    const map = await openSfdMap(new LocalFileSource(CUTOUT), null);
    const ebv = await map.ebv([204.1747, 205.40142, 204.0], [-29.960283, -33.098216, -30.0]);
    expect(Math.abs(ebv[0] - 0.077315)).toBeLessThan(0.001);
    expect(Math.abs(ebv[1] - 0.0539752)).toBeLessThan(0.001);
    expect(ebv[0]).toBeCloseTo(0.0774285145, 6);
    expect(ebv[1]).toBeCloseTo(0.0539481557, 6);
    expect(ebv[2]).toBeCloseTo(0.047060223, 6);
    expect(map.info.interpolation).toBe('bilinear');
  });

  it('gives d[25, 87] = 0.0552888 (1e-7) with nearest pixel at FK5 (206.61462, -30.441592)', async () => {
    const map = await openSfdMap(new LocalFileSource(CUTOUT), null, 'nearest');
    const [ra, dec] = fk5ToIcrs(206.61462, -30.441592);
    const ebv = await map.ebv([ra], [dec]);
    expect(Math.abs(ebv[0] - 0.0552888)).toBeLessThan(1e-7);
  });

  it('gives the same values through a tiny block cache (partial reads, evictions)', async () => {
    const tiny = { blockBytes: 256, maxBlocks: 16 };
    const map = await openSfdMap(new LocalFileSource(CUTOUT), null, 'bilinear', 'sfd', tiny);
    const ra: number[] = [];
    const dec: number[] = [];
    for (let k = 0; k < 400; k++) {
      ra.push(203.5 + (k % 20) * 0.15);
      dec.push(-33.5 + Math.floor(k / 20) * 0.2);
    }
    const whole = await openSfdMap(new LocalFileSource(CUTOUT), null);
    expect(Array.from(await map.ebv(ra, dec))).toEqual(Array.from(await whole.ebv(ra, dec)));
    const [e] = await map.ebv([204.1747], [-29.960283]);
    expect(e).toBeCloseTo(0.0774285145, 6);
  });

  it('names the missing south file for a position with b < 0', async () => {
    const map = await openSfdMap(new LocalFileSource(CUTOUT), null);
    await expect(map.ebv([0], [0])).rejects.toThrow(/SFD_dust_4096_sgp\.fits.*EWCNL5/);
  });

  // The cutout covers a few degrees around (204.17, -29.96); (180, 80) lands ~1900 pixels off it.
  // It gave the edge pixel's value (0.06), a number from elsewhere on the sky, as if measured.
  it('has no value (NaN) for a position off the image, and keeps values inside', async () => {
    const map = await openSfdMap(new LocalFileSource(CUTOUT), null);
    const ebv = await map.ebv([180, 150, 204.1747], [80, 60, -29.960283]);
    expect(ebv[0]).toBeNaN();
    expect(ebv[1]).toBeNaN();
    expect(Math.abs(ebv[2] - 0.077315)).toBeLessThan(0.001); // NED's SFD value there
  });
});
