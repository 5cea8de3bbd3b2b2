/**
 * Arrow types as text, the form catalogs' column lists carry them in (`String(field.type)`:
 * "Float64", "Int32", "Uint8", "Decimal[10e+2]", "Utf8", "Bool", ...). No apache-arrow import, so
 * the renderer can use it.
 */

/** Whether a column of this type holds numbers; an unknown (empty) type is given the benefit. */
export function holdsNumbers(typeText: string): boolean {
  return (
    typeText === '' ||
    /^(Float|Int|Uint)(8|16|32|64)$/.test(typeText) ||
    typeText.startsWith('Decimal')
  );
}
