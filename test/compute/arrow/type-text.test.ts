import { Bool, Decimal, Float32, Float64, Int32, Int64, Uint8, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { holdsNumbers } from '../../../compute/arrow/type-text';

describe('holdsNumbers', () => {
  it("tells numbers from the rest in apache-arrow's own type texts", () => {
    const numeric = [new Float64(), new Float32(), new Int32(), new Int64(), new Uint8()];
    for (const t of numeric) expect(holdsNumbers(String(t)), String(t)).toBe(true);
    expect(holdsNumbers(String(new Decimal(2, 10, 128)))).toBe(true);
    for (const t of [new Utf8(), new Bool()])
      expect(holdsNumbers(String(t)), String(t)).toBe(false);
    expect(holdsNumbers('')).toBe(true);
  });
});
