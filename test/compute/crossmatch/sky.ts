/** Seeded test skies for the crossmatch tests (mulberry32 PRNG, so every run sees the same data). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Sky {
  raDeg: Float64Array;
  decDeg: Float64Array;
}

/** Uniform points on the sphere. */
export function uniformSky(n: number, rand: () => number): Sky {
  const raDeg = new Float64Array(n);
  const decDeg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    raDeg[i] = rand() * 360;
    decDeg[i] = (Math.asin(2 * rand() - 1) * 180) / Math.PI;
  }
  return { raDeg, decDeg };
}

/** Points in a box of the given half-widths around (ra0, dec0); ra wraps into [0, 360). */
export function boxSky(
  n: number,
  rand: () => number,
  ra0: number,
  dec0: number,
  halfRa: number,
  halfDec: number,
): Sky {
  const raDeg = new Float64Array(n);
  const decDeg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    raDeg[i] = (((ra0 + (2 * rand() - 1) * halfRa) % 360) + 360) % 360;
    decDeg[i] = Math.max(-90, Math.min(90, dec0 + (2 * rand() - 1) * halfDec));
  }
  return { raDeg, decDeg };
}

export function concatSky(...skies: Sky[]): Sky {
  const n = skies.reduce((s, k) => s + k.raDeg.length, 0);
  const raDeg = new Float64Array(n);
  const decDeg = new Float64Array(n);
  let o = 0;
  for (const s of skies) {
    raDeg.set(s.raDeg, o);
    decDeg.set(s.decDeg, o);
    o += s.raDeg.length;
  }
  return { raDeg, decDeg };
}
