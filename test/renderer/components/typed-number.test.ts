import { describe, expect, it } from 'vitest';
import { typedNumber } from '../../../renderer/components/typed-number';
import { settingsProblem } from '../../../renderer/state/settings-check';

describe('typedNumber', () => {
  it('reads decimal notation, blank as the empty value', () => {
    expect(typedNumber(' 42 ', null)).toBe(42);
    expect(typedNumber('-1.5e2', null)).toBe(-150);
    expect(typedNumber('.5', null)).toBe(0.5);
    expect(typedNumber('  ', 0)).toBe(0);
  });

  it('keeps other notations as the text typed, for the check to quote (Settings saved a cache of 0x10 as 16 MB)', () => {
    for (const text of ['0x10', '0b11', '0o7', 'Infinity', '1e309', '1_0', '-']) {
      expect(typedNumber(text, null)).toBe(text);
    }
    expect(settingsProblem({ cacheSizeMb: typedNumber('0x10', 0) })).toBe(
      'The cache size must be a whole number of MB from 0 to 1000000 (0: the default) (got 0x10).',
    );
  });
});
