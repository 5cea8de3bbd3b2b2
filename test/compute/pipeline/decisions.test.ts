/**
 * The decision pass's compact key storage gives back exactly the values it was given (the plain
 * array of them is the oracle), whatever their kinds and order, and DecisionKeys builds the same
 * spec-z and photometric keys the rules saw when they were JS arrays.
 */
import {
  Float64,
  Int64,
  Table,
  Uint64,
  Utf8,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DecisionKeys, KeyColumn, type KeyColumnNames } from '../../../compute/pipeline/decisions';
import { homogenizeFlags } from '../../../compute/trainingset/flags';
import { fnv1a64Reference, fnvBegin, fnvEnd } from '../../../compute/trainingset/hash';
import { assignSplit, speczKeyOf } from '../../../compute/trainingset/split';
import { resolveUniqueGalaxies } from '../../../compute/trainingset/unique-galaxies';
import { mulberry32 } from '../crossmatch/sky';

type Value = string | number | bigint | null;

/** The key columns of the test tables (spec-z columns suffixed as the crossmatch does). */
function keyNames(speczId: string | null): KeyColumnNames {
  return {
    speczId,
    speczRa: 'ra_specz',
    speczDec: 'dec_specz',
    z: 'z_specz',
    zFlag: null,
    instrumentType: null,
    photometricId: 'objectId',
    photometricRa: 'ra',
    photometricDec: 'dec',
    dist: '_dist_arcsec',
  };
}

/**
 * DecisionKeys of 8 matched rows added twice (row k + 8 repeats row k), calling `check` for every
 * pair of the 16 rows; `check` tells whether the pair's keys are equal. Returns how many equal
 * pairs are of different rows of the 8 (so a test can see its data has some). A column given as
 * null gets a default: spec-z ids 0-7, positions 0, object ids 0-7.
 */
function everyPairOfTwice(
  columns: {
    id_specz: Vector | null;
    ra_specz: number[] | null;
    dec_specz: number[] | null;
    objectId: Vector | null;
    ra: number[];
    dec: number[];
  },
  check: (keys: DecisionKeys, a: number, b: number) => boolean,
): number {
  const ids = vectorFromArray(
    Array.from({ length: 8 }, (_, i) => BigInt(i)),
    new Int64(),
  );
  const numbers = (values: number[] | null) =>
    makeVector(Float64Array.from(values ?? new Array(8).fill(0)));
  const t = new Table({
    id_specz: columns.id_specz ?? ids,
    ra_specz: numbers(columns.ra_specz),
    dec_specz: numbers(columns.dec_specz),
    z_specz: numbers(null),
    objectId: columns.objectId ?? ids,
    ra: numbers(columns.ra),
    dec: numbers(columns.dec),
    _dist_arcsec: numbers(null),
  });
  const keys = new DecisionKeys(keyNames('id_specz'));
  keys.add(t);
  keys.add(t);
  let equalPairs = 0;
  for (let a = 0; a < 16; a++) {
    for (let b = 0; b < 16; b++) {
      if (check(keys, a, b) && a % 8 !== b % 8) equalPairs++;
    }
  }
  return equalPairs;
}

function roundTrip(values: Value[]): Value[] {
  const column = new KeyColumn();
  for (const v of values) column.push(v);
  expect(column.length).toBe(values.length);
  return values.map((_, i) => column.at(i));
}

