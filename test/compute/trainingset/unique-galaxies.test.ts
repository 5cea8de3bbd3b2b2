import { describe, expect, it } from 'vitest';
import {
  compareIds,
  homogenizeFlags,
  instrumentTypeScore,
} from '../../../compute/trainingset/flags';
import {
  TIE,
  enforceOneToOne,
  groupRows,
  resolveUniqueGalaxies,
  type UniqueGalaxyInput,
} from '../../../compute/trainingset/unique-galaxies';

/** Rows as objects, for readable hand-built cases. */
interface Row {
  obj: string | null;
  id?: string | null;
  z: number;
  flag?: number;
  type?: string | null;
}

function columns(rows: Row[]): UniqueGalaxyInput {
  return {
    photometricId: rows.map((r) => r.obj),
    speczId: rows.map((r) => r.id ?? null),
    z: rows.map((r) => r.z),
    zFlag: rows.map((r) => r.flag ?? NaN),
    instrumentType: rows.map((r) => r.type ?? null),
  };
}

const statusOf = (rows: Row[]) => Array.from(resolveUniqueGalaxies(columns(rows)).status);

describe('homogenizeFlags', () => {
  it('keeps flags already on the CRC scale and blanks the rest', () => {
    const h = homogenizeFlags([0, 1, 2, 3, 4, 6, 5, 9, null, NaN]);
    expect(h.source).toBe('scale');
    expect(Array.from(h.flags)).toEqual([0, 1, 2, 3, 4, 6, NaN, NaN, NaN, NaN]);
    expect(h.invalid).toBe(2);
  });
  it('maps confidences in [0, 1] with the CRC thresholds 0.7, 0.9, 0.99', () => {
    const h = homogenizeFlags([0, 0.5, 0.69, 0.7, 0.89, 0.9, 0.98, 0.99, 1]);
    expect(h.source).toBe('probability');
    expect(Array.from(h.flags)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });
  it('treats integer 0/1 flags as the scale, not as confidences', () => {
    expect(homogenizeFlags([0, 1, 1]).source).toBe('scale');
    expect(homogenizeFlags([null, undefined]).source).toBe('none');
  });
});

describe('instrumentTypeScore / compareIds', () => {
  it('scores s > g > p > anything else', () => {
    expect(['s', 'G', ' p ', 'x', null].map(instrumentTypeScore)).toEqual([3, 2, 1, 0, 0]);
  });
  it('compares integer ids numerically and other ids by characters', () => {
    expect(compareIds('988237693', '1012443539')).toBe(-1);
    expect(compareIds(10n, '9')).toBe(1);
    expect(compareIds(3, 3)).toBe(0);
    expect(compareIds('CRD1_10', 'CRD1_9')).toBe(-1);
  });
});

describe('groupRows', () => {
  it('groups equal keys in order of first appearance, skipping null', () => {
    const g = groupRows(['a', null, 'b', 'a', 7, 'b', undefined, 7]);
    expect(Array.from(g.starts)).toEqual([0, 2, 4, 6]);
    expect(Array.from(g.order)).toEqual([0, 3, 2, 5, 4, 7]);
  });
  it('does not mix a bigint id with the same digits as a string', () => {
    expect(groupRows([1n, '1']).starts.length - 1).toBe(2);
  });
});

describe('resolveUniqueGalaxies', () => {
  it('leaves rows alone when each object has one spec-z, and unmatched rows too', () => {
    expect(
      statusOf([
        { obj: 'A', z: 1 },
        { obj: 'B', z: 1 },
        { obj: null, z: 1 },
        { obj: null, z: 1 },
      ]),
    ).toEqual([1, 1, 1, 1]);
  });

  it('keeps the highest flag', () => {
    expect(
      statusOf([
        { obj: 'A', z: 0.5, flag: 3 },
        { obj: 'A', z: 0.9, flag: 4 },
        { obj: 'A', z: 0.1, flag: 2 },
      ]),
    ).toEqual([0, 1, 0]);
  });

  it('ranks a missing flag below flag 0', () => {
    expect(
      statusOf([
        { obj: 'A', z: 0.5 },
        { obj: 'A', z: 0.9, flag: 0 },
      ]),
    ).toEqual([0, 1]);
  });

  it('breaks a flag tie with the instrument type s > g > p > unknown', () => {
    expect(
      statusOf([
        { obj: 'A', z: 0.5, flag: 4, type: 'p' },
        { obj: 'A', z: 0.6, flag: 4, type: 'g' },
      ]),
    ).toEqual([0, 1]);
    expect(
      statusOf([
        { obj: 'A', z: 0.5, flag: 4, type: 's' },
        { obj: 'A', z: 0.6, flag: 4, type: 'g' },
      ]),
    ).toEqual([1, 0]);
    expect(
      statusOf([
        { obj: 'A', z: 0.5, flag: 4 },
        { obj: 'A', z: 0.6, flag: 4, type: 'p' },
      ]),
    ).toEqual([0, 1]);
    // the flag comes first: a better flag wins over a better instrument
    expect(
      statusOf([
        { obj: 'A', z: 0.5, flag: 3, type: 's' },
        { obj: 'A', z: 0.6, flag: 4, type: 'p' },
      ]),
    ).toEqual([0, 1]);
  });

  it('keeps the smallest id when the redshifts agree within 0.001', () => {
    expect(
      statusOf([
        { obj: 'A', id: '1012443539', z: 0.5, flag: 4 },
        { obj: 'A', id: '988237693', z: 0.5009, flag: 4 },
      ]),
    ).toEqual([0, 1]);
    // without an id column the row number decides
    expect(
      statusOf([
        { obj: 'A', z: 0.5, flag: 4 },
        { obj: 'A', z: 0.5, flag: 4 },
      ]),
    ).toEqual([1, 0]);
  });

  it('chains agreeing redshifts: 0.5, 0.5009, 0.5018 are one galaxy', () => {
    expect(
      statusOf([
        { obj: 'A', id: 'c', z: 0.5018 },
        { obj: 'A', id: 'b', z: 0.5 },
        { obj: 'A', id: 'a', z: 0.5009 },
      ]),
    ).toEqual([0, 0, 1]);
  });

  it('marks a group unresolved when the best rows disagree in z, keeping one row per z', () => {
    const rows: Row[] = [
      { obj: 'A', id: '2', z: 0.5, flag: 4 },
      { obj: 'A', id: '1', z: 0.5004, flag: 4 },
      { obj: 'A', id: '3', z: 0.9, flag: 4 },
      { obj: 'A', id: '0', z: 0.7, flag: 3 },
    ];
    const { status, report } = resolveUniqueGalaxies(columns(rows));
    expect(Array.from(status)).toEqual([TIE.dropped, TIE.unresolved, TIE.unresolved, TIE.dropped]);
    expect(report).toEqual({
      rowsIn: 4,
      groups: 1,
      kept: 0,
      dropped: 2,
      unresolvedGroups: 1,
      unresolvedRows: 2,
      stars: 0,
    });
  });

  it('keeps stars apart (flag 6): never winners, never dropped', () => {
    expect(
      statusOf([
        { obj: 'A', z: 0, flag: 6 },
        { obj: 'A', z: 0.5, flag: 1 },
        { obj: 'A', z: 0.6, flag: 2 },
      ]),
    ).toEqual([3, 0, 1]);
    expect(
      statusOf([
        { obj: 'A', z: 0, flag: 6 },
        { obj: 'A', z: 0.001, flag: 6 },
      ]),
    ).toEqual([3, 3]);
  });

  it('resolves each object on its own and counts everything', () => {
    const rows: Row[] = [
      { obj: 'A', z: 0.3, flag: 4 },
      { obj: 'B', z: 0.3, flag: 4 },
      { obj: 'A', z: 0.3, flag: 2 },
      { obj: null, z: 1.1 },
      { obj: 'B', z: 0.3, flag: 4 },
      { obj: 'C', z: 2.0, flag: 6 },
    ];
    const { status, report } = resolveUniqueGalaxies(columns(rows));
    expect(Array.from(status)).toEqual([1, 1, 0, 1, 0, 3]);
    expect(report).toEqual({
      rowsIn: 6,
      groups: 2,
      kept: 3,
      dropped: 2,
      unresolvedGroups: 0,
      unresolvedRows: 0,
      stars: 1,
    });
  });

  it('holds the rules on random groups (checked row by row)', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const types = ['s', 'g', 'p', null];
    const rows: Row[] = [];
    for (let i = 0; i < 3000; i++) {
      const f = Math.floor(rand() * 8);
      rows.push({
        obj: `o${Math.floor(rand() * 800)}`,
        id: String(Math.floor(rand() * 1e6)),
        z: Math.round(rand() * 20) / 1000,
        flag: f === 5 || f === 7 ? NaN : f,
        type: types[Math.floor(rand() * 4)],
      });
    }
    const { status } = resolveUniqueGalaxies(columns(rows));
    const byObj = new Map<string, number[]>();
    rows.forEach((r, i) => byObj.set(r.obj!, [...(byObj.get(r.obj!) ?? []), i]));
    const flagScore = (r: Row) => (Number.isNaN(r.flag) ? -1 : r.flag!);
    for (const members of byObj.values()) {
      const galaxies = members.filter((i) => rows[i].flag !== 6);
      for (const i of members) if (rows[i].flag === 6) expect(status[i]).toBe(TIE.star);
      if (galaxies.length === 0) continue;
      const kept = galaxies.filter((i) => status[i] !== TIE.dropped);
      expect(kept.length).toBeGreaterThan(0);
      const bestFlag = Math.max(...galaxies.map((i) => flagScore(rows[i])));
      const top = galaxies.filter((i) => flagScore(rows[i]) === bestFlag);
      const bestType = Math.max(...top.map((i) => instrumentTypeScore(rows[i].type)));
      const survivors = top.filter((i) => instrumentTypeScore(rows[i].type) === bestType);
      // every kept row is a survivor; kept rows are separated by > 0.001 in z
      for (const i of kept) expect(survivors).toContain(i);
      const zs = kept.map((i) => rows[i].z).sort((a, b) => a - b);
      for (let k = 1; k < zs.length; k++) expect(zs[k] - zs[k - 1]).toBeGreaterThan(0.001 + 1e-12);
      if (kept.length === 1) expect(status[kept[0]]).toBe(TIE.kept);
      else for (const i of kept) expect(status[i]).toBe(TIE.unresolved);
      // a single survivor cluster keeps its smallest id
      const zMin = Math.min(...survivors.map((i) => rows[i].z));
      const zMax = Math.max(...survivors.map((i) => rows[i].z));
      if (zMax - zMin <= 0.001 + 1e-12) {
        const ids = survivors.map((i) => rows[i].id!).sort((a, b) => compareIds(a, b));
        expect(rows[kept[0]].id).toBe(ids[0]);
      }
    }
  });
});

describe('enforceOneToOne', () => {
  it('keeps the nearest row of each photometric object', () => {
    const status = new Uint8Array([1, 1, 1, 1, 1]);
    const dropped = enforceOneToOne(['A', 'A', 'B', 'A', null], [0.5, 0.2, 0.9, 0.3, NaN], status);
    expect(dropped).toBe(2);
    expect(Array.from(status)).toEqual([0, 1, 1, 0, 1]);
  });
  it('breaks equal distances with the smallest spec-z id and ignores dropped rows', () => {
    const status = new Uint8Array([1, 1, 0]);
    enforceOneToOne(['A', 'A', 'A'], [0.4, 0.4, 0.1], status, ['20', '3', '1']);
    expect(Array.from(status)).toEqual([0, 1, 0]);
  });
});
