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
