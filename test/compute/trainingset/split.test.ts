import { describe, expect, it } from 'vitest';
import { linkRows } from '../../../compute/trainingset/components';
import {
  fnv1a64,
  fnv1a64Reference,
  fnvAdd,
  fnvAddInteger,
  fnvBegin,
  fnvEnd,
  keyedUniform,
  keyedUniformReference,
  splitmix64Next,
  uniformOfHash,
} from '../../../compute/trainingset/hash';
import { assignSplit, speczKeyOf, validateSplit } from '../../../compute/trainingset/split';

describe('hash', () => {
  it('matches the FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });
  it('computes FNV-1a 64 on 32-bit words exactly as with BigInt', () => {
    for (const text of [
      '',
      'a',
      'id:1049057662',
      'radec:204.1747:-29.960283',
      'ção ☃ 𝄞',
      'x'.repeat(300),
    ]) {
      expect(fnv1a64(text)).toBe(fnv1a64Reference(text));
    }
    let seed = 5;
    for (let k = 0; k < 500; k++) {
      seed = (seed * 16807) % 2147483647;
      const text = `id:${seed}:${(seed % 977) / 7}`;
      expect(fnv1a64(text)).toBe(fnv1a64Reference(text));
    }
  });

  it('hashes an integer as the text String() gives it, up to 2^53', () => {
    const words = new Uint32Array(2);
    const ints = [0, -0, 1, -1, 9, 10, 99, 100, 999_999_999, 1e9, 1e9 + 1, -1e9, 2 ** 53 - 1];
    ints.push(-(2 ** 53 - 1), 1e15, 123_456_789_012_345, 2 ** 31, 2 ** 32 + 7);
    let seed = 11;
    for (let k = 0; k < 3000; k++) {
      seed = (seed * 48271) % 2147483647;
      ints.push((k % 2 ? -1 : 1) * Math.floor((seed / 2147483647) * 2 ** (k % 54)));
    }
    for (const n of ints) {
      fnvBegin();
      fnvAdd('id:');
      fnvAddInteger(n);
      fnvEnd(words);
      expect((BigInt(words[0]) << 32n) | BigInt(words[1]), String(n)).toBe(
        fnv1a64Reference(`id:${n}`),
      );
    }
  });

  it('matches the splitmix64 reference outputs from seed 0', () => {
    // Vigna's splitmix64.c with x = 0: first three next() values
    const GOLDEN = 0x9e3779b97f4a7c15n;
    const mask = (1n << 64n) - 1n;
    expect(splitmix64Next(0n)).toBe(0xe220a8397b1dcdafn);
    expect(splitmix64Next(GOLDEN)).toBe(0x6e789e6aa1b965f4n);
    expect(splitmix64Next((2n * GOLDEN) & mask)).toBe(0x06c45d188009454fn);
  });
  it('draws on 32-bit words exactly as with BigInt', () => {
    let state = 12345;
    const next = () => (state = (state * 48271) % 2147483647);
    const seeds = [0, 1, 42, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 9007199254740881];
    for (let k = 0; k < 3000; k++) seeds.push(next() * 2 ** (next() % 23) + (next() % 1000));
    seeds.forEach((seed, k) => {
      const key =
        k % 3 === 0 ? `id:${next()}` : k % 3 === 1 ? `radec:${next() / 7}:-${k}` : `ção${k}☃`;
      expect(keyedUniform(seed, key), `${seed} ${key}`).toBe(keyedUniformReference(seed, key));
    });
  });

  it('hashes a key given in pieces as the whole, and draws from its words as from the key', () => {
    const words = new Uint32Array(2);
    for (const parts of [
      ['id:', '1049057662'],
      ['radec:', '204.1747', ':', '-29.960283'],
      ['ção ', '☃ 𝄞'],
      [''],
    ]) {
      const key = parts.join('');
      fnvBegin();
      for (const part of parts) fnvAdd(part);
      fnvEnd(words);
      expect((BigInt(words[0]) << 32n) | BigInt(words[1])).toBe(fnv1a64Reference(key));
      for (const seed of [0, 7, 2 ** 32 + 3, 2 ** 53 - 1]) {
        expect(uniformOfHash(seed, words[0], words[1])).toBe(keyedUniformReference(seed, key));
      }
    }
  });

  it('draws in [0, 1), the same for the same seed and key', () => {
    const u = keyedUniform(42, 'id:1049057662');
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(keyedUniform(42, 'id:1049057662')).toBe(u);
    expect(keyedUniform(43, 'id:1049057662')).not.toBe(u);
  });
});

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => speczKeyOf(1000 + i, 0, 0));
}

