import { KdTree3 } from './kdtree';
import { matchByLeftTree } from './match-left-tree';

/** Parameters of one k-nearest-within-radius match (LSDB `KdTreeCrossmatch`). */
export interface MatchOptions {
  /** Match radius in arcsec; pairs need a distance strictly below it. */
  radiusArcsec: number;
  /** Up to this many nearest right rows per left row. */
  nNeighbors: number;
  /** Right rows at or closer than this (arcsec) are skipped; 0 keeps distance-0 matches. */
  minRadiusArcsec: number;
}

/**
 * Which side the KD-tree is built on: `auto` picks the left side when it is much smaller than the
 * right (building the tree dominates the cost otherwise); both give identical results.
 */
export type TreeSide = 'auto' | 'left' | 'right';

/** `auto` uses the left tree when the right side has at least this many times more rows. */
const LEFT_TREE_RATIO = 4;
/** ... and when the per-left-row buffers (12 bytes per slot) stay under 48 MB. */
const LEFT_TREE_MAX_SLOTS = 1 << 22;

/** Matched pairs of one partition: row indices into the left and right inputs, and distances. */
export interface MatchResult {
  leftIdx: Uint32Array;
  rightIdx: Uint32Array;
  distArcsec: Float64Array;
}

const DEG = Math.PI / 180;

/**
 * Unit vectors from ra/dec in degrees, stride 3: x = cos(dec)cos(ra), y = cos(dec)sin(ra),
 * z = sin(dec) (lsdb `core/crossmatch/kdtree_utils.py::_lon_lat_to_xyz`, which converts the
 * degrees with `np.radians`).
 */
export function unitVectors(raDeg: ArrayLike<number>, decDeg: ArrayLike<number>): Float64Array {
  const n = raDeg.length;
  const xyz = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const ra = raDeg[i] * DEG;
    const dec = decDeg[i] * DEG;
    const cd = Math.cos(dec);
    xyz[3 * i] = cd * Math.cos(ra);
    xyz[3 * i + 1] = cd * Math.sin(ra);
    xyz[3 * i + 2] = Math.sin(dec);
  }
  return xyz;
}

/** Chord length on the unit sphere for an angle in arcsec: 2 sin(θ/2) (lsdb `_get_chord_distance`). */
export function chordFromArcsec(arcsec: number): number {
  return 2 * Math.sin((arcsec / 3600) * DEG * 0.5);
}

/** Angle in arcsec for a chord length: degrees(2 asin(chord/2)) * 3600 (lsdb `kdtree_match.py`). */
export function arcsecFromChord(chord: number): number {
  return ((2 * Math.asin(chord / 2)) / DEG) * 3600;
}

/**
 * The per-partition kernel of LSDB's `KdTreeCrossmatch` (hats-lsdb.md §3.3): a KD-tree on the
 * right points; for each left point the up-to-`nNeighbors` nearest right points with
 * `minRadius < d < radius` (strict upper bound as scipy; "too close" is d <= minRadius as scipy's
 * `sparse_distance_matrix`). Rows come in left order, then by ascending distance (ties by right
 * row index). `treeSide` chooses where the KD-tree is built (same output either way).
 */
