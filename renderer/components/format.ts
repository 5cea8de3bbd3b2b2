/** Display helpers shared by the pages. */
import type { SpeczReadProgress } from '../../preload/api';

const NUMBER = new Intl.NumberFormat('en-US');

export const fmtInt = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : NUMBER.format(Math.round(n));

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const fmtDate = (iso: string | undefined): string =>
  iso
    ? iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')
        .replace(/Z$/, '')
    : '—';

/**
 * A table cell: integers as they are; other numbers with at most 5 decimals and no trailing
 * zeros but one after the point (1.88 stays 1.88, 2.000001 shows 2.0), or in exponent form
 * outside [1e-3, 1e7) with at most 4 decimals, no trailing zeros (3e-4, 1.2346e-5).
 */
export const fmtCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    if (!(Math.abs(value) >= 1e-3 && Math.abs(value) < 1e7)) {
      // 3e-4, not 3.0000e-4
      return value.toExponential(4).replace(/\.?0+e/, 'e');
    }
    const fixed = value.toFixed(5).replace(/0+$/, '');
    return fixed.endsWith('.') ? `${fixed}0` : fixed;
  }
  return String(value);
};

/** Characters of a table cell shown; a longer text (a 100 kB note) is cut with '…'. */
export const CELL_CHARS = 80;
/** Characters of a cut cell shown once it is opened. */
const FULL_CHARS = 2000;

/**
 * A cell as the tables show it (`fmtCell`), cut to CELL_CHARS so one long text does not make its
 * column hundreds of thousands of pixels wide; `full` holds the value (its start and length
 * when longer than FULL_CHARS), shown when the cell is opened (CutCell).
 */
export const clippedCell = (value: unknown): { text: string; full?: string } => {
  const text = fmtCell(value);
  if (text.length <= CELL_CHARS) return { text };
  return {
    text: `${text.slice(0, CELL_CHARS)}…`,
    full:
      text.length > FULL_CHARS
        ? `${text.slice(0, FULL_CHARS)}… (${fmtInt(text.length)} characters)`
        : text,
  };
};

/**
 * The status of a spec-z file being read (`what`: 'the file' of a check or registration, 'the
 * spec-z file' of a run): the rows read so far and the part of the file, or the writing of a
 * registered catalog; before the first report, that a large file takes a while.
 */
export function readingNote(progress: SpeczReadProgress | null, what = 'the file'): string {
  const reading = `Reading ${what}`;
  if (!progress) return `${reading}… a large file takes a while; Cancel stops it.`;
  const rows = `${fmtInt(progress.rowsRead)} row${progress.rowsRead === 1 ? '' : 's'}`;
  if (progress.phase === 'write') return `Writing the catalog: ${rows}… Cancel stops it.`;
  const percent =
    progress.fraction !== undefined ? ` (${Math.floor(progress.fraction * 100)}%)` : '';
  // one sentence, as tsm's progress line says it: "(45%); the ids in column 'id' are ...: reading
  // the file again ..." (it was "(45%) (the ids ... (line 500001): ...)")
  const again = progress.again !== undefined ? `; ${progress.again}` : '';
  return `${reading}: ${rows} read${percent}${again}… Cancel stops it.`;
}
