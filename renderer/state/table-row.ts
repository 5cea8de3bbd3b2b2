import { fmtInt } from '../components/format';

/** Where "Go to row" leads: the row (0-based) and, when the number was out of range, a note. */
export type RowTarget = { row: number; note: string | null } | { problem: string };

/**
 * The row a typed row number names (1-based, as the table numbers its rows; thousands separators
 * allowed: "523,417"). A number past either end (0 or a negative one before the first) goes to
 * the first or last row and says so, as README promises; text that is not a whole number is
 * refused, saying what is allowed.
 */
export function rowTarget(typed: string, total: number): RowTarget {
  const allowed = `Type a row number from 1 to ${fmtInt(total)}.`;
  const text = typed.trim();
  // a minus sign (ASCII or U+2212) before the digits: a number before the first row
  if (!/^[-\u2212]?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d+)$/.test(text)) {
    return { problem: text === '' ? allowed : `'${text}' is not a row number. ${allowed}` };
  }
  const negative = /^[-\u2212]/.test(text);
  const digits = text.replace(/^[-\u2212]/, '').replace(/[, ]/g, '');
  const number = negative ? -Number(digits) : Number(digits);
  if (number < 1) {
    const named = number === 0 ? '0' : `-${fmtInt(-number)}`;
    return { row: 0, note: `There is no row ${named}: the rows are numbered from 1.` };
  }
  if (number > total) {
    return {
      row: total - 1,
      note: `The output has ${fmtInt(total)} rows: row ${fmtInt(total)} is the last one.`,
    };
  }
  return { row: number - 1, note: null };
}
