/**
 * Parser for the Java `.properties` format that HATS writes (`hats.properties`, `properties`,
 * `collection.properties`): `key=value`, `key: value` or `key value`, `#`/`!` comments, `\`
 * escapes (`\:`, `\=`, `\n`, `\t`, `\uXXXX`) and lines continued by a trailing backslash.
 * Format: https://docs.oracle.com/javase/8/docs/api/java/util/Properties.html#load-java.io.Reader-
 * (hats writes it through `jproperties`, `hats:src/hats/catalog/dataset/table_properties.py`).
 * Hand-written: ~40 lines, and npm has no maintained ESM parser worth a dependency.
 */
export function parseJavaProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i].replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next one.
    while (endsWithOddBackslashes(line) && i + 1 < physical.length) {
      line = line.slice(0, -1) + physical[++i].replace(/^[ \t\f]+/, '');
    }
    const sepIndex = findSeparator(line);
    const rawKey = sepIndex < 0 ? line : line.slice(0, sepIndex);
    let rest = sepIndex < 0 ? '' : line.slice(sepIndex);
    rest = rest.replace(/^[ \t\f]*[=:]?[ \t\f]*/, '');
    out[unescape(rawKey.trimEnd())] = unescape(rest);
  }
  return out;
}

function endsWithOddBackslashes(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** Index of the first unescaped `=`, `:` or whitespace. */
function findSeparator(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f' };

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e),
  );
}
