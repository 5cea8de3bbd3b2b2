/** Seeded random numbers for reproducible tests (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points uniform on the sphere (degrees), plus a share near the poles and RA = 0/360. */
export function randomPoints(rand: () => number, n: number): { ra: number[]; dec: number[] } {
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    if (kind === 0) {
      ra.push(rand() * 360);
      dec.push((rand() < 0.5 ? -1 : 1) * (90 - rand() * 0.5));
    } else if (kind === 1) {
      ra.push(rand() < 0.5 ? rand() * 1e-3 : 360 - rand() * 1e-3);
      dec.push((Math.asin(2 * rand() - 1) * 180) / Math.PI);
    } else {
      ra.push(rand() * 360);
      dec.push((Math.asin(2 * rand() - 1) * 180) / Math.PI);
    }
  }
  return { ra, dec };
}
