/**
 * Rows that must land on the same side of the train/test split: rows of the same spec-z object
 * (n_neighbors > 1 gives one row per neighbour) and rows of the same photometric object (several
 * spec-z on one object). They are the connected components of the graph spec-z key <-> photometric
 * id, found with a union-find (path halving, union by size).
 */
import type { GroupKey } from './unique-galaxies';

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
 * The Map key of a photometric id. Maps compare keys with SameValueZero, which keeps 5, 5n and '5'
 * apart and compares bigints by value, so the id itself is the key (no string per row).
 */
function keyOf(k: GroupKey): string | number | bigint | null {
  return k === null || k === undefined ? null : k;
}

/**
 * Links rows sharing a spec-z key or a (non-null) photometric id. `speczKey` must identify the
 * spec-z object (its id, or its coordinates when there is no id column).
 */
export function linkRows(
  speczKey: ArrayLike<string>,
  photometricId?: ArrayLike<GroupKey>,
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
  const firstSpecz = new Map<string, number>();
  const firstPhot = new Map<string | number | bigint, number>();
  for (let i = 0; i < n; i++) {
    const s = firstSpecz.get(speczKey[i]);
    if (s === undefined) firstSpecz.set(speczKey[i], i);
    else union(s, i);
    const k = photometricId ? keyOf(photometricId[i]) : null;
    if (k === null) continue;
    const p = firstPhot.get(k);
    if (p === undefined) firstPhot.set(k, i);
    else union(p, i);
  }
  const component = new Int32Array(n);
  const numberOf = size.fill(-1); // reused: component number per root row
  const reps: number[] = [];
  for (let i = 0; i < n; i++) {
    const root = find(parent, i);
    let c = numberOf[root];
    if (c < 0) {
      c = reps.length;
      numberOf[root] = c;
      reps.push(i);
    } else if (speczKey[i] < speczKey[reps[c]]) {
      reps[c] = i;
    }
    component[i] = c;
  }
  return { component, count: reps.length, representative: Int32Array.from(reps) };
}
