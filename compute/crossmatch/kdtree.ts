/**
 * A static 3-D KD-tree over unit vectors, in the style of kdbush (mourner/kdbush `index.js`):
 * interleaved `Float64Array` coordinates (stride 3) plus an `ids` array, sorted in place into an
 * implicit balanced tree with Floyd–Rivest selection, leaves of `nodeSize` points, and queries that
 * walk an explicit stack and fill caller-provided buffers (no allocation per query).
 *
 * Distances are Euclidean chord distances between unit vectors, compared squared, as scipy's
 * `cKDTree.query` does for p = 2 (it raises `distance_upper_bound` to the power p and keeps a
 * candidate only when `d^p < bound^p`, scipy `ckdtree/src/query.cxx`).
 */
export class KdTree3 {
  /** Row index (into the input arrays) of each stored point, in tree order. */
  readonly ids: Uint32Array;
  /** x, y, z of each stored point, in tree order. */
  readonly coords: Float64Array;
  readonly nodeSize: number;
  readonly size: number;
  // Explicit DFS stack: the tree depth is at most ceil(log2(size)) <= 32, and the walk pushes at
  // most 2 entries per level before popping one, so 2 * 33 + 2 entries always suffice.
  private readonly stackLo = new Uint32Array(68);
  private readonly stackHi = new Uint32Array(68);
  private readonly stackAxis = new Uint8Array(68);
  private readonly stackBound = new Float64Array(68);

  /**
   * @param xyz unit vectors, stride 3 (copied; the input is not modified)
   * @param nodeSize points per leaf (kdbush default 64; ~16-32 is best for 3-D k-NN)
   */
  constructor(xyz: Float64Array, nodeSize = 24) {
    if (xyz.length % 3 !== 0) throw new RangeError('KdTree3: xyz length must be a multiple of 3');
    this.size = xyz.length / 3;
    this.nodeSize = Math.max(2, nodeSize | 0);
    this.coords = Float64Array.from(xyz);
    this.ids = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) this.ids[i] = i;
    if (this.size > 0) sortKd(this.ids, this.coords, this.nodeSize, 0, this.size - 1, 0);
  }

  /**
   * The up-to-`k` nearest points to (x, y, z) with squared chord distance strictly below
   * `maxChord²` (scipy semantics) and, when `minChord >= 0`, strictly above `minChord²`
   * (LSDB's min_radius: "too close" means d <= min, scipy `sparse_distances.cxx` uses `<=`).
   *
   * Results are written to `outIdx` (input row index) and `outDist2` (squared chord), sorted by
   * distance ascending; equal distances are ordered by row index ascending. scipy does not define
   * the order of ties (it depends on its heap and traversal); breaking them by row index makes our
   * output deterministic and, for the common case of the tree built on rows in `_healpix_29`
   * order, picks the row that comes first in the partition file.
   *
   * @returns the number of results written (0..k)
   */
  knnWithin(
    x: number,
    y: number,
    z: number,
    k: number,
    maxChord: number,
    outIdx: Uint32Array | Int32Array,
    outDist2: Float64Array,
    minChord = -1,
  ): number {
    if (k <= 0 || this.size === 0 || !(maxChord > 0)) return 0;
    const { ids, coords, nodeSize, stackLo, stackHi, stackAxis, stackBound } = this;
    const max2 = maxChord * maxChord;
    const min2 = minChord >= 0 ? minChord * minChord : -1;
    let count = 0;
    let sp = 1;
    stackLo[0] = 0;
    stackHi[0] = this.size - 1;
    stackAxis[0] = 0;
    stackBound[0] = 0;
    while (sp > 0) {
      sp--;
      const lo = stackLo[sp];
      const hi = stackHi[sp];
      const axis = stackAxis[sp];
      const lb = stackBound[sp];
      // Skip a subtree whose lower bound is beyond the k-th best (equal kept: a tie may still
      // win on row index) or not strictly inside the radius.
      if (lb >= max2 || (count === k && lb > outDist2[k - 1])) continue;

      if (hi - lo <= nodeSize) {
        for (let i = lo; i <= hi; i++) {
          const dx = coords[3 * i] - x;
          const dy = coords[3 * i + 1] - y;
          const dz = coords[3 * i + 2] - z;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 < max2 && d2 > min2) count = insert(outIdx, outDist2, count, k, ids[i], d2);
        }
        continue;
      }

      const m = (lo + hi) >> 1;
      const dx = coords[3 * m] - x;
      const dy = coords[3 * m + 1] - y;
      const dz = coords[3 * m + 2] - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < max2 && d2 > min2) count = insert(outIdx, outDist2, count, k, ids[m], d2);

      const diff = (axis === 0 ? x : axis === 1 ? y : z) - coords[3 * m + axis];
      const farLb = Math.max(lb, diff * diff);
      const nextAxis = axis === 2 ? 0 : axis + 1;
      // Push the far side first so that the near side is walked first.
      const nearLo = diff < 0 ? lo : m + 1;
      const nearHi = diff < 0 ? m - 1 : hi;
      const farLo = diff < 0 ? m + 1 : lo;
      const farHi = diff < 0 ? hi : m - 1;
      if (farLo <= farHi) {
        stackLo[sp] = farLo;
        stackHi[sp] = farHi;
        stackAxis[sp] = nextAxis;
        stackBound[sp] = farLb;
        sp++;
      }
      if (nearLo <= nearHi) {
        stackLo[sp] = nearLo;
        stackHi[sp] = nearHi;
        stackAxis[sp] = nextAxis;
        stackBound[sp] = lb;
        sp++;
      }
    }
    return count;
  }
  /**
   * Every point with squared chord distance strictly below `maxChord²` and, when `minChord >= 0`,
   * strictly above `minChord²` (the same bounds as `knnWithin`), in tree order (unsorted).
   * Writes input row indices to `outIdx` and squared chords to `outDist2`; both need room for
   * `size` entries.
   *
   * @returns the number of results written
   */
  within(
    x: number,
    y: number,
    z: number,
    maxChord: number,
    outIdx: Uint32Array,
    outDist2: Float64Array,
    minChord = -1,
  ): number {
    if (this.size === 0 || !(maxChord > 0)) return 0;
    const { ids, coords, nodeSize, stackLo, stackHi, stackAxis } = this;
    const max2 = maxChord * maxChord;
    const min2 = minChord >= 0 ? minChord * minChord : -1;
    let count = 0;
    let sp = 1;
    stackLo[0] = 0;
    stackHi[0] = this.size - 1;
    stackAxis[0] = 0;
    while (sp > 0) {
      sp--;
      const lo = stackLo[sp];
      const hi = stackHi[sp];
      const axis = stackAxis[sp];
      if (hi - lo <= nodeSize) {
        for (let i = lo; i <= hi; i++) {
          const dx = coords[3 * i] - x;
          const dy = coords[3 * i + 1] - y;
          const dz = coords[3 * i + 2] - z;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 < max2 && d2 > min2) {
            outIdx[count] = ids[i];
            outDist2[count++] = d2;
          }
        }
        continue;
      }
      const m = (lo + hi) >> 1;
      const dx = coords[3 * m] - x;
      const dy = coords[3 * m + 1] - y;
      const dz = coords[3 * m + 2] - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < max2 && d2 > min2) {
        outIdx[count] = ids[m];
        outDist2[count++] = d2;
      }
      // Points beyond the split plane are at least |diff| away on this axis.
      const diff = (axis === 0 ? x : axis === 1 ? y : z) - coords[3 * m + axis];
      const nextAxis = axis === 2 ? 0 : axis + 1;
      const far = diff * diff < max2;
      if (diff < 0 || far) {
        if (m - 1 >= lo) {
          stackLo[sp] = lo;
          stackHi[sp] = m - 1;
          stackAxis[sp++] = nextAxis;
        }
      }
      if (diff >= 0 || far) {
        if (hi >= m + 1) {
          stackLo[sp] = m + 1;
          stackHi[sp] = hi;
          stackAxis[sp++] = nextAxis;
        }
      }
    }
    return count;
  }
}

