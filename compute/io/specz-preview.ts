import { detectMapping, type SpeczMapping } from './specz-columns';
import { openSpeczSource, type SpeczSourceOptions } from './specz-source';
import type { SpeczValidationReport } from './specz-validate';

/** A table cell as the app shows it (bigint ids become exact decimal text). */
export type PreviewCell = string | number | boolean | null;

export interface SpeczPreviewResult {
  path: string;
  format: string;
  columns: { name: string; type: string }[];
  /** The first rows, one array per row in `columns` order. */
  rows: PreviewCell[][];
  /** Auto-detected role -> column (null where nothing matched; ra/dec/z may be null too). */
  mapping: SpeczMapping;
}

function cell(v: unknown): PreviewCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

/**
 * The first `rowCount` rows of a spec-z file and the detected column mapping, for the app's
 * registration dialog. Reads only the first batch. Missing required roles are left null here
 * (the dialog asks for them) instead of failing.
 */
export async function previewSpecz(
  path: string,
  options: SpeczSourceOptions & { rowCount?: number } = {},
): Promise<SpeczPreviewResult> {
  const rowCount = options.rowCount ?? 20;
  const source = await openSpeczSource(path, { ...options, batchRows: Math.max(rowCount, 1000) });
  const gen = source.batches();
  const first = await gen.next();
  await gen.return(undefined);
  const table = first.done ? undefined : first.value.table;
  const columns = source.columns.map((name) => ({
    name,
    type: source.textColumns ? 'text' : String(table?.getChild(name)?.type ?? 'unknown'),
  }));
  const rows: PreviewCell[][] = [];
  for (let i = 0; table && i < Math.min(rowCount, table.numRows); i++) {
    rows.push(source.columns.map((c) => cell(table.getChild(c)?.get(i))));
  }
  const mapping = detectMapping(source.columns);
  return { path, format: source.format, columns, rows, mapping };
}

/** The app's `ValidationReport` shape (preload/api.ts) from a registration report. */
export function validationSummary(report: SpeczValidationReport): {
  ok: boolean;
  rowsRead: number;
  rowsValid: number;
  issues: { severity: 'error' | 'warning'; message: string; column?: string; count?: number }[];
} {
  const label = report.rowLabel;
  return {
    ok: report.rowsRejected === 0 && report.rowsAccepted > 0,
    rowsRead: report.rowsRead,
    rowsValid: report.rowsAccepted,
    issues: [
      ...(report.notes ?? []).map((message) => ({ severity: 'warning' as const, message })),
      ...report.reasons.map((r) => ({
        severity: 'error' as const,
        message: `${r.reason}: ${r.count} row${r.count > 1 ? 's' : ''} (${label}${r.first.length > 1 ? 's' : ''} ${r.first.join(', ')}${r.count > r.first.length ? ', ...' : ''})`,
        column: r.reason.startsWith('ra')
          ? (report.mapping.ra ?? undefined)
          : r.reason.startsWith('dec')
            ? (report.mapping.dec ?? undefined)
            : r.reason.startsWith('z')
              ? (report.mapping.z ?? undefined)
              : r.reason.includes('id')
                ? (report.mapping.id ?? undefined)
                : undefined,
        count: r.count,
      })),
    ],
  };
}