function shuffled<T>(items: T[], seed: number): number[] {
  const idx = items.map((_, i) => i);
  let s = seed;
  for (let i = idx.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

describe('assignSplit random', () => {
  const speczKey = keys(100_000);

  it('puts about trainFraction of the rows in the training set', () => {
    const { isTrainingSet, report } = assignSplit(
      { speczKey },
      { method: 'random', trainFraction: 0.7, seed: 1 },
    );
    const frac = report.train / speczKey.length;
    // binomial sd = sqrt(0.21 / 1e5) = 0.00145: 4 sd
    expect(Math.abs(frac - 0.7)).toBeLessThan(0.006);
    expect(report.train + report.test).toBe(100_000);
    expect(isTrainingSet.reduce((a, b) => a + b, 0)).toBe(report.train);
  });

  it('gives each key the same answer whatever the row order', () => {
    const a = assignSplit(
      { speczKey },
      { method: 'random', trainFraction: 0.7, seed: 9 },
    ).isTrainingSet;
    const order = shuffled(speczKey, 5).slice(0, 20_000);
    const b = assignSplit(
      { speczKey: order.map((i) => speczKey[i]) },
      { method: 'random', trainFraction: 0.7, seed: 9 },
    ).isTrainingSet;
    order.forEach((i, k) => expect(b[k]).toBe(a[i]));
  });

  it('changes with the seed', () => {
    const a = assignSplit(
      { speczKey },
      { method: 'random', trainFraction: 0.5, seed: 1 },
    ).isTrainingSet;
    const b = assignSplit(
      { speczKey },
      { method: 'random', trainFraction: 0.5, seed: 2 },
    ).isTrainingSet;
    let same = 0;
    for (let i = 0; i < a.length; i++) same += a[i] === b[i] ? 1 : 0;
    expect(Math.abs(same / a.length - 0.5)).toBeLessThan(0.01);
  });

  it('keeps rows of one spec-z object and of one photometric object together', () => {
    // rows: spec-z s1 matched to o1 and o2; s2 matched to o2; s3 alone; unmatched s4 twice
    const speczKey = ['s1', 's1', 's2', 's3', 's4', 's4'];
    const photometricId = ['o1', 'o2', 'o2', 'o3', null, null];
    const links = linkRows(speczKey, photometricId);
    expect(Array.from(links.component)).toEqual([0, 0, 0, 1, 2, 2]);
    expect(Array.from(links.representative)).toEqual([0, 3, 4]);
    for (let seed = 0; seed < 50; seed++) {
      const t = assignSplit(
        { speczKey, photometricId },
        { method: 'random', trainFraction: 0.5, seed },
      ).isTrainingSet;
      expect(t[1]).toBe(t[0]);
      expect(t[2]).toBe(t[0]);
      expect(t[5]).toBe(t[4]);
      // the group draws on its smallest key, s1
      expect(t[0]).toBe(keyedUniform(seed, 's1') < 0.5 ? 1 : 0);
    }
  });
});

describe('assignSplit stratified', () => {
  it('gives train and test the same redshift distribution, exact per bin', () => {
    const n = 20_000;
    const speczKey = keys(n);
    // a skewed z distribution: z = u^3 * 3
    const z = speczKey.map((_, i) => 3 * ((i * 0.6180339887) % 1) ** 3);
    const { isTrainingSet, report } = assignSplit(
      { speczKey, z },
      { method: 'stratified', trainFraction: 0.7, seed: 3, zBins: 10 },
    );
    expect(report.train).toBe(14_000);
    const sorted = z.map((v, i) => [v, isTrainingSet[i]] as const).sort((a, b) => a[0] - b[0]);
    for (let b = 0; b < 10; b++) {
      const bin = sorted.slice(b * 2000, (b + 1) * 2000);
      expect(bin.reduce((s, r) => s + r[1], 0)).toBe(1400);
    }
    // Kolmogorov-Smirnov distance between the train and test z distributions
    let cTrain = 0;
    let cTest = 0;
    let ks = 0;
    for (const [, t] of sorted) {
      if (t) cTrain++;
      else cTest++;
      ks = Math.max(ks, Math.abs(cTrain / 14_000 - cTest / 6_000));
    }
    expect(ks).toBeLessThan(0.03);
  });

  it('does not depend on the row order', () => {
    const speczKey = keys(5000);
    const z = speczKey.map((_, i) => (i % 97) / 50);
    const opts = { method: 'stratified' as const, trainFraction: 0.6, seed: 11, zBins: 7 };
    const a = assignSplit({ speczKey, z }, opts).isTrainingSet;
    const order = shuffled(speczKey, 77);
    const b = assignSplit(
      { speczKey: order.map((i) => speczKey[i]), z: order.map((i) => z[i]) },
      opts,
    ).isTrainingSet;
    order.forEach((i, k) => expect(b[k]).toBe(a[i]));
  });
});

describe('validateSplit', () => {
  it('refuses fractions outside 0 < f < 1, bad seeds and bins', () => {
    expect(() => validateSplit({ method: 'random', trainFraction: 1, seed: 1 })).toThrow(
      'split.trainFraction: must satisfy 0 < f < 1 (got 1)',
    );
    expect(() => validateSplit({ method: 'random', trainFraction: NaN, seed: 1 })).toThrow(
      '(got NaN)',
    );
    expect(() => validateSplit({ method: 'random', trainFraction: 0.5, seed: -1 })).toThrow(
      'split.seed',
    );
    expect(() =>
      validateSplit({ method: 'stratified', trainFraction: 0.5, seed: 1, zBins: 1 }),
    ).toThrow('split.zBins');
  });
  it('keys rows by id, else by exact coordinates', () => {
    expect(speczKeyOf('12', 1, 2)).toBe('id:12');
    expect(speczKeyOf(null, 0.1, -2.5)).toBe('radec:0.1:-2.5');
  });
});
