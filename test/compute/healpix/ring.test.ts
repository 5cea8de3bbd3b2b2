import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ang2pixRing,
  getInterpWeightsRing,
  nest2ring,
  nsideOfNpix,
  ring2nest,
} from '../../../compute/healpix/ring';

/** Made by test/compute/photometry/make-healpix-expected.py with healpy (see its header). */
interface Expected {
  raDeg: number[];
  decDeg: number[];
  pixels: Record<
    string,
    {
      ring: number[];
      nest?: number[];
      interpRingPix: number[][];
      interpNestPix?: number[][];
      interpWeights: number[][];
    }
  >;
}
const expected = JSON.parse(
  readFileSync(join(__dirname, '..', 'photometry', 'healpix-expected.json'), 'utf8'),
) as Expected;
const d2r = Math.PI / 180;
const theta = (i: number) => (90 - expected.decDeg[i]) * d2r;
const phi = (i: number) => expected.raDeg[i] * d2r;

describe('ang2pixRing', () => {
  for (const nside of ['1', '2', '5', '64', '2048']) {
    it(`equals healpy ang2pix at NSIDE ${nside} on 200 positions`, () => {
      const got = expected.raDeg.map((_, i) => ang2pixRing(Number(nside), theta(i), phi(i)));
      expect(got).toEqual(expected.pixels[nside].ring);
    });
  }
});

describe('ring2nest / nest2ring', () => {
  for (const nside of ['1', '2', '64', '2048']) {
    it(`gives healpy's NESTED pixel at NSIDE ${nside}`, () => {
      const e = expected.pixels[nside];
      const got = e.ring.map((p) => ring2nest(Number(nside), p));
      expect(got).toEqual(e.nest);
      expect(got.map((p) => nest2ring(Number(nside), p))).toEqual(e.ring);
    });
  }

  it('is a bijection at NSIDE 16 (every pixel round-trips, no two collide)', () => {
    const seen = new Set<number>();
    for (let p = 0; p < 12 * 256; p++) {
      const n = ring2nest(16, p);
      seen.add(n);
      expect(nest2ring(16, n)).toBe(p);
    }
    expect(seen.size).toBe(12 * 256);
  });

  for (const nside of [2 ** 15, 2 ** 16, 2 ** 17]) {
    it(`round-trips 2000 seeded pixels at NSIDE ${nside} (bit-trick and loop paths)`, () => {
      let seed = 7;
      const npix = 12 * nside * nside;
      for (let k = 0; k < 2000; k++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const p = Math.floor((seed / 2147483648) * npix);
        expect(nest2ring(nside, ring2nest(nside, p))).toBe(p);
      }
      // the last pixel of each polar cap and the very last pixel
      for (const p of [2 * nside * (nside - 1) - 1, npix - 1, 0]) {
        expect(nest2ring(nside, ring2nest(nside, p))).toBe(p);
      }
    });
  }

  it('rejects a NESTED conversion at a non-power-of-2 NSIDE', () => {
    expect(() => ring2nest(5, 0)).toThrow(/power of 2/);
  });
});

describe('getInterpWeightsRing', () => {
  for (const nside of ['1', '2', '5', '64', '2048']) {
    it(`equals healpy get_interp_weights at NSIDE ${nside} (pixels exact, weights 1e-10)`, () => {
      const e = expected.pixels[nside];
      const pix = new Float64Array(4);
      const wgt = new Float64Array(4);
      for (let i = 0; i < expected.raDeg.length; i++) {
        getInterpWeightsRing(Number(nside), theta(i), phi(i), pix, wgt);
        for (let k = 0; k < 4; k++) {
          // A weight of exactly 0 may sit on either neighbour; compare pixels where it counts.
          if (e.interpWeights[i][k] !== 0) expect(pix[k]).toBe(e.interpRingPix[i][k]);
          expect(wgt[k]).toBeCloseTo(e.interpWeights[i][k], 10);
        }
        if (e.interpNestPix) {
          for (let k = 0; k < 4; k++) {
            if (e.interpWeights[i][k] !== 0) {
              expect(ring2nest(Number(nside), pix[k])).toBe(e.interpNestPix[i][k]);
            }
          }
        }
      }
    });
  }

  it('equals healpy with the NSIDE changing from call to call (rings are tabled per NSIDE)', () => {
    const pix = new Float64Array(4);
    const wgt = new Float64Array(4);
    let checked = 0;
    for (let i = 0; i < expected.raDeg.length; i++) {
      for (const nside of ['64', '5', '2048']) {
        const e = expected.pixels[nside];
        getInterpWeightsRing(Number(nside), theta(i), phi(i), pix, wgt);
        for (let k = 0; k < 4; k++) {
          if (e.interpWeights[i][k] !== 0) expect(pix[k]).toBe(e.interpRingPix[i][k]);
          expect(wgt[k]).toBeCloseTo(e.interpWeights[i][k], 10);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('nsideOfNpix', () => {
  it('recognises 12*NSIDE^2 and rejects other sizes', () => {
    expect(nsideOfNpix(49152)).toBe(64);
    expect(nsideOfNpix(12 * 2048 * 2048)).toBe(2048);
    expect(nsideOfNpix(1000)).toBe(-1);
  });
});
