/**
 * ICRS (J2000) to Galactic coordinates exactly as astropy does it: ICRS → FK5(J2000) (frame bias
 * B, USNO circular 179) → Galactic (M from astropy's `Galactic._ngp_J2000` and `_lon0_J2000`).
 * The product M·B below is copied from shared/reference/dust-photometry.md §3 (computed with
 * numpy from astropy's constants); it reproduces astropy on sfdmap's 1000 test points to 4e-10″.
 */
const ICRS_TO_GAL = [
  -0.0548756577125917, -0.8734370519556163, -0.4838350736167155, 0.4941094371927275,
  -0.4448297212232953, 0.7469821839866675, -0.8676661375596588, -0.1980763372730006,
  0.4559838136873017,
] as const;

const DEG = Math.PI / 180;

/**
 * Converts ICRS (ra, dec) in degrees to Galactic (l, b) in radians, l in [0, 2π).
 * Output arrays must have the input length.
 */
export function icrsToGalacticRad(
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  lRad: Float64Array,
  bRad: Float64Array,
): void {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = ICRS_TO_GAL;
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < raDeg.length; i++) {
    const a = raDeg[i] * DEG;
    const d = decDeg[i] * DEG;
    const cd = Math.cos(d);
    const x0 = cd * Math.cos(a);
    const y0 = cd * Math.sin(a);
    const z0 = Math.sin(d);
    const x = m00 * x0 + m01 * y0 + m02 * z0;
    const y = m10 * x0 + m11 * y0 + m12 * z0;
    const z = m20 * x0 + m21 * y0 + m22 * z0;
    let l = Math.atan2(y, x);
    if (l < 0) l += twoPi;
    if (l >= twoPi) l -= twoPi;
    lRad[i] = l;
    bRad[i] = Math.atan2(z, Math.sqrt(x * x + y * y));
  }
}

/** One position, degrees in and out: `[lDeg, bDeg]`. */
export function icrsToGalacticDeg(raDeg: number, decDeg: number): [number, number] {
  const l = new Float64Array(1);
  const b = new Float64Array(1);
  icrsToGalacticRad([raDeg], [decDeg], l, b);
  return [l[0] / DEG, b[0] / DEG];
}