export function matchPartition(
  leftRaDeg: ArrayLike<number>,
  leftDecDeg: ArrayLike<number>,
  rightRaDeg: ArrayLike<number>,
  rightDecDeg: ArrayLike<number>,
  options: MatchOptions,
  treeSide: TreeSide = 'auto',
): MatchResult {
  const nLeft = leftRaDeg.length;
  const nRight = rightRaDeg.length;
  if (nLeft === 0 || nRight === 0) return emptyResult();
  const k = Math.min(options.nNeighbors, nRight);
  const maxChord = chordFromArcsec(options.radiusArcsec);
  const minChord = options.minRadiusArcsec > 0 ? chordFromArcsec(options.minRadiusArcsec) : -1;
  const useLeft =
    treeSide === 'left' ||
    (treeSide === 'auto' && nRight >= LEFT_TREE_RATIO * nLeft && nLeft * k <= LEFT_TREE_MAX_SLOTS);
  if (useLeft) {
    const pairs = matchByLeftTree(
      leftRaDeg,
      leftDecDeg,
      unitVectors(leftRaDeg, leftDecDeg),
      rightRaDeg,
      rightDecDeg,
      k,
      options.radiusArcsec,
      maxChord,
      minChord,
    );
    const distArcsec = new Float64Array(pairs.chord2.length);
    for (let i = 0; i < distArcsec.length; i++) {
      distArcsec[i] = arcsecFromChord(Math.sqrt(pairs.chord2[i]));
    }
    const result = { leftIdx: pairs.leftIdx, rightIdx: pairs.rightIdx, distArcsec };
    checkMatchResult(result, options.radiusArcsec, nLeft, nRight);
    return result;
  }
  const tree = new KdTree3(unitVectors(rightRaDeg, rightDecDeg), 24);
  const left = unitVectors(leftRaDeg, leftDecDeg);

  const idxBuf = new Uint32Array(k);
  const d2Buf = new Float64Array(k);
  let cap = Math.max(16, Math.min(nLeft * k, 1 << 16));
  let leftIdx: Uint32Array = new Uint32Array(cap);
  let rightIdx: Uint32Array = new Uint32Array(cap);
  let dist: Float64Array = new Float64Array(cap);
  let n = 0;
  for (let i = 0; i < nLeft; i++) {
    const found = tree.knnWithin(
      left[3 * i],
      left[3 * i + 1],
      left[3 * i + 2],
      k,
      maxChord,
      idxBuf,
      d2Buf,
      minChord,
    );
    if (found === 0) continue;
    if (n + found > cap) {
      // Grow by doubling (amortised O(1) per row).
      cap = Math.max(cap * 2, n + found);
      leftIdx = grow(leftIdx, cap);
      rightIdx = grow(rightIdx, cap);
      const d = new Float64Array(cap);
      d.set(dist);
      dist = d;
    }
    for (let j = 0; j < found; j++) {
      leftIdx[n] = i;
      rightIdx[n] = idxBuf[j];
      dist[n] = arcsecFromChord(Math.sqrt(d2Buf[j]));
      n++;
    }
  }
  const result = {
    leftIdx: leftIdx.slice(0, n),
    rightIdx: rightIdx.slice(0, n),
    distArcsec: dist.slice(0, n),
  };
  checkMatchResult(result, options.radiusArcsec, nLeft, nRight);
  return result;
}

function grow(a: Uint32Array, cap: number): Uint32Array {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}

function emptyResult(): MatchResult {
  return {
    leftIdx: new Uint32Array(0),
    rightIdx: new Uint32Array(0),
    distArcsec: new Float64Array(0),
  };
}

/**
 * The kernel's output contract, checked at the boundary as lsdb's
 * `abstract_crossmatch_algorithm.py` does: equal lengths, indices in range, distances within the
 * radius (one part in 1e12 of slack for the asin round trip).
 */
export function checkMatchResult(
  result: MatchResult,
  radiusArcsec: number,
  nLeft: number,
  nRight: number,
): void {
  const n = result.leftIdx.length;
  if (result.rightIdx.length !== n || result.distArcsec.length !== n) {
    throw new Error(
      `crossmatch kernel: output lengths differ (left ${n}, right ${result.rightIdx.length}, dist ${result.distArcsec.length})`,
    );
  }
  const limit = radiusArcsec * (1 + 1e-12);
  for (let i = 0; i < n; i++) {
    if (result.leftIdx[i] >= nLeft || result.rightIdx[i] >= nRight) {
      throw new Error(`crossmatch kernel: row index out of range at output row ${i}`);
    }
    if (!(result.distArcsec[i] <= limit)) {
      throw new Error(
        `crossmatch kernel: distance ${result.distArcsec[i]} arcsec exceeds the radius ${radiusArcsec} at output row ${i}`,
      );
    }
  }
}