/**
 * Inserts (id, d2) into the sorted result list of length `count` (capacity k) when it beats the
 * k-th entry in (distance, id) order. Returns the new count.
 */
function insert(
  outIdx: Uint32Array | Int32Array,
  outDist2: Float64Array,
  count: number,
  k: number,
  id: number,
  d2: number,
): number {
  if (count === k) {
    const w = outDist2[k - 1];
    if (d2 > w || (d2 === w && id > outIdx[k - 1])) return count;
  }
  let j = count < k ? count++ : k - 1;
  while (j > 0 && (outDist2[j - 1] > d2 || (outDist2[j - 1] === d2 && outIdx[j - 1] > id))) {
    outDist2[j] = outDist2[j - 1];
    outIdx[j] = outIdx[j - 1];
    j--;
  }
  outDist2[j] = d2;
  outIdx[j] = id;
  return count;
}

/** kdbush `sort`: median split on the current axis, recursively (depth <= log2(n)). */
function sortKd(
  ids: Uint32Array,
  coords: Float64Array,
  nodeSize: number,
  left: number,
  right: number,
  axis: number,
): void {
  if (right - left <= nodeSize) return;
  const m = (left + right) >> 1;
  select(ids, coords, m, left, right, axis);
  const next = axis === 2 ? 0 : axis + 1;
  sortKd(ids, coords, nodeSize, left, m - 1, next);
  sortKd(ids, coords, nodeSize, m + 1, right, next);
}

/**
 * Floyd–Rivest selection (as in kdbush `select`, after Floyd & Rivest 1975, "Algorithm 489"):
 * reorders [left, right] so that the k-th element is in place on `axis`.
 */
function select(
  ids: Uint32Array,
  coords: Float64Array,
  k: number,
  left: number,
  right: number,
  axis: number,
): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      select(ids, coords, k, newLeft, newRight, axis);
    }
    const t = coords[3 * k + axis];
    let i = left;
    let j = right;
    swap(ids, coords, left, k);
    if (coords[3 * right + axis] > t) swap(ids, coords, left, right);
    while (i < j) {
      swap(ids, coords, i, j);
      i++;
      j--;
      while (coords[3 * i + axis] < t) i++;
      while (coords[3 * j + axis] > t) j--;
    }
    if (coords[3 * left + axis] === t) swap(ids, coords, left, j);
    else {
      j++;
      swap(ids, coords, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(ids: Uint32Array, coords: Float64Array, i: number, j: number): void {
  const id = ids[i];
  ids[i] = ids[j];
  ids[j] = id;
  for (let a = 0; a < 3; a++) {
    const c = coords[3 * i + a];
    coords[3 * i + a] = coords[3 * j + a];
    coords[3 * j + a] = c;
  }
}
