const DEG = Math.PI / 180;
/** Columns one left row may mark before its whole dec row is marked instead. */
const MAX_COLUMNS_PER_ROW = 64;

/**
 * A conservative (ra, dec) cell filter around a set of points: `mayBeNear(ra, dec)` is true for
 * every position within `radiusDeg` of one of them (it may also be true for farther positions).
 * It lets a right row far from every left row skip the trigonometry and the tree walk; the exact
 * chord test decides the rest, so the filter never changes a result.
 *
 * Cells are `cellDeg` high in dec and 360/nCols wide in ra (nCols an integer, so ra wraps
 * exactly). A point at dec d marks the rows within radius' of d and the columns within
 * Δra = 2 asin(sin(radius'/2) / cos(|d| + radius')) of its ra, one extra cell on each side for
 * rounding; radius' is the radius plus 1 %. Δra bounds the ra difference of any pair within the
 * radius, from haversine: sin²(θ/2) = sin²(Δdec/2) + cos d1 cos d2 sin²(Δra/2) >= cos²(dmax)
 * sin²(Δra/2). Near the poles (Δra large) the whole dec row is marked.
 */
export class NearCells {
  private readonly decMin: number;
  private readonly cellDeg: number;
  private readonly colDeg: number;
  private readonly nRows: number;
  private readonly nCols: number;
  private readonly fullRow: Uint8Array;
  /** Open-addressing hash set of marked (row, col) cells; row -1 marks an empty slot. */
  private slotRow = new Int32Array(1024).fill(-1);
  private slotCol = new Int32Array(1024);
  private used = 0;

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
    // Cells no smaller than the radius; at most ~4096 rows over the dec span of the points.
    this.cellDeg = Math.max(r, (hi - lo + 2 * r) / 4096);
    this.nCols = Math.max(1, Math.floor(360 / this.cellDeg));
    this.colDeg = 360 / this.nCols;
    this.decMin = lo - r - 2 * this.cellDeg;
    this.nRows = Math.ceil((hi + r + 2 * this.cellDeg - this.decMin) / this.cellDeg) + 1;
    this.fullRow = new Uint8Array(this.nRows);
    // A point usually marks 5 x 5 cells: size the table for that (it grows when needed).
    let size = 1024;
    while (size < 50 * decDeg.length && size < 1 << 22) size *= 2;
    this.rehash(size);
    const sinHalf = Math.sin((r / 2) * DEG);
    for (let i = 0; i < decDeg.length; i++) {
      const d = decDeg[i];
      const row0 = Math.max(0, Math.floor((d - r - this.decMin) / this.cellDeg) - 1);
      const row1 = Math.min(this.nRows - 1, Math.floor((d + r - this.decMin) / this.cellDeg) + 1);
      const dMax = Math.abs(d) + r;
      const s = dMax < 89 ? sinHalf / Math.cos(dMax * DEG) : 1;
      const dRa = s < 0.5 ? ((2 * Math.asin(s)) / DEG) * 1.01 + 1e-9 : 360;
      const ra = raDeg[i];
      const col0 = Math.floor((ra - dRa) / this.colDeg) - 1;
      const col1 = Math.floor((ra + dRa) / this.colDeg) + 1;
      for (let row = row0; row <= row1; row++) {
        if (col1 - col0 + 1 > MAX_COLUMNS_PER_ROW) {
          this.fullRow[row] = 1;
          continue;
        }
        for (let c = col0; c <= col1; c++) {
          const col = ((c % this.nCols) + this.nCols) % this.nCols;
          this.add(row, col);
        }
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
    const raN = raDeg - 360 * Math.floor(raDeg / 360);
    if (!Number.isFinite(raN)) return true;
    const col = Math.floor(raN / this.colDeg) % this.nCols;
    const mask = this.slotRow.length - 1;
    for (let h = slot(row, col) & mask; ; h = (h + 1) & mask) {
      const r = this.slotRow[h];
      if (r === -1) return false;
      if (r === row && this.slotCol[h] === col) return true;
    }
  }

  private add(row: number, col: number): void {
    if (2 * (this.used + 1) > this.slotRow.length) this.rehash(2 * this.slotRow.length);
    const mask = this.slotRow.length - 1;
    for (let h = slot(row, col) & mask; ; h = (h + 1) & mask) {
      const r = this.slotRow[h];
      if (r === row && this.slotCol[h] === col) return;
      if (r === -1) {
        this.slotRow[h] = row;
        this.slotCol[h] = col;
        this.used++;
        return;
      }
    }
  }

  private rehash(size: number): void {
    const rows = this.slotRow;
    const cols = this.slotCol;
    this.slotRow = new Int32Array(size).fill(-1);
    this.slotCol = new Int32Array(size);
    this.used = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== -1) this.add(rows[i], cols[i]);
  }
}

/** Hash of a cell (multiplicative mixing, as in Knuth's Fibonacci hashing). */
function slot(row: number, col: number): number {
  const h = Math.imul(row, 0x9e3779b1) ^ Math.imul(col, 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
}
