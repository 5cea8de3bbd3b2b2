/**
 * The training-set name made safe for file names, as the original form does
 * (pzserver_app `pages/training_set_maker.js`): NFD, drop combining marks U+0300-U+036F, trim,
 * replace runs of whitespace, `*`, `,`, `-`, `/` with `_`. We also replace the characters no file
 * system accepts (`\ : ? " < > |`, control characters) and leading dots, so the name is a valid
 * file name everywhere; an empty result becomes `training_set`. It is cut to at most
 * MAX_NAME_BYTES of UTF-8 (file systems take 255 bytes a name, and the output's name gets an
 * extension and `.rows.partial` while it is written: a 300-character name failed after the
 * crossmatch with ENAMETOOLONG).
 */
export function sanitizeName(name: string): string {
  const original = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[\s*,\-*/]+/g, '_');
  // eslint-disable-next-line no-control-regex
  const safe = original.replace(/[\\:?"<>|\x00-\x1f]+/g, '_').replace(/^\.+/, '');
  return cutToBytes(safe, MAX_NAME_BYTES) || 'training_set';
}

/** The most UTF-8 bytes of a sanitized name. */
export const MAX_NAME_BYTES = 200;

/** `text`'s longest prefix of whole characters within `max` UTF-8 bytes. */
function cutToBytes(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > max) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * A name made safe as an id and a folder name of the app: accents stripped, every run of
 * anything but ASCII letters, digits, `.`, `_` and `-` turned into `_`, no leading dot, at most 80
 * characters (what main/api-schemas.ts accepts as a run or catalog id).
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  return cleaned.slice(0, 80) || 'unnamed';
}

/**
 * A spec-z catalog's name as its folder (and id) in the data folder: every run of anything but
 * ASCII letters, digits, `.`, `_` and `-` turned into `_`, no leading `.` or `_`, at most 100
 * characters; '' when nothing is left.
 */
export function catalogFolderName(name: string): string {
  return name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
}
