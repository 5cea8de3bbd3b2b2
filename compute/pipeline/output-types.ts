/**
 * A column the chosen output format cannot store is refused before the crossmatch, named with the
 * catalog it comes from: FITS and HDF5 tables hold one number or text a cell, not a list, a struct
 * or a time. (The writer's own refusal came after the whole crossmatch, and told to leave out with
 * --columns a spec-z column that option cannot touch.)
 */
import type { Field, Schema } from 'apache-arrow';
import { UserError } from '../errors';
import { fitsColumnSpec } from '../io/fits-columns';
import { hdf5Member } from '../io/hdf5-layout';
import type { OutputFormat } from './project-schema';

const COLUMN_SPECS: Partial<Record<OutputFormat, (field: Field) => unknown>> = {
  fits: (field) => fitsColumnSpec(field),
  hdf5: (field) => hdf5Member(field, 1),
};

const LABELS: Partial<Record<OutputFormat, string>> = { fits: 'FITS', hdf5: 'HDF5' };

export function checkOutputColumnTypes(
  format: OutputFormat,
  specz: { schema: Schema; columns: string[] },
  photometry: { schema: Schema; columns: string[] },
): void {
  const spec = COLUMN_SPECS[format];
  if (!spec) return;
  const refuse = (field: Field, what: string, advice: string) => {
    try {
      spec(field);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      throw new UserError(
        `the ${what} column '${field.name}' has type ${String(field.type)}, which ${LABELS[format]} output cannot store (one number or text a cell): ${advice}`,
      );
    }
  };
  for (const name of specz.columns) {
    const field = specz.schema.fields.find((f) => f.name === name);
    if (field)
      refuse(field, 'spec-z', 'write Parquet, CSV or HATS, or remove it from the spec-z file');
  }
  for (const name of photometry.columns) {
    const field = photometry.schema.fields.find((f) => f.name === name);
    if (field) {
      refuse(
        field,
        'photometric',
        'leave it out (photometry.columns, --columns) or write Parquet, CSV or HATS',
      );
    }
  }
}
