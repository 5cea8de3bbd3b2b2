/**
 * Output column names of a training set, as the original pipeline (tsm-run steps 8-10,
 * tsm-domain.md §4.3): the crossmatch suffixes every spec-z column with `_specz` and leaves the
 * photometric columns bare; then `_specz` is removed wherever the bare name is free. So spec-z
 * columns are bare unless the photometric catalog has a column of the same name.
 */
import { Table, type Vector } from 'apache-arrow';

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

/** A table with its columns renamed (order kept). */
export function renameColumns(table: Table, names: Map<string, string>): Table {
  const vectors: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    vectors[names.get(field.name) ?? field.name] = table.getChild(field.name)!;
  }
  return new Table(vectors);
}
