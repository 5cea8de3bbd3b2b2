import { UserError } from '../errors';

/**
 * `--name -1` as `--name=-1` where `--name` takes a value and the next word is a negative number.
 * node:util parseArgs takes a value that starts with '-' for an option of its own and stops with
 * "argument is ambiguous", so the check that states the option's rule (e.g. "must be > 0") was
 * never reached.
 */
export function joinNegativeValues(
  args: readonly string[],
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const next = args[i + 1];
    const name = word.startsWith('--') && !word.includes('=') ? word.slice(2) : null;
    if (name && options[name]?.type === 'string' && next !== undefined && NEGATIVE.test(next)) {
      out.push(`${word}=${next}`);
      i++;
    } else out.push(word);
  }
  return out;
}

const NEGATIVE = /^-(\d|\.\d|Infinity\b)/;

/** A number as people write one: decimal, optional sign, point and exponent (not 0x10, 1_0, ''). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** `text` as a finite number when it is written in decimal notation, else null. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  const n = Number(t);
  return DECIMAL.test(t) && Number.isFinite(n) ? n : null;
}

/** A number option's value: `fallback` when absent (required when there is none). */
export function numberOption(
  command: string,
  value: string | undefined,
  name: string,
  fallback?: number,
): number {
  if (value === undefined) {
    if (fallback === undefined)
      throw new UserError(`--${name} is required. See 'tsm ${command} --help'.`);
    return fallback;
  }
  const n = parseDecimal(value);
  if (n === null) throw new UserError(`--${name} must be a decimal number (got '${value}')`);
  return n;
}

/** A whole-number option's value, at least `min`. */
export function intOption(
  command: string,
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
): number {
  const n = numberOption(command, value, name, fallback);
  if (!Number.isInteger(n) || n < min)
    throw new UserError(`--${name} must be a whole number >= ${min} (got '${value}')`);
  return n;
}
