/**
 * Intrinsic galaxy magnitudes for the test catalogs: an i-band magnitude uniform in [18, 25] and
 * colours scattered around a typical galaxy SED (u−g 1.0, g−r 0.6, r−i 0.35, i−z 0.2, z−y 0.1).
 */
import type { Prng } from './prng';

export const BANDS6 = ['u', 'g', 'r', 'i', 'z', 'y'] as const;
const COLOURS: [number, number][] = [
  [1.0, 0.4],
  [0.6, 0.3],
  [0.35, 0.2],
  [0.2, 0.15],
  [0.1, 0.1],
];

/** AB magnitudes u..y (index 0..5) without dust. */
export function intrinsicMagnitudes(rng: Prng): number[] {
  const iMag = rng.uniform(18, 25);
  const c = COLOURS.map(([mu, sd]) => mu + sd * rng.normal());
  const m = new Array<number>(6);
  m[3] = iMag;
  m[2] = iMag + c[2];
  m[1] = m[2] + c[1];
  m[0] = m[1] + c[0];
  m[4] = iMag - c[3];
  m[5] = m[4] - c[4];
  return m;
}

/** Observed flux with Gaussian noise for a 5σ depth: σ = 10^((zp − depth)/2.5) / 5. */
export function noisyFlux(
  rng: Prng,
  magTrue: number,
  depth5Sigma: number,
  zeroPointMag: number,
  fluxScale = 1,
): [number, number] {
  const f = fluxScale * 10 ** ((zeroPointMag - magTrue) / 2.5);
  const sigma = 10 ** ((zeroPointMag - depth5Sigma) / 2.5) / 5;
  return [f + sigma * rng.normal(), sigma];
}
