const DEG = Math.PI / 180;
/** Cells of one filter at most (a bitmap of 2 MiB); coarser cells when the points spread wider. */
const MAX_CELLS = 1 << 24;

/**
 * A conservative (ra, dec) cell filter around a set of points: `mayBeNear(ra, dec)` is true for
 * every position within `radiusDeg` of one of them (it may also be true for farther positions).
 * It lets a right row far from every left row skip the trigonometry and the tree walk; the exact
 * chord test decides the rest, so the filter never changes a result.
 *
 * The cells cover the points' bounding box (in ra, an interval holding them: `raInterval`, or the
 * whole circle when the marks would wrap) as one bitmap: `cellDeg` high in dec, `colDeg` wide in
 * ra.
 * A point at dec d marks the rows within radius' of d and the columns within
 * Δra = 2 asin(sin(radius'/2) / cos(|d| + radius')) of its ra, one extra cell on each side for
 * rounding; radius' is the radius plus 1 %. Δra bounds the ra difference of any pair within the
 * radius, from haversine: sin²(θ/2) = sin²(Δdec/2) + cos d1 cos d2 sin²(Δra/2) >= cos²(dmax)
 * sin²(Δra/2). Near the poles (no such bound) the whole dec row is marked.
 *
 * A filter is valid until the next one is built in the same thread (they share one bitmap).
 */
export class NearCells {
  private readonly decMin: number;
  private readonly cellDeg: number;
  private readonly nRows: number;
  /** ra of column 0's left edge; columns count from there, modulo 360 when `wrap`. */
  private readonly ra0: number;
  private readonly colDeg: number;
  private readonly nCols: number;
  private readonly wrap: boolean;
  private readonly fullRow: Uint8Array;
  private readonly bits: Uint32Array;

  /** Returns null when a dec is outside [-90, 90] (or not a number): then no filter is used. */
  static build(
    raDeg: ArrayLike<number>,
    decDeg: ArrayLike<number>,
    radiusDeg: number,
  ): NearCells | null {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < decDeg.length; i++) {
      const d = decDeg[i];
      if (!(d >= -90 && d <= 90) || !Number.isFinite(raDeg[i])) return null;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    if (decDeg.length === 0 || !(radiusDeg > 0) || radiusDeg >= 30) return null;
    return new NearCells(raDeg, decDeg, radiusDeg * 1.01 + 1e-9, lo, hi);
  }

  private constructor(
    raDeg: ArrayLike<number>,
    decDeg: ArrayLike<number>,
    r: number,
    lo: number,
    hi: number,
  ) {
    // Δra grows with |d|: every point's marks use the widest one among the points (so no
    // trigonometry per point), except near a pole where Δra has no bound (sin(r/2) / cos(dMax)
    // >= 1/2, or dMax >= 89°) and the whole row is marked
    const sinHalf = Math.sin((r / 2) * DEG);
    const polar = Math.min(89, Math.acos(2 * sinHalf) / DEG);
    let farthest = -1; // the largest |d| + radius' below `polar`
    for (let i = 0; i < decDeg.length; i++) {
      const dMax = Math.abs(decDeg[i]) + r;
      if (dMax < polar && dMax > farthest) farthest = dMax;
    }
    const reach =
      farthest < 0 ? 0 : ((2 * Math.asin(sinHalf / Math.cos(farthest * DEG))) / DEG) * 1.01 + 1e-9;
    const arc = raInterval(raDeg);
    let cellDeg = r;
    let colDeg = Math.max(r, reach);
    let rows: number;
    let cols: number;
    let wrap: boolean;
    for (;;) {
      rows = Math.ceil((hi - lo + 2 * r) / cellDeg) + 5;
      const boxDeg = arc.span + 2 * reach + 6 * colDeg;
      wrap = boxDeg >= 360;
      cols = wrap ? Math.max(1, Math.floor(360 / colDeg)) : Math.ceil(boxDeg / colDeg);
      if (rows * cols <= MAX_CELLS) break;
      const grow = Math.sqrt((rows * cols) / MAX_CELLS) * 1.01;
      cellDeg *= grow;
      colDeg *= grow;
    }
    this.cellDeg = cellDeg;
    this.nRows = rows;
    this.decMin = lo - r - 2 * cellDeg;
    this.wrap = wrap;
    this.nCols = cols;
    this.colDeg = wrap ? 360 / cols : colDeg;
    this.ra0 = wrap ? 0 : arc.start - reach - 3 * colDeg;
    this.fullRow = new Uint8Array(rows);
    this.bits = zeroedBits((rows * cols + 31) >>> 5);

    for (let i = 0; i < decDeg.length; i++) {
      const d = decDeg[i];
      const row0 = Math.max(0, Math.floor((d - r - this.decMin) / cellDeg) - 1);
      const row1 = Math.min(rows - 1, Math.floor((d + r - this.decMin) / cellDeg) + 1);
      const dRa = Math.abs(d) + r < polar ? reach : Infinity;
      const x = this.column(raDeg[i]);
      const col0 = Math.floor((x - dRa) / this.colDeg) - 1;
      const col1 = Math.floor((x + dRa) / this.colDeg) + 1;
      const full = dRa === Infinity || (wrap && col1 - col0 + 1 >= cols);
      for (let row = row0; row <= row1; row++) {
        if (full) this.fullRow[row] = 1;
        else this.markColumns(row, col0, col1);
      }
    }
  }

