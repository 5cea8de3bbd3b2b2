/**
 * linkRows / linkEqualKeys against an independent oracle: grouping by JavaScript Map keys
 * (SameValueZero), on keys of every kind the decision pass sees (spec-z key strings, numeric and
 * int64 object ids beyond 2^53, NaN, -0, nulls), with many duplicates, below and above the
 * radix sort's threshold (4096 rows), and over two million rows.
 */
import { describe, expect, it } from 'vitest';
import {
  linkEqualKeys,
  linkRows,
  hashInt64Words,
  hashKey,
} from '../../../compute/trainingset/components';
import type { GroupKey } from '../../../compute/trainingset/unique-galaxies';
import { mulberry32 } from '../crossmatch/sky';

/** For every row, the first row with a SameValueZero-equal key (itself when first; -1 for null). */
function firstByMap(keys: GroupKey[]): Int32Array {
  const first = new Map<unknown, number>();
  return Int32Array.from(keys, (k, i) => {
    if (k === null || k === undefined) return -1;
    if (!first.has(k)) first.set(k, i);
    return first.get(k)!;
  });
}

function firstByLinks(keys: GroupKey[]): Int32Array {
  const out = Int32Array.from(keys, (k, i) => (k === null || k === undefined ? -1 : i));
  let backwards = 0;
  linkEqualKeys(
    keys.length,
    (i) => keys[i],
    (first, row) => {
      if (first >= row) backwards++;
      out[row] = out[first];
    },
  );
  expect(backwards, 'links from a later row').toBe(0);
  return out;
}

/** The first row where two groupings differ, or -1. */
function firstDifference(a: Int32Array, b: Int32Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function mixedKeys(n: number, seed: number): GroupKey[] {
  const rand = mulberry32(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  return Array.from({ length: n }, () => {
    const r = rand();
    if (r < 0.05) return null;
    if (r < 0.3) return `id:${pick(n / 4)}`;
    if (r < 0.5) return BigInt(pick(n / 4)) + 1234567890123456789n; // beyond 2^53
    if (r < 0.55) return [Number.NaN, 0, -0, Infinity][pick(4)];
    if (r < 0.75) return pick(n / 4); // numbers equal in value to some strings' and bigints' ids
    if (r < 0.8) return String(pick(n / 4));
    return `radec:${(pick(1000) / 7).toFixed(6)}:${-pick(90)}`;
  });
}

describe('hashInt64Words', () => {
  it('hashes an int64 from its 32-bit words as hashKey hashes the BigInt', () => {
    const words = new Int32Array(2);
    const big = new BigInt64Array(words.buffer);
    for (const k of [
      0n,
      1n,
      -1n,
      2n ** 62n + 7n,
      -(2n ** 63n),
      2n ** 32n,
      4294967295n,
      -123456789012n,
    ]) {
      big[0] = k;
      expect(hashInt64Words(words[0], words[1]), String(k)).toBe(hashKey(k));
    }
  });
});

describe('linkEqualKeys', () => {
  it('links exactly the rows a Map would group, first row first', () => {
    for (const [n, seed] of [
      [1, 1],
      [50, 2],
      [5000, 3],
      [60_000, 4],
    ]) {
      const keys = mixedKeys(n, seed);
      expect(firstDifference(firstByLinks(keys), firstByMap(keys)), `${n} rows`).toBe(-1);
    }
  });

  it('links the same rows when distinct keys share hash buckets or whole hashes', () => {
    // only rows whose hash bucket is shared are compared: weak hashes put many keys in one bucket
    const keys = mixedKeys(20_000, 5);
    for (const weak of [(h: number) => h & 0xffff, (h: number) => h & 0xff, () => 7]) {
      const out = Int32Array.from(keys, (k, i) => (k === null || k === undefined ? -1 : i));
      linkEqualKeys(
        keys.length,
        (i) => keys[i],
        (first, row) => (out[row] = out[first]),
        (i) => (keys[i] == null ? null : weak(hashKey(keys[i]!))),
      );
      expect(firstDifference(out, firstByMap(keys))).toBe(-1);
    }
  });

  it('keeps 5, 5n, "5", NaN and -0 apart as Map keys do', () => {
    const keys: GroupKey[] = [5, 5n, '5', Number.NaN, -0, 0, Number.NaN, 5n, '5', 5, null, null];
    expect(Array.from(firstByLinks(keys))).toEqual([0, 1, 2, 3, 4, 4, 3, 1, 2, 0, -1, -1]);
  });

  it('groups the same over two million rows', () => {
    const n = 2 ** 21 + 10;
    const keys: GroupKey[] = Array.from({ length: n }, (_, i) =>
      i % 3 === 0 ? BigInt(i % 1000) : `k${i % 777}`,
    );
    expect(firstDifference(firstByLinks(keys), firstByMap(keys))).toBe(-1);
  });
});

describe('linkRows', () => {
  it('finds the components of the spec-z key <-> object id graph', () => {
    const rand = mulberry32(7);
    const n = 20_000;
    const speczKey = Array.from({ length: n }, () => `id:${Math.floor(rand() * 15_000)}`);
    const objectId = mixedKeys(n, 8);
    const links = linkRows(speczKey, objectId);
    // oracle: repeat merging over Map groups until nothing changes
    const label = Int32Array.from({ length: n }, (_, i) => i);
    let changed = true;
    while (changed) {
      changed = false;
      for (const keys of [speczKey, objectId] as GroupKey[][]) {
        const min = new Map<unknown, number>();
        keys.forEach((k, i) => {
          if (k == null) return;
          min.set(k, Math.min(min.get(k) ?? Infinity, label[i]));
        });
        keys.forEach((k, i) => {
          if (k != null && min.get(k)! < label[i]) {
            label[i] = min.get(k)!;
            changed = true;
          }
        });
      }
    }
    const sameComponent = (i: number, j: number) => links.component[i] === links.component[j];
    for (let t = 0; t < 50_000; t++) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * n);
      expect(sameComponent(i, j), `rows ${i} and ${j}`).toBe(label[i] === label[j]);
    }
    expect(links.count).toBe(new Set(label).size);
  });
});