describe('KeyColumn', () => {
  it('keeps int64 ids (beyond 2^53, negative), nulls first or between', () => {
    const values: Value[] = [null, null, 2n ** 62n + 1n, -(2n ** 63n), null, 7n];
    expect(roundTrip(values)).toEqual(values);
  });

  it('keeps numbers bit for bit: -0, NaN, fractions', () => {
    const out = roundTrip([0.5, -0, Number.NaN, null, 1e300]);
    expect(Object.is(out[1], -0)).toBe(true);
    expect(out[2]).toBeNaN();
    expect(out).toEqual([0.5, -0, Number.NaN, null, 1e300]);
  });

  it('falls back to JS values for strings, uint64 beyond int64 and mixed kinds', () => {
    for (const values of [
      ['a', null, ''],
      [1n, 2n ** 64n - 1n, null],
      [1n, 2, '3', null],
      [null, 5, 5n],
    ] as Value[][]) {
      expect(roundTrip(values)).toEqual(values);
    }
  });

  it('gives each value as String() does, and null for null', () => {
    const edges = [
      0n,
      -1n,
      2n ** 53n - 1n,
      2n ** 53n,
      -(2n ** 53n),
      -(2n ** 53n) - 1n,
      2n ** 63n - 1n,
    ];
    for (const values of [
      [...edges, null, 123456789012n, -(2n ** 63n)],
      [0.5, -0, Number.NaN, null, 7],
      ['a', '', null],
    ] as Value[][]) {
      const column = new KeyColumn();
      for (const v of values) column.push(v);
      expect(values.map((_, i) => column.text(i))).toEqual(
        values.map((v) => (v === null ? null : String(v))),
      );
    }
  });

  it('hashes each value as FNV-1a 64 of its String() text', () => {
    const rand = mulberry32(17);
    const ints: Value[] = [0n, -1n, 9n, 10n, 999999999n, 1000000000n, 1000000001n, -1000000000n];
    for (const p of [31n, 32n, 52n, 53n, 62n]) ints.push(2n ** p - 1n, 2n ** p, -(2n ** p) - 1n);
    for (let k = 0; k < 2000; k++) ints.push(BigInt(Math.floor(rand() * 2 ** 53)) - 2n ** 52n);
    const numbers: Value[] = [0, -0, 7, -7, 1e9, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 53, 0.5, NaN];
    for (let k = 0; k < 2000; k++) numbers.push(Math.floor((rand() - 0.5) * 2 ** (1 + (k % 53))));
    const words = new Uint32Array(2);
    for (const values of [ints, numbers, ['a', 'ção', '12']] as Value[][]) {
      const column = new KeyColumn();
      for (const v of values) column.push(v);
      values.forEach((v, i) => {
        fnvBegin();
        column.hashText(i);
        fnvEnd(words);
        const hash = (BigInt(words[0]) << 32n) | BigInt(words[1]);
        expect(hash, String(v)).toBe(fnv1a64Reference(String(v)));
      });
    }
  });

  it('grows past its first allocations', () => {
    const rand = mulberry32(9);
    const values: Value[] = Array.from({ length: 5000 }, () =>
      rand() < 0.1 ? null : BigInt(Math.floor(rand() * 2 ** 52)) * 4096n,
    );
    expect(roundTrip(values)).toEqual(values);
  });
});

