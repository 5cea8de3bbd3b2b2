/**
 * Repeated ids of a spec-z file were found with a Set of strings (`tsm register` of a 1M-row CSV
 * peaked at 447 MB, the ids ~60 MB of it); IdSet keeps them in typed arrays. It must answer as the
 * Set did: exactly, when hashes collide too.
 */
import { describe, expect, it } from 'vitest';
import { IdSet, fnv1a } from '../../../compute/io/id-set';

/** Which of `ids` repeat an earlier one, by a Set of strings (the former way) and by `set`. */
function repeats(ids: string[], set: IdSet): { expected: number[]; got: number[] } {
  const seen = new Set<string>();
  const expected: number[] = [];
  const got: number[] = [];
  ids.forEach((id, i) => {
    if (seen.has(id)) expected.push(i);
    else seen.add(id);
    if (!set.add(id)) got.push(i);
  });
  return { expected, got };
}

describe('IdSet', () => {
  it('finds the repeats a Set of strings finds, over growth of every array', () => {
    // 300k ids, every 7th one repeating an earlier id: past the first sizes of the arrays
    const ids: string[] = [];
    for (let i = 0; i < 300_000; i++) ids.push(i % 7 === 6 ? String(i * 13) : String(i));
    const set = new IdSet();
    const { expected, got } = repeats(ids, set);
    expect(expected.length).toBeGreaterThan(1000);
    expect(got).toEqual(expected);
    expect(set.size).toBe(ids.length - expected.length);
  });

  it('tells ids apart by their text when every hash collides', () => {
    const set = new IdSet(() => 42);
    const ids = ['1', '10', '01', '1', 'a', 'ab', '', 'ab', '10', ' 1', '1 ', '', 'b'];
    const { expected, got } = repeats(ids, set);
    expect(got).toEqual([3, 7, 8, 11]);
    expect(got).toEqual(expected);
  });

  it('tells ids apart when their hashes collide in the table but differ', () => {
    // hashes equal modulo the table size (the same slot), different in full
    const set = new IdSet((id) => (id.length << 20) | 5);
    const ids = ['x', 'xx', 'y', 'yy', 'x', 'yy', 'xxx'];
    const { expected, got } = repeats(ids, set);
    expect(got).toEqual([4, 5]);
    expect(got).toEqual(expected);
  });

  it('keeps ids beyond Latin-1 (two bytes a character from then on) and those added before', () => {
    const set = new IdSet();
    const ids = ['é1', 'abc', 'Ωmega', 'α', 'abc', 'é1', 'Ωmega', 'ω', 'α', 'ÿ', 'ÿ', '😀', '😀'];
    const { expected, got } = repeats(ids, set);
    expect(got).toEqual([4, 5, 6, 8, 10, 12]);
    expect(got).toEqual(expected);
  });

  it('hashes as FNV-1a over the UTF-16 code units', () => {
    // FNV-1a 32-bit reference values (ASCII text: one code unit a byte)
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});
