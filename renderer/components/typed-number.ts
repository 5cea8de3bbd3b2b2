import { parseDecimal } from '../../compute/cli/args';

/**
 * A number box's text as a value: `empty` when blank, the number when it is one, else the text
 * itself (trimmed), so the check that refuses it can quote what was typed. The boxes are text
 * inputs: a `type="number"` input reports '1e309', '-' or '1e' as '' (read as blank).
 */
export function typedNumber<E>(text: string, empty: E): number | string | E {
  const t = text.trim();
  if (t === '') return empty;
  // decimal notation only, as tsm run and project files take numbers: Number() read '0x10' as 16
  return parseDecimal(t) ?? t;
}