  /** False only when (raDeg, decDeg) is farther than the radius from every point. */
  mayBeNear(raDeg: number, decDeg: number): boolean {
    // An invalid dec (beyond a pole, or not a number) is left to the exact test.
    if (!(decDeg >= -90 && decDeg <= 90)) return true;
    const row = Math.floor((decDeg - this.decMin) / this.cellDeg);
    if (!(row >= 0 && row < this.nRows)) return false;
    if (this.fullRow[row] === 1) return true;
    const x = this.column(raDeg);
    if (!Number.isFinite(x)) return true;
    let col = Math.floor(x / this.colDeg);
    if (this.wrap) col %= this.nCols;
    else if (col >= this.nCols) return false;
    const bit = row * this.nCols + col;
    return (this.bits[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }

  /** Degrees from column 0's edge to `raDeg`, in [0, 360). */
  private column(raDeg: number): number {
    const x = raDeg - this.ra0;
    return x - 360 * Math.floor(x / 360);
  }

  private markColumns(row: number, col0: number, col1: number): void {
    const base = row * this.nCols;
    for (let c = col0; c <= col1; c++) {
      // in a box the marks stay inside by construction; on the whole circle they wrap
      const col = this.wrap ? ((c % this.nCols) + this.nCols) % this.nCols : c;
      const bit = base + col;
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
  }
}

/**
 * The bitmap of the latest filter (per thread): up to 2 MiB, built for every pixel of a run, so it
 * is cleared and reused rather than allocated again (89 fresh bitmaps, 178 MB of short-lived
 * buffers, at 10M x 1M). A filter is used only until the next one is built (matchByLeftTree).
 */
let bitsScratch = new Uint32Array(0);

function zeroedBits(words: number): Uint32Array {
  if (bitsScratch.length < words) bitsScratch = new Uint32Array(words);
  else bitsScratch.fill(0, 0, words);
  return bitsScratch.subarray(0, words);
}

/**
 * An ra interval holding every `raDeg` (any real number, taken modulo 360): its start in
 * [0, 360) and its span, the narrower of the points' range measured from 0° and from 180° (so a
 * set straddling ra 0 gets a narrow interval too); at worst the whole circle.
 */
function raInterval(raDeg: ArrayLike<number>): { start: number; span: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let loShifted = Infinity;
  let hiShifted = -Infinity;
  for (let i = 0; i < raDeg.length; i++) {
    const ra = raDeg[i] - 360 * Math.floor(raDeg[i] / 360);
    const shifted = ra < 180 ? ra + 180 : ra - 180;
    if (ra < lo) lo = ra;
    if (ra > hi) hi = ra;
    if (shifted < loShifted) loShifted = shifted;
    if (shifted > hiShifted) hiShifted = shifted;
  }
  if (hi - lo <= hiShifted - loShifted) return { start: lo, span: hi - lo };
  const start = loShifted + 180;
  return { start: start >= 360 ? start - 360 : start, span: hiShifted - loShifted };
}
