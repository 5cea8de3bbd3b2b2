import { describe, expect, it } from 'vitest';
import { PositionSet } from '../../../main/engine/position-set';

/** The oracle: positions as the text keys results.ts used before (numbers compared as numbers). */
const key = (ra: number, dec: number) => `${ra}|${dec}`;

describe('PositionSet', () => {
  it('holds exactly the pairs added, as a Set of their texts does, through many growths', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const set = new PositionSet(4);
    const oracle = new Set<string>();
    const added: [number, number][] = [];
    for (let i = 0; i < 20_000; i++) {
      // repeats, shared ra or dec, neighbouring doubles and whole numbers
      const [ra, dec] =
        i % 5 === 0 && added.length > 0
          ? added[Math.floor(random() * added.length)]
          : i % 7 === 0
            ? [Math.floor(random() * 10), Math.floor(random() * 10)]
            : [360 * random(), 180 * random() - 90];
      set.add(ra, dec);
      oracle.add(key(ra, dec));
      added.push([ra, dec]);
    }
    expect(set.size).toBe(oracle.size);
    for (let i = 0; i < 20_000; i++) {
      const [ra, dec] = i % 2 === 0 ? added[i] : [added[i][0], added[i][1] * (1 + 2 ** -50)];
      expect(set.has(ra, dec)).toBe(oracle.has(key(ra, dec)));
    }
  });

  it('compares as numbers: -0 is 0, the next double is another position, NaN is never held', () => {
    const set = new PositionSet();
    set.add(-0, 10);
    set.add(0, 10);
    expect(set.size).toBe(1);
    expect(set.has(0, 10)).toBe(true);
    expect(set.has(-0, 10)).toBe(true);
    set.add(0.1, 0.2);
    expect(set.has(0.1, 0.2)).toBe(true);
    expect(set.has(0.1 + 2 ** -56, 0.2)).toBe(false);
    expect(set.has(0.1, 0.2 + 2 ** -55)).toBe(false);
    set.add(NaN, 1);
    set.add(1, NaN);
    expect(set.size).toBe(2);
    expect(set.has(NaN, 1)).toBe(false);
  });
});
