/**
 * A number box's text as a value: `empty` when blank, the number when it is one, else the text
 * itself (trimmed), so the check that refuses it can quote what was typed. The boxes are text
 * inputs: a `type="number"` input reports '1e309', '-' or '1e' as '' (read as blank).
 */
export function typedNumber<E>(text: string, empty: E): number | string | E {
  const t = text.trim();
  if (t === '') return empty;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
