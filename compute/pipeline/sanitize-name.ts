/**
 * The training-set name made safe for file names, as the original form does
 * (pzserver_app `pages/training_set_maker.js`): NFD, drop combining marks U+0300-U+036F, trim,
 * replace runs of whitespace, `*`, `,`, `-`, `/` with `_`. We also replace the characters no file
 * system accepts (`\ : ? " < > |`, control characters) and leading dots, so the name is a valid
 * file name everywhere; an empty result becomes `training_set`.
 */
export function sanitizeName(name: string): string {
  const original = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[\s*,\-*/]+/g, '_');
  // eslint-disable-next-line no-control-regex
  const safe = original.replace(/[\\:?"<>|\x00-\x1f]+/g, '_').replace(/^\.+/, '');
  return safe || 'training_set';
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
