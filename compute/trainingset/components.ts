/**
 * Rows that must land on the same side of the train/test split: rows of the same spec-z object
 * (n_neighbors > 1 gives one row per neighbour) and rows of the same photometric object (several
 * spec-z on one object). They are the connected components of the graph spec-z key <-> photometric
 * id, found with a union-find (path halving, union by size).
 */
import type { GroupKey } from './unique-galaxies';

/**
 * Values by row: an array, a typed array, or an object computing them (the decision pass keeps
 * its keys compact and builds each one when asked: decisions.ts).
 */
export interface Indexed<T> {
  readonly length: number;
  at(row: number): T | undefined;
}

export interface Components {
  /** Component number per row, 0..count-1, numbered by first appearance. */
  component: Int32Array;
  count: number;
  /** Per component: the row holding its smallest spec-z key (the key the split draws on). */
  representative: Int32Array;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/**
 * `hashKey` of each row's key, or null for a null key, when the caller has them already (the
 * decision pass takes them while the crossmatch runs, where its thread has time to spare).
 */
export interface KeyHashes {
  speczKey?: (row: number) => number | null;
  photometricId?: (row: number) => number | null;
  /**
   * Whether two rows' spec-z keys are equal, when the caller can tell without building them
   * (keys are then built only where they differ and the smaller one decides).
   */
  sameSpeczKey?: (a: number, b: number) => boolean;
  /**
   * Whether two rows' (non-null) photometric ids are equal as Map keys, when the caller can tell
   * without building them.
   */
  samePhotometricId?: (a: number, b: number) => boolean;
  /**
   * The sign of the comparison of two rows' spec-z keys (as strings), when the caller can tell
   * without building them (the split's representative is the row with the smallest key).
   */
  compareSpeczKey?: (a: number, b: number) => number;
}

/**
 * Links rows sharing a spec-z key or a (non-null) photometric id. `speczKey` must identify the
 * spec-z object (its id, or its coordinates when there is no id column).
 */
export function linkRows(
  speczKey: Indexed<string>,
  photometricId?: Indexed<GroupKey>,
  hashes: KeyHashes = {},
  scratch: LinkScratch = new LinkScratch(),
): Components {
  const n = speczKey.length;
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  const union = (a: number, b: number) => {
    let ra = find(parent, a);
    let rb = find(parent, b);
    if (ra === rb) return;
    if (size[ra] < size[rb]) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra] += size[rb];
  };
  const sameSpeczKey = hashes.sameSpeczKey;
  linkEqualKeys(n, (i) => speczKey.at(i), union, hashes.speczKey, sameSpeczKey, scratch);
  if (photometricId) {
    const objectAt = (i: number) => photometricId.at(i) ?? null;
    linkEqualKeys(n, objectAt, union, hashes.photometricId, hashes.samePhotometricId, scratch);
  }
  const compare = hashes.compareSpeczKey;
  const smaller = compare
    ? (a: number, b: number) => compare(a, b) < 0
    : (a: number, b: number) => !sameSpeczKey?.(a, b) && speczKey.at(a)! < speczKey.at(b)!;
  const component = new Int32Array(n);
  const numberOf = size.fill(-1); // reused: component number per root row
  const reps = new Int32Array(n); // the first `count` are used
  let count = 0;
  for (let i = 0; i < n; i++) {
    const root = find(parent, i);
    let c = numberOf[root];
    if (c < 0) {
      c = count++;
      numberOf[root] = c;
      reps[c] = i;
    } else if (smaller(i, reps[c])) {
      reps[c] = i;
    }
    component[i] = c;
  }
  return { component, count, representative: reps.slice(0, count) };
}

type Key = string | number | bigint;

/**
 * The typed arrays of linkEqualKeys, made once for the calls of one decision pass: each call
 * over 950k rows takes five 3.8 MB arrays, and the garbage collector gave the external memory of
 * three calls back only after the pass (bench 10M x 1M).
 */
