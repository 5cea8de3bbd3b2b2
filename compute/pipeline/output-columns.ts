/**
 * Output column names of a training set, as the original pipeline (tsm-run steps 8-10,
 * tsm-domain.md §4.3): the crossmatch suffixes every spec-z column with `_specz` and leaves the
 * photometric columns bare; then `_specz` is removed wherever the bare name is free. So spec-z
 * columns are bare unless the photometric catalog has a column of the same name.
 */
import { Int32, Table, makeData, makeVector, type Schema, type Vector } from 'apache-arrow';
import { DIST_COLUMN } from '../crossmatch/output';
import { DUST_MAP_METADATA } from '../photometry/apply-photometry';
import { gatherTable } from '../io/arrow-columns';
import { conformTable, nullableSchema } from '../io/arrow-schema';
import type { Decisions } from './decisions';

export const SPECZ_SUFFIX = '_specz';
/** The crossmatch suffixes of tsm-run: spec-z `_specz`, photometry none. */
export const TSM_SUFFIXES: [string, string] = [SPECZ_SUFFIX, ''];
export const TRAINING_FLAG_COLUMN = 'is_training_set';
export const TIE_RESULT_COLUMN = 'tie_result';

/** old name -> final name for every column (unchanged names included). */
export function unsuffixSpecz(names: string[]): Map<string, string> {
  const present = new Set(names);
  const out = new Map<string, string>();
  for (const name of names) {
    if (name.endsWith(SPECZ_SUFFIX)) {
      const bare = name.slice(0, -SPECZ_SUFFIX.length);
      if (bare !== '' && !present.has(bare)) {
        out.set(name, bare);
        continue;
      }
    }
    out.set(name, name);
  }
  return out;
}

/** The final name of spec-z column `column` among the crossmatch output `names`. */
export function speczOutputName(column: string, names: string[]): string {
  return unsuffixSpecz(names).get(`${column}${SPECZ_SUFFIX}`) ?? `${column}${SPECZ_SUFFIX}`;
}

/**
 * A table with its columns renamed (order kept), every field nullable: `new Table(vectors)`
 * marks a field nullable only when that batch has nulls, and all batches of one output must
 * share one schema (compute/io/arrow-schema.ts).
 */
export function renameColumns(table: Table, names: Map<string, string>): Table {
  const vectors: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    vectors[names.get(field.name) ?? field.name] = table.getChild(field.name)!;
  }
  const renamed = new Table(vectors);
  return conformTable(renamed, nullableSchema(renamed.schema));
}

function int32Vector(values: Int32Array) {
  return makeVector(makeData({ type: new Int32(), length: values.length, data: values }));
}

/** The E(B-V) column added by compute/photometry. */
const EBV_COLUMN = 'ebv';

/**
 * The kept rows of one spilled table with tie_result / is_training_set added, renamed, every
 * field nullable. Pass the schema of the run's first output batch as `schema` so every batch of
 * the output has that one schema (same fields, nullability and type objects).
 */
export function finalBatch(
  t: Table,
  offset: number,
  d: Pick<Decisions, 'status' | 'isTrainingSet'>,
  withTie: boolean,
  schema?: Schema,
): Table {
  const n = t.numRows;
  let kept = 0;
  for (let i = 0; i < n; i++) if (d.status[offset + i] !== 0) kept++;
  // the kept rows' indices, null when every row is kept (no unique-galaxy rule dropped any)
  let keep: Int32Array | null = null;
  if (kept < n) {
    keep = new Int32Array(kept);
    for (let i = 0, k = 0; i < n; i++) if (d.status[offset + i] !== 0) keep[k++] = i;
  }
  const rows = keep ? gatherTable(t, keep) : t;
  const perRow = (source: Uint8Array): Int32Array => {
    const out = new Int32Array(kept);
    for (let k = 0; k < kept; k++) out[k] = source[offset + (keep ? keep[k] : k)];
    return out;
  };
  const extra: Record<string, ReturnType<typeof int32Vector>> = {};
  if (withTie) extra[TIE_RESULT_COLUMN] = int32Vector(perRow(d.status));
  extra[TRAINING_FLAG_COLUMN] = int32Vector(perRow(d.isTrainingSet));
  const renamed = orderedOutput(rows, extra);
  return schema ? conformTable(renamed, schema) : renamed;
}

/**
 * The columns of finalBatch's output that the decisions do not change (all but tie_result and
 * is_training_set), for every row of `t`: a Parquet output encodes them while the crossmatch
 * still runs (run.ts) when no rule drops rows.
 */
export function earlyOutput(t: Table): Table {
  return orderedOutput(t, {});
}

/**
 * The is_training_set column of rows `offset`... of the decisions, in chunks of `lengths` rows
 * (the early columns' record batches, so its pages fall where finalBatch's would).
 */
export function trainingFlagColumn(
  d: Pick<Decisions, 'isTrainingSet'>,
  offset: number,
  lengths: readonly number[],
): Table {
  let at = offset;
  const chunks = lengths.map((length) => {
    const values = new Int32Array(length);
    for (let k = 0; k < length; k++) values[k] = d.isTrainingSet[at + k];
    at += length;
    return new Table({ [TRAINING_FLAG_COLUMN]: int32Vector(values) });
  });
  return new Table(chunks.flatMap((t) => t.batches));
}

/**
 * `rows` in the original output's column order (spec-z, photometry with magnitudes, ebv,
 * distance, then `extra`), renamed, every field nullable.
 */
function orderedOutput(rows: Table, extra: Record<string, Vector>): Table {
  const ordered: Record<string, Vector> = {};
  // `ebv` goes last when it is the E(B-V) the photometry step used; a catalog's own `ebv` (DP1's,
  // in a run without a dust map) keeps its place among the catalog's columns
  const ebv = rows.schema.fields.find((f) => f.name === EBV_COLUMN);
  const tail = ebv?.metadata.has(DUST_MAP_METADATA) ? [EBV_COLUMN, DIST_COLUMN] : [DIST_COLUMN];
  for (const f of rows.schema.fields) {
    if (!tail.includes(f.name)) ordered[f.name] = rows.getChild(f.name)!;
  }
  for (const name of tail) {
    const v = rows.getChild(name);
    if (v) ordered[name] = v;
  }
  const out = new Table({ ...ordered, ...extra });
  // is_training_set counts as taken in the early columns too, written before the run's own is
  // added: a spec-z column of that name (an earlier training set) stays is_training_set_specz
  const names = [...out.schema.fields.map((f) => f.name), TRAINING_FLAG_COLUMN];
  return renameColumns(out, unsuffixSpecz(names));
}
