import { describe, expect, it } from 'vitest';
import {
  cleanMagnitudes,
  dereddenFlux,
  dereddenMag,
  fluxToMag,
  ZERO_POINT_DES,
  ZERO_POINT_NJY,
} from '../../../compute/photometry/magnitudes';

function convert(flux: number[], err: number[] | null, zp: number, nondetect: 'nan' | 99 = 'nan') {
  const mag = new Float64Array(flux.length);
  const magErr = new Float64Array(flux.length);
  const count = fluxToMag(flux, err, zp, nondetect, mag, magErr);
  return { mag, magErr, count };
}

describe('fluxToMag', () => {
  it('gives the LSST nJy test vectors of dust-photometry.md §5.1', () => {
    const { mag, magErr } = convert([1, 1e4, 1000, 1e4], [0, 0, 100, 100], ZERO_POINT_NJY);
    expect(mag[0]).toBeCloseTo(31.4, 12);
    expect(mag[1]).toBeCloseTo(21.4, 12);
    expect(mag[2]).toBeCloseTo(23.9, 12);
    expect(magErr[2]).toBeCloseTo(0.10857362, 8);
    expect(mag[3]).toBeCloseTo(21.4, 12);
    expect(magErr[3]).toBeCloseTo(0.010857362, 9);
  });

  it('gives DES zero point 30: FLUX_AUTO 1e4 -> 20.0', () => {
    const { mag } = convert([1e4], null, ZERO_POINT_DES);
    expect(mag[0]).toBeCloseTo(20.0, 12);
  });

  it('maps f <= 0, NaN and inf to NaN by default and counts them, never -inf', () => {
    const { mag, magErr, count } = convert(
      [0, -5, Number.NaN, Infinity, 10],
      [1, 1, 1, 1, 1],
      31.4,
    );
    expect(count).toBe(4);
    for (let i = 0; i < 4; i++) {
      expect(mag[i]).toBeNaN();
      expect(magErr[i]).toBeNaN();
    }
    expect(mag[4]).toBeCloseTo(28.9, 12);
  });

  it('writes exactly 99 for non-detections when asked (RAIL nondetect_val)', () => {
    const { mag, magErr, count } = convert([0, -1, Number.NaN, 100], [1, 1, 1, 10], 31.4, 99);
    expect(count).toBe(3);
    expect([mag[0], mag[1], mag[2]]).toEqual([99, 99, 99]);
    expect([magErr[0], magErr[1], magErr[2]]).toEqual([99, 99, 99]);
    expect(mag[3]).toBeCloseTo(26.4, 12);
  });

  it('keeps the error positive for a negative flux error and NaN for a NaN error', () => {
    const { magErr } = convert([1000, 1000], [-100, Number.NaN], 31.4);
    expect(magErr[0]).toBeCloseTo(0.10857362, 8);
    expect(magErr[1]).toBeNaN();
  });
});

describe('cleanMagnitudes', () => {
  it('turns 99 and 98.84 (a dereddened sentinel) into the chosen value', () => {
    const mag = new Float64Array(4);
    const err = new Float64Array(4);
    const count = cleanMagnitudes([21.5, 99, 98.84, Number.NaN], [0.1, 99, 99, 1], 'nan', mag, err);
    expect(count).toBe(3);
    expect(mag[0]).toBe(21.5);
    expect(err[0]).toBe(0.1);
    expect(mag[1]).toBeNaN();
    expect(mag[2]).toBeNaN();
  });
});

describe('dereddenMag', () => {
  it('subtracts R_b E(B-V) (DES g: 3.186 x 0.05 = 0.1593) and never touches 99 or NaN', () => {
    const out = new Float64Array(3);
    dereddenMag([21.0, 99, Number.NaN], [0.05, 0.05, 0.05], 3.186, out);
    expect(out[0]).toBeCloseTo(21.0 - 0.1593, 12);
    expect(out[1]).toBe(99);
    expect(out[2]).toBeNaN();
  });

  it('agrees with the flux form f*10^(0.4 A) (factor 1.15803 for A = 0.1593)', () => {
    const f = new Float64Array(1);
    dereddenFlux([1e4], [0.05], 3.186, f);
    expect(f[0] / 1e4).toBeCloseTo(1.15803, 5);
    const m = convert([f[0]], null, 31.4).mag[0];
    expect(m).toBeCloseTo(21.4 - 0.1593, 12);
  });
});