export class LinkScratch {
  private size = 0;
  private hash = new Uint32Array(0);
  private rows = new Int32Array(0);
  private keys = new Uint32Array(0);
  private keysOut = new Uint32Array(0);
  private orderOut = new Int32Array(0);

  /** Arrays of at least `n` elements (the previous contents are not kept). */
  take(n: number): SortBuffers & { hash: Uint32Array; rows: Int32Array } {
    if (n > this.size) {
      this.size = n;
      this.hash = new Uint32Array(n);
      this.rows = new Int32Array(n);
      this.keys = new Uint32Array(n);
      this.keysOut = new Uint32Array(n);
      this.orderOut = new Int32Array(n);
    }
    return {
      hash: this.hash,
      rows: this.rows,
      keys: this.keys,
      keysOut: this.keysOut,
      orderOut: this.orderOut,
    };
  }
}

interface SortBuffers {
  keys: Uint32Array;
  keysOut: Uint32Array;
  orderOut: Int32Array;
}

/**
 * Calls `link(first, row)` for every row whose key equals (SameValueZero, as Map keys: 5, 5n and
 * '5' differ, NaN equals NaN) that of an earlier row `first`; null keys link nothing. Rows are
 * sorted by a 32-bit hash of their key and rows of equal hash compared by value: two Maps of a
 * million keys each took a 950k-row run 1.2 s and ~100 MiB; these typed arrays take a few MiB.
 */
export function linkEqualKeys(
  n: number,
  keyAt: (row: number) => Key | null | undefined,
  link: (first: number, row: number) => void,
  /** `hashKey(keyAt(row))` (null for a null key) when known: keys are then built only to compare rows of one hash. */
  hashAt?: (row: number) => number | null,
  /** Whether two rows' (non-null) keys are equal, when known without building them. */
  sameAt?: (a: number, b: number) => boolean,
  scratch: LinkScratch = new LinkScratch(),
): void {
  const buffers = scratch.take(n);
  const { hash, rows } = buffers;
  // Rows whose hash shares its bucket with no other row's cannot share a key: only the others
  // are sorted (a few percent when keys repeat little; the sort of all rows took most of the time).
  const shift = 32 - bucketBits(n);
  const seen = new Int32Array(1 << Math.max(0, 32 - shift - 5));
  const twice = new Int32Array(seen.length);
  let keyed = 0;
  for (let i = 0; i < n; i++) {
    let h: number;
    if (hashAt) {
      const given = hashAt(i);
      if (given === null) continue;
      h = given;
    } else {
      const k = keyAt(i);
      if (k === null || k === undefined) continue;
      h = hashKey(k);
    }
    hash[i] = h;
    rows[keyed++] = i;
    const bucket = h >>> shift;
    const bit = 1 << (bucket & 31);
    if (seen[bucket >>> 5] & bit) twice[bucket >>> 5] |= bit;
    else seen[bucket >>> 5] |= bit;
  }
  let m = 0;
  for (let j = 0; j < keyed; j++) {
    const row = rows[j];
    const bucket = hash[row] >>> shift;
    if (twice[bucket >>> 5] & (1 << (bucket & 31))) rows[m++] = row;
  }
  const sorted = sortByHash(rows.subarray(0, m), hash, buffers);
  const firsts: number[] = []; // first row of each distinct key among rows of one hash
  for (let j = 0; j < m;) {
    const h = hash[sorted[j]];
    let end = j + 1;
    while (end < m && hash[sorted[end]] === h) end++;
    if (end - j > 1) {
      firsts.length = 0;
      for (; j < end; j++) {
        const row = sorted[j];
        let first: number | undefined;
        if (sameAt) first = firsts.find((f) => sameAt(f, row));
        else {
          const key = keyAt(row)!;
          first = firsts.find((f) => sameKey(keyAt(f)!, key));
        }
        if (first === undefined) firsts.push(row);
        else link(first, row);
      }
    }
    j = end;
  }
}

