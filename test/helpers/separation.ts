const DEG = Math.PI / 180;

/**
 * Angular separation in arcsec by the haversine formula: the tests' oracle, independent of the
 * product's chord arithmetic (compute/crossmatch/match-partition.ts).
 */
export function sepArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const s =
    Math.sin(((dec2 - dec1) * DEG) / 2) ** 2 +
    Math.cos(dec1 * DEG) * Math.cos(dec2 * DEG) * Math.sin(((ra2 - ra1) * DEG) / 2) ** 2;
  return ((2 * Math.asin(Math.min(1, Math.sqrt(s)))) / DEG) * 3600;
}
