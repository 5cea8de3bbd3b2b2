import { describe, expect, it } from 'vitest';
import { fmtCell, readingNote } from '../../renderer/components/format';

describe('fmtCell', () => {
  it('shows a number with the decimals it has, up to five', () => {
    expect(fmtCell(1.88)).toBe('1.88');
    expect(fmtCell(0.7424)).toBe('0.7424');
    expect(fmtCell(6.92521)).toBe('6.92521');
    expect(fmtCell(-4.57058)).toBe('-4.57058');
    expect(fmtCell(24.0336149)).toBe('24.03361');
  });

  it('keeps one decimal where rounding leaves none, so a non-integer does not look whole', () => {
    expect(fmtCell(2.000001)).toBe('2.0');
    expect(fmtCell(-0.000004 + 3)).toBe('3.0');
  });

  it('writes integers, tiny, huge and non-finite numbers, text and nulls as such', () => {
    expect(fmtCell(53)).toBe('53');
    expect(fmtCell(0.00012345)).toBe('1.2345e-4');
    expect(fmtCell(1.5e7 + 0.5)).toBe('1.5e+7');
    // no trailing zeros in the mantissa (preview tables showed 3.0000e-4)
    expect(fmtCell(3e-4)).toBe('3e-4');
    expect(fmtCell(-1.2e-5)).toBe('-1.2e-5');
    expect(fmtCell(1.00004e-8)).toBe('1e-8');
    expect(fmtCell(1.00005e-8)).toBe('1.0001e-8');
    expect(fmtCell(NaN)).toBe('NaN');
    expect(fmtCell(Infinity)).toBe('Infinity');
    expect(fmtCell(609782208818774019n)).toBe('609782208818774019');
    expect(fmtCell('i')).toBe('i');
    expect(fmtCell(null)).toBe('');
  });
});

describe('readingNote', () => {
  it('says the rows read and the part of the file, or the writing, or that it takes a while', () => {
    expect(readingNote(null)).toBe(
      'Reading the file… a large file takes a while; Cancel stops it.',
    );
    expect(readingNote({ phase: 'read', rowsRead: 1, fraction: 0.999 })).toBe(
      'Reading the file: 1 row read (99%)… Cancel stops it.',
    );
    expect(readingNote({ phase: 'read', rowsRead: 65_536 }, 'the spec-z file')).toBe(
      'Reading the spec-z file: 65,536 rows read… Cancel stops it.',
    );
    expect(readingNote({ phase: 'write', rowsRead: 80, fraction: 1 })).toBe(
      'Writing the catalog: 80 rows… Cancel stops it.',
    );
  });

  it('says why a file is read a second time, in one sentence with the part read (it was "(45%) (the ids ...)")', () => {
    const again =
      "the ids in column 'id' are mixed integer and text (line 500001): reading the file again with them as text";
    expect(readingNote({ phase: 'read', rowsRead: 458_752, fraction: 0.45, again })).toBe(
      "Reading the file: 458,752 rows read (45%); the ids in column 'id' are mixed integer and text (line 500001): reading the file again with them as text… Cancel stops it.",
    );
    // the part of the file not known yet: the reason after the rows, still one sentence
    expect(readingNote({ phase: 'read', rowsRead: 0, again }, 'the spec-z file')).toBe(
      `Reading the spec-z file: 0 rows read; ${again}… Cancel stops it.`,
    );
  });
});