/** Bits of the buckets of linkEqualKeys's filter: about 16 buckets a row (a 2 MiB bitmap at 1M rows). */
function bucketBits(n: number): number {
  return Math.min(27, Math.max(10, Math.ceil(Math.log2(Math.max(1, n))) + 4));
}

/** Below this many rows a comparison sort beats the radix sort's bucket passes. */
const RADIX_MIN_ROWS = 4096;
const RADIX_BITS = 11;
const RADIX_BUCKETS = 1 << RADIX_BITS;
const RADIX_PASSES = Math.ceil(32 / RADIX_BITS);

/**
 * `rows` (ascending) ordered by (hash, row): an LSD radix sort on the 32-bit hash in three
 * passes of 11 bits, stable, so rows of one hash stay ascending (a numeric sort of packed
 * hash-and-row doubles took a 950k-row decision pass 0.38 s for its three sorts).
 */
function sortByHash(rows: Int32Array, hash: Uint32Array, buffers: SortBuffers): Int32Array {
  const n = rows.length;
  if (n < RADIX_MIN_ROWS) return rows.sort((a, b) => hash[a] - hash[b] || a - b);
  const mask = RADIX_BUCKETS - 1;
  let keys = buffers.keys.subarray(0, n);
  for (let j = 0; j < n; j++) keys[j] = hash[rows[j]];
  let order: Int32Array = rows;
  let keysOut = buffers.keysOut.subarray(0, n);
  let orderOut = buffers.orderOut.subarray(0, n);
  // every pass's bucket counts in one read of the keys
  const starts = new Int32Array(RADIX_BUCKETS * RADIX_PASSES);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < RADIX_PASSES; p++) {
      starts[p * RADIX_BUCKETS + ((keys[j] >>> (p * RADIX_BITS)) & mask)]++;
    }
  }
  for (let p = 0; p < RADIX_PASSES; p++) {
    const shift = p * RADIX_BITS;
    const base = p * RADIX_BUCKETS;
    let sum = 0;
    for (let b = base; b < base + RADIX_BUCKETS; b++) {
      const count = starts[b];
      starts[b] = sum;
      sum += count;
    }
    for (let j = 0; j < n; j++) {
      const key = keys[j];
      const at = starts[base + ((key >>> shift) & mask)]++;
      keysOut[at] = key;
      orderOut[at] = order[j];
    }
    const k = keys;
    keys = keysOut;
    keysOut = k;
    const o = order;
    order = orderOut;
    orderOut = o;
  }
  if (order !== rows) rows.set(order);
  return rows;
}

export function sameKey(a: Key, b: Key): boolean {
  return a === b || (a !== a && b !== b); // NaN equals NaN, as in a Map
}

const hashWords = new Float64Array(1);
const hashInts = new Int32Array(hashWords.buffer);

/** A 32-bit hash (unsigned) of a key; keys that are SameValueZero-equal hash alike. */
export function hashKey(k: Key): number {
  let h: number;
  if (typeof k === 'string') {
    h = 0x811c9dc5; // FNV-1a over UTF-16 code units
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    h ^= 1;
  } else if (typeof k === 'number') {
    if (k !== k) h = 0x7ff80000;
    else if (k === 0)
      h = 0; // -0 and 0
    else {
      hashWords[0] = k;
      h = hashInts[0] ^ Math.imul(hashInts[1], 0x9e3779b1);
    }
    h ^= 2;
  } else {
    return hashInt64Words(Number(BigInt.asUintN(32, k)), Number(BigInt.asUintN(32, k >> 32n)));
  }
  return fmix32(h);
}

/** hashKey of a BigInt from its two's-complement 32-bit words (no BigInt made). */
export function hashInt64Words(lo: number, hi: number): number {
  return fmix32(lo ^ Math.imul(hi, 0x9e3779b1) ^ 3);
}

/** murmur3's final avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
