import { useState } from 'react';
import type { Project } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { Field, NumberField, SelectField, TextField } from './fields';

/** Split (method, fraction, seed, bins) and output (format, folder, columns to keep). */
/** The output formats as the wizard names them. */
export const FORMAT_LABELS: Record<Project['output']['format'], string> = {
  parquet: 'Parquet',
  csv: 'CSV',
  fits: 'FITS',
  hdf5: 'HDF5',
  hats: 'HATS',
};

export function OutputStep({ draft }: { draft: Project }) {
  const store = useTsmStore();
  const catalogs = useTsm((s) => s.catalogs);
  const phot = catalogs.find(
    (c) => c.kind === 'photometric' && c.location === draft.photometry.location,
  );
  const keep = new Set(draft.photometry.columns);
  const [listOpen, setListOpen] = useState(keep.size > 0);
  const toggle = (name: string, on: boolean) => {
    const next = on ? [...keep, name] : [...keep].filter((c) => c !== name);
    void store.getState().setField('photometry.columns', next);
  };
  return (
    <>
      <h2 className="step-section">7. Train/test split</h2>
      <div className="row2">
        <SelectField
          path="split.method"
          label="Split method:"
          value={draft.split.method}
          options={[
            { value: 'random', label: 'Random' },
            { value: 'stratified', label: 'Stratified in redshift' },
          ]}
        />
        <NumberField
          path="split.trainFraction"
          label="Training fraction:"
          value={draft.split.trainFraction}
        />
        <NumberField
          path="split.seed"
          label="Random seed (empty = drawn and recorded):"
          value={draft.split.seed}
        />
        {draft.split.method === 'stratified' && (
          <NumberField path="split.zBins" label="Redshift bins:" value={draft.split.zBins} />
        )}
      </div>
      <h2 className="step-section">8. Output</h2>
      <div className="row2">
        <SelectField
          path="output.format"
          label="Output format:"
          value={draft.output.format}
          options={Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <TextField
          path="output.folder"
          label="Output folder:"
          value={draft.output.folder}
          hint="Relative paths are inside the run's own folder in the data folder."
        />
      </div>
      <Field
        path="photometry.columns"
        label="Photometric columns to keep:"
        hint="None ticked = all columns. With a choice, the id, the coordinates and the chosen flux type's flux and error columns are kept too (the magnitudes need them)."
      >
        {(id) =>
          phot ? (
            <>
              <div className="actions columns-actions">
                <button
                  type="button"
                  className="btn small"
                  onClick={() =>
                    void store.getState().setField(
                      'photometry.columns',
                      phot.columns.map((c) => c.name),
                    )
                  }
                >
                  Tick all
                </button>
                <button
                  type="button"
                  className="btn small"
                  disabled={keep.size === 0}
                  onClick={() => void store.getState().setField('photometry.columns', [])}
                >
                  Clear (all columns)
                </button>
                <span className="muted">
                  {keep.size === 0
                    ? `none ticked: all ${phot.columns.length} columns kept`
                    : `${keep.size} of ${phot.columns.length} ticked`}
                </span>
              </div>
              {/* closed while none is ticked: a box each was a Tab stop between the output
                  folder and Next (55 Tabs for 48 columns, hundreds for a survey's catalog) */}
              <details
                className="columns-choice"
                open={listOpen}
                onToggle={(e) => setListOpen(e.currentTarget.open)}
              >
                <summary>Choose the columns one by one ({phot.columns.length})</summary>
                {/* named by the field's label (a label's "for" names no group) */}
                <div className="columns-box" id={id} role="group" aria-labelledby={`${id}-label`}>
                  {phot.columns.map((c) => (
                    <div className="check" key={c.name}>
                      <input
                        type="checkbox"
                        id={`col-${c.name}`}
                        checked={keep.has(c.name)}
                        onChange={(e) => toggle(c.name, e.target.checked)}
                      />
                      <label htmlFor={`col-${c.name}`} className="mono">
                        {c.name}
                      </label>
                    </div>
                  ))}
                </div>
              </details>
            </>
          ) : draft.photometry.location ? (
            // an opened project's folder that is not an added catalog: its columns are not known
            <p className="muted" id={id}>
              {keep.size === 0
                ? 'All columns are kept'
                : `Kept as the project says: ${[...keep].join(', ')}`}
              . The opened project&apos;s catalog is not added, so its columns are not listed: add
              it on the Catalogs page and choose it in step 2 to choose them.
            </p>
          ) : (
            <p className="muted" id={id}>
              Choose a photometric catalog first.
            </p>
          )
        }
      </Field>
    </>
  );
}