describe('DecisionKeys', () => {
  it('builds each row spec-z key and photometric key as speczKeyOf and the radec fallback', () => {
    const t = new Table({
      id_specz: vectorFromArray(['s1', null, '', 's4'], new Utf8()),
      ra_specz: makeVector(Float64Array.of(10.5, 11.25, 12, 13)),
      dec_specz: makeVector(Float64Array.of(-1, -2.5, -3, -4)),
      z_specz: makeVector(Float64Array.of(0.1, 0.2, 0.3, 0.4)),
      objectId: vectorFromArray([2n ** 60n, null, 5n, null], new Int64()),
      ra: makeVector(Float64Array.of(10.50001, 11.25001, 12.00001, 13)),
      dec: makeVector(Float64Array.of(-1, -2.5, -3, -4)),
      _dist_arcsec: vectorFromArray([0.1, 0.2, 0.3, null], new Float64()),
    });
    const keys = new DecisionKeys(keyNames('id_specz'));
    keys.add(t);
    keys.add(t);
    expect(keys.rows).toBe(8);
    const ids = ['s1', null, '', 's4'];
    const ras = [10.5, 11.25, 12, 13];
    const decs = [-1, -2.5, -3, -4];
    for (let i = 0; i < 8; i++) {
      const r = i % 4;
      expect(keys.speczKey(i)).toBe(speczKeyOf(ids[r], ras[r], decs[r]));
    }
    expect([0, 1, 2, 3].map((i) => keys.photometricId(i))).toEqual([
      2n ** 60n,
      'radec:11.25001:-2.5',
      5n,
      null,
    ]);
    expect([0, 1, 2, 3].map((i) => keys.matched(i))).toEqual([true, true, true, false]);
    const d = keys.decide({
      uniqueGalaxies: true,
      oneToOne: true,
      split: { method: 'random', trainFraction: 0.5, seed: 3 },
    });
    // the second table's rows share objects with the first's: one of each matched pair is
    // dropped, the unmatched rows (3 and 7) are kept
    expect(d.unmatched).toBe(2);
    expect(d.rowsOut).toBe(5);
    expect(Array.from(d.status)).toEqual([1, 1, 1, 1, 0, 0, 0, 1]);
  });

  it('splits as assignSplit does on the plain keys, keeping only the columns the decisions need', () => {
    const rand = mulberry32(21);
    const n = 3000;
    const t = new Table({
      id_specz: vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : `s${i % 2500}`)),
        new Utf8(),
      ),
      ra_specz: makeVector(Float64Array.from({ length: n }, () => rand() * 10)),
      dec_specz: makeVector(Float64Array.from({ length: n }, () => rand() * 10)),
      z_specz: makeVector(Float64Array.from({ length: n }, () => rand())),
      objectId: vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : BigInt(i % 2000) * 3n ** 30n)),
        new Int64(),
      ),
      ra: makeVector(Float64Array.from({ length: n }, (_, i) => i % 1900)),
      dec: makeVector(Float64Array.from({ length: n }, () => 1)),
      _dist_arcsec: vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : rand())),
        new Float64(),
      ),
    });
    const names = keyNames('id_specz');
    const all = new DecisionKeys(names);
    all.add(t);
    // the oracle: assignSplit on JS arrays of the keys (no hashes, no draws taken beforehand)
    const speczKeys = Array.from({ length: n }, (_, i) => all.speczKey(i));
    const objects = Array.from({ length: n }, (_, i) => all.photometricId(i));
    const z = t.getChild('z_specz')!.toArray() as Float64Array;
    for (const method of ['random', 'stratified'] as const) {
      const split = { method, trainFraction: 0.6, seed: 77, zBins: 4 };
      const oracle = assignSplit({ speczKey: speczKeys, photometricId: objects, z }, split);
      expect(oracle.report.groups).toBeLessThan(n); // rows were linked
      const needs = { uniqueGalaxies: false, oneToOne: false, splitMethod: method };
      // room made for fewer rows than come (the columns grow), or for more
      const fitted = new DecisionKeys(names, needs, method === 'random' ? 1000 : 5000);
      fitted.add(t.slice(0, 1234));
      fitted.add(t.slice(1234));
      for (const keys of [all, fitted]) {
        const d = keys.decide({ uniqueGalaxies: false, oneToOne: false, split });
        expect(Array.from(d.isTrainingSet)).toEqual(Array.from(oracle.isTrainingSet));
        expect(d.split).toEqual(oracle.report);
      }
    }
    // unique galaxies and one-to-one decide the same on keys kept for just them
    const split = { method: 'random' as const, trainFraction: 0.6, seed: 5 };
    const both = { uniqueGalaxies: true, oneToOne: true };
    const fitted = new DecisionKeys(names, { ...both, splitMethod: 'random' });
    fitted.add(t);
    const [a, b] = [all, fitted].map((keys) => keys.decide({ ...both, split }));
    expect(Array.from(b.status)).toEqual(Array.from(a.status));
    expect(Array.from(b.isTrainingSet)).toEqual(Array.from(a.isTrainingSet));
    expect(b.rowsOut).toBeLessThan(n);
    // a decision the keys were not kept for is a programming error, not a wrong answer
    const lean = new DecisionKeys(names, {
      uniqueGalaxies: false,
      oneToOne: false,
      splitMethod: 'random',
    });
    lean.add(t);
    expect(() => lean.decide({ uniqueGalaxies: false, oneToOne: true, split })).toThrow(
      /one-to-one/,
    );
    expect(() =>
      lean.decide({
        uniqueGalaxies: false,
        oneToOne: false,
        split: { ...split, method: 'stratified' },
      }),
    ).toThrow(/stratified/);
    expect(Array.from({ length: n }, (_, i) => lean.matched(i))).toEqual(
      Array.from({ length: n }, (_, i) => i % 13 !== 0),
    );
  });

  it('tells equal and smaller spec-z keys as comparing the built keys does, for every kind of id', () => {
    // positions whose texts are prefixes of each other (the key goes on with ':' after ra)
    const ra = [1.5, 1.5, -0, 0, 2, 2, 1.52, 15];
    const dec = [-2, -2, 4, 4, 5, 5.000000000000001, -2, -2.5];
    const idColumns = {
      int64: vectorFromArray(
        [null, null, 5n, 5n, 2n ** 60n, 2n ** 60n + 1n, 7n, null],
        new Int64(),
      ),
      float: vectorFromArray([null, 0.1, -0, 0, 3, 3, null, 1e300], new Float64()),
      text: vectorFromArray(['', null, 'a', 'a', 'b', '', '', 'c'], new Utf8()),
      // decimal texts that order differently from the numbers (prefixes, signs, 2^53 and over)
      int64Digits: vectorFromArray(
        [12n, 120n, -5n, -12n, 9n, 2n ** 53n + 1n, 2n ** 52n, 12n],
        new Int64(),
      ),
      floatDigits: vectorFromArray([12, 120, -5, -12, 9, 100.5, 1e21, 12], new Float64()),
    };
    for (const [kind, ids] of Object.entries(idColumns)) {
      const equalPairs = everyPairOfTwice(
        { id_specz: ids, ra_specz: ra, dec_specz: dec, objectId: null, ra, dec },
        (keys, a, b) => {
          const same = keys.speczKey(a) === keys.speczKey(b);
          expect(keys.sameSpeczKey(a, b), `${kind} ${a} ${b}`).toBe(same);
          const [keyA, keyB] = [keys.speczKey(a), keys.speczKey(b)];
          const order = keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
          expect(keys.compareSpeczKey(a, b), `${kind} ${keyA} ${keyB}`).toBe(order);
          return same;
        },
      );
      expect(equalPairs, kind).toBeGreaterThan(0);
    }
  });

  it('tells equal photometric objects as Map keys of the built ids do, for every kind of id', () => {
    const ra = [1.5, 1.5, -0, 0, 2, 2, NaN, NaN];
    const dec = [-2, -2, 4, 4, 5, 5.000000000000001, 1, 1];
    const objectColumns = {
      int64: vectorFromArray(
        [5n, 5n, 2n ** 60n, 2n ** 60n + 1n, -1n, -1n, 0n, 2n ** 60n],
        new Int64(),
      ),
      float: vectorFromArray([-0, 0, NaN, NaN, 3, 3.0000000000000004, 1e300, 1e300], new Float64()),
      text: vectorFromArray(['a', 'a', '', '', 'b', 'B', '5', '5'], new Utf8()),
      // no ids: the key is the position
      none: vectorFromArray(new Array<bigint | null>(8).fill(null), new Int64()),
      // some ids, some positions
      mixed: vectorFromArray([null, null, 7n, 7n, null, 8n, null, null], new Int64()),
    };
    for (const [kind, objects] of Object.entries(objectColumns)) {
      const equalPairs = everyPairOfTwice(
        { id_specz: null, ra_specz: null, dec_specz: null, objectId: objects, ra, dec },
        (keys, a, b) => {
          const same = new Map([[keys.photometricId(a), 1]]).has(keys.photometricId(b));
          expect(keys.samePhotometricId(a, b), `${kind} ${a} ${b}`).toBe(same);
          return same;
        },
      );
      expect(equalPairs, kind).toBeGreaterThan(0);
    }
  });

  it('gives back the z flags and instrument types it was given, and resolves unique galaxies on them as on the plain arrays', () => {
    const rand = mulberry32(33);
    const n = 2000;
    const flags = Array.from({ length: n }, () => (rand() < 0.2 ? null : Math.floor(rand() * 5)));
    const kinds = ['PRISM', 'SPECTRUM', 'GRISM'];
    const types = Array.from({ length: n }, () =>
      rand() < 0.15 ? null : kinds[Math.floor(rand() * kinds.length)],
    );
    const objects = Array.from({ length: n }, (_, i) => BigInt(i % 700));
    const z = Float64Array.from({ length: n }, () => rand());
    const t = new Table({
      id_specz: vectorFromArray(
        Array.from({ length: n }, (_, i) => `s${i}`),
        new Utf8(),
      ),
      ra_specz: makeVector(Float64Array.from({ length: n }, () => rand())),
      dec_specz: makeVector(Float64Array.from({ length: n }, () => rand())),
      z_specz: makeVector(z),
      q_specz: vectorFromArray(flags, new Float64()),
      type_specz: vectorFromArray(types, new Utf8()),
      objectId: vectorFromArray(objects, new Int64()),
      ra: makeVector(Float64Array.from({ length: n }, () => rand())),
      dec: makeVector(Float64Array.from({ length: n }, () => rand())),
      _dist_arcsec: makeVector(Float64Array.from({ length: n }, () => rand())),
    });
    const keys = new DecisionKeys({
      ...keyNames('id_specz'),
      zFlag: 'q_specz',
      instrumentType: 'type_specz',
    });
    keys.add(t.slice(0, 900));
    keys.add(t.slice(900));
    expect(keys.zFlags()).toEqual(flags);
    expect(keys.instrumentTypes()).toEqual(types);
    const oracle = resolveUniqueGalaxies({
      photometricId: objects,
      speczId: Array.from({ length: n }, (_, i) => `s${i}`),
      z,
      zFlag: homogenizeFlags(flags).flags,
      instrumentType: types,
    });
    const d = keys.decide({
      uniqueGalaxies: true,
      oneToOne: false,
      split: { method: 'random', trainFraction: 0.5, seed: 3 },
    });
    expect(Array.from(d.status)).toEqual(Array.from(oracle.status));
    expect(d.uniqueGalaxies).toEqual(oracle.report);
    expect(oracle.report.groups).toBeGreaterThan(0);
  });

  it('links int64 object ids read as words (a table without nulls) with the same ids read as BigInts', () => {
    const ids = [2n ** 62n + 5n, -7n, 2n ** 32n, 5n];
    const table = (specz: string[], objects: (bigint | null)[], dist: (number | null)[]) =>
      new Table({
        id_specz: vectorFromArray(specz, new Utf8()),
        ra_specz: makeVector(Float64Array.of(1, 2, 3, 4)),
        dec_specz: makeVector(Float64Array.of(1, 2, 3, 4)),
        z_specz: makeVector(Float64Array.of(0.1, 0.2, 0.3, 0.4)),
        objectId: vectorFromArray(objects, new Int64()),
        ra: makeVector(Float64Array.of(1, 2, 3, 4)),
        dec: makeVector(Float64Array.of(1, 2, 3, 4)),
        _dist_arcsec: vectorFromArray(dist, new Float64()),
      });
    const keys = new DecisionKeys(keyNames('id_specz'));
    // no nulls: the ids are read as words; with nulls: as BigInts
    keys.add(table(['a', 'b', 'c', 'd'], ids, [0.1, 0.2, 0.3, 0.4]));
    keys.add(table(['e', 'f', 'g', 'h'], [ids[1], null, ids[0], ids[3]], [0.1, null, 0.3, 0.4]));
    expect(Array.from({ length: 8 }, (_, i) => keys.photometricId(i))).toEqual([
      ...ids,
      ids[1],
      null,
      ids[0],
      ids[3],
    ]);
    const d = keys.decide({
      uniqueGalaxies: false,
      oneToOne: false,
      split: { method: 'random', trainFraction: 0.5, seed: 9 },
    });
    // rows sharing an object are one group: {0,6}, {1,4}, {2}, {3,7}, {5}
    expect(d.split.groups).toBe(5);
    for (const [x, y] of [
      [0, 6],
      [1, 4],
      [3, 7],
    ]) {
      expect(d.isTrainingSet[x], `${x} ${y}`).toBe(d.isTrainingSet[y]);
    }
  });

  it('keeps uint64 object ids beyond int64 exact', () => {
    const t = new Table({
      ra_specz: makeVector(Float64Array.of(1, 2)),
      dec_specz: makeVector(Float64Array.of(1, 2)),
      z_specz: makeVector(Float64Array.of(0.1, 0.2)),
      objectId: vectorFromArray([2n ** 64n - 1n, 1n], new Uint64()),
      ra: makeVector(Float64Array.of(1, 2)),
      dec: makeVector(Float64Array.of(1, 2)),
      _dist_arcsec: makeVector(Float64Array.of(0.1, 0.2)),
    });
    const keys = new DecisionKeys(keyNames(null));
    keys.add(t);
    expect([keys.photometricId(0), keys.photometricId(1)]).toEqual([2n ** 64n - 1n, 1n]);
  });
});
