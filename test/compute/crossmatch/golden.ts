/** Helpers for the LSDB golden crossmatch tests (expected CSVs of lsdb `tests/data/raw/xmatch_expected`). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import { LSDB_DATA } from '../../fixtures';

export interface Pair {
  left: number;
  right: number | null;
  distArcsec: number | null;
}

/** Rows of an expected file: `,ss_id,xmatch_id,dist` with dist in degrees (lsdb checks dist*3600). */
export function readExpected(file: string): Pair[] {
  const text = readFileSync(join(LSDB_DATA, 'raw', 'xmatch_expected', file), 'utf8');
  const lines = text.trim().split(/\r?\n/);
  expect(lines[0]).toBe(',ss_id,xmatch_id,dist');
  return lines.slice(1).map((line) => {
    const [, l, r, d] = line.split(',');
    return { left: Number(l), right: Number(r), distArcsec: Number(d) * 3600 };
  });
}

export async function collect(tables: AsyncIterable<Table>): Promise<Table[]> {
  const out: Table[] = [];
  for await (const t of tables) out.push(t);
  return out;
}

/** (left id, right id, distance) of every output row, in output order. */
export function pairsOf(tables: Table[], leftId: string, rightId: string): Pair[] {
  const out: Pair[] = [];
  for (const t of tables) {
    const l = t.getChild(leftId)!;
    const r = t.getChild(rightId)!;
    const d = t.getChild('_dist_arcsec')!;
    for (let i = 0; i < t.numRows; i++) {
      const rv = r.get(i);
      out.push({
        left: Number(l.get(i)),
        right: rv === null ? null : Number(rv),
        distArcsec: d.get(i),
      });
    }
  }
  return out;
}

const byIds = (a: Pair, b: Pair) => a.left - b.left || (a.right ?? -1) - (b.right ?? -1);

/** Same rows as LSDB: equal (left, right) pairs, distances within 1e-6 arcsec. */
export function expectSamePairs(got: Pair[], want: Pair[]): void {
  expect(got.length).toBe(want.length);
  const g = [...got].sort(byIds);
  const w = [...want].sort(byIds);
  expect(g.map((p) => [p.left, p.right])).toEqual(w.map((p) => [p.left, p.right]));
  for (let i = 0; i < g.length; i++) {
    if (w[i].distArcsec === null) expect(g[i].distArcsec).toBeNull();
    else expect(Math.abs(g[i].distArcsec! - w[i].distArcsec!)).toBeLessThan(1e-6);
  }
}

/** lsdb row order inside the output: per left row, distances ascending. */
export function expectDistanceOrder(got: Pair[]): void {
  for (let i = 1; i < got.length; i++) {
    if (
      got[i].left === got[i - 1].left &&
      got[i].distArcsec !== null &&
      got[i - 1].distArcsec !== null
    ) {
      expect(got[i].distArcsec!).toBeGreaterThanOrEqual(got[i - 1].distArcsec!);
    }
  }
}
