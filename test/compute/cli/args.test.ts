import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { joinNegativeValues, parseDecimal } from '../../../compute/cli/args';

const options = {
  'radius-arcsec': { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

describe('joinNegativeValues', () => {
  it('hands a negative number to the option before it, so its own check explains the rule', () => {
    const args = ['--radius-arcsec', '-1', '--seed', '-.5', 'file'];
    // node's parser alone refuses it as ambiguous, before any rule is checked
    expect(() => parseArgs({ args, options, allowPositionals: true, strict: true })).toThrow(
      /ambiguous/,
    );
    const joined = joinNegativeValues(args, options);
    expect(joined).toEqual(['--radius-arcsec=-1', '--seed=-.5', 'file']);
    // a negative word after a positional stays as it was (its own option or an error)
    expect(joinNegativeValues(['file', '-2'], options)).toEqual(['file', '-2']);
    expect(parseArgs({ args: joined, options, allowPositionals: true }).values).toEqual({
      'radius-arcsec': '-1',
      seed: '-.5',
    });
  });

  it('leaves options, flags, given values and words that are not numbers alone', () => {
    const args = ['--json', '-1', '--seed=-3', '--radius-arcsec', '--json', '--seed', '-x'];
    expect(joinNegativeValues(args, options)).toEqual(args);
  });
});

describe('parseDecimal', () => {
  it('reads decimal notation only', () => {
    expect(['1', '-2.5', '+.5', '3.', '1e3', '2.5E-2', ' 7 '].map(parseDecimal)).toEqual([
      1, -2.5, 0.5, 3, 1000, 0.025, 7,
    ]);
    for (const text of ['', ' ', '0x10', '0b1', '1_0', 'Infinity', '1e', '.', 'abc', '1,5'])
      expect(parseDecimal(text), text).toBeNull();
  });
});
