/**
 * A run that matches nothing is a result, not an error: its output is an empty training set with
 * the full output schema (every column, with its type, and 0 rows), and the run carries a warning
 * saying why it is empty and what to try.
 */
import { Table } from 'apache-arrow';
import { buildOutputTable } from '../crossmatch/output';
import { gatherTable } from '../io/arrow-columns';
import type { RunPlan } from './run-plan';
import { addPhotometry } from './trainingset-task';

/** The warning of a run without a single spec-z / photometric pair within the radius. */
export function noMatchWarning(
  speczLocation: string,
  photometryLocation: string,
  radiusArcsec: number,
): string {
  return (
    `No cross matches were found: no spec-z row of ${speczLocation} has a photometric object of ` +
    `${photometryLocation} within ${radiusArcsec} arcsec. Check that the catalogs overlap on the sky, ` +
    'or use a larger radius.'
  );
}

/**
 * A 0-row copy of a task's output table (same columns, types and metadata; no buffer of the
 * original is kept alive).
 */
export function emptyLike(table: Table): Table {
  return gatherTable(table, []);
}

/**
 * The 0-row output table of a plan whose pixels gave no table at all (no aligned pixel: the
 * spec-z catalog is outside the photometric footprint). Built as a task builds its table
 * (crossmatch/output.ts columns, then the photometry step), from the catalogs' schemas.
 */
export async function emptyOutputTable(plan: RunPlan): Promise<Table> {
  const left = new Table(plan.specz.catalog.schema);
  const right = new Table(plan.photometry.schema);
  const none = new Int32Array(0);
  const table = buildOutputTable(left, right, plan.columns, none, none, new Float64Array(0), 0);
  return addPhotometry(table, plan.taskPhotometry);
}
