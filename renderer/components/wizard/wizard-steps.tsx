import type { CatalogSummary, Project } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { fmtDate, fmtInt } from '../format';
import { CheckField, Field, NumberField, SelectField, TextField, useFieldIssues } from './fields';

type StepProps = { draft: Project };

export function BasicsStep({ draft }: StepProps) {
  return (
    <>
      <TextField
        path="name"
        label="1. Training set name:"
        value={draft.name}
        required
        hint="Used for the output file name (accents and separators become _)."
      />
      <TextField
        path="description"
        label="2. Description (optional):"
        value={draft.description}
        multiline
      />
    </>
  );
}

function SpeczChooser({ draft, catalogs }: StepProps & { catalogs: CatalogSummary[] }) {
  const store = useTsmStore();
  const messages = useFieldIssues('specz');
  const choose = async (c: CatalogSummary) => {
    await store.getState().setField('specz', {
      ...draft.specz,
      catalogId: c.id,
      path: null,
      columns: { ...draft.specz.columns, ...(c.mapping ?? {}) },
    });
  };
  return (
    <fieldset className={`field${messages.length ? ' invalid' : ''}`}>
      <legend className="label">
        3. Select the Redshift Catalog for the cross-matching: <span className="required">*</span>
      </legend>
      {catalogs.length === 0 ? (
        <div className="empty">
          <strong>No redshift catalog registered yet</strong>
          <button
            type="button"
            className="btn"
            onClick={() => store.getState().navigate('catalogs')}
          >
            Go to Catalogs
          </button>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th />
                <th>Name</th>
                <th className="num">Rows</th>
                <th>Created at</th>
              </tr>
            </thead>
            <tbody>
              {catalogs.map((c) => (
                <tr key={c.id}>
                  <td>
                    <input
                      type="radio"
                      name="specz-catalog"
                      id={`specz-${c.id}`}
                      checked={draft.specz.catalogId === c.id}
                      onChange={() => void choose(c)}
                    />
                  </td>
                  <td>
                    <label htmlFor={`specz-${c.id}`}>{c.name}</label>
                  </td>
                  <td className="num">{fmtInt(c.rowCount)}</td>
                  <td>{fmtDate(c.addedAt).slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {messages.map((m, i) => (
        <div key={i} className="error">
          {m}
        </div>
      ))}
    </fieldset>
  );
}

export function CatalogsStep({ draft }: StepProps) {
  const store = useTsmStore();
  const catalogs = useTsm((s) => s.catalogs);
  const specz = catalogs.filter((c) => c.kind === 'specz');
  const phot = catalogs.filter((c) => c.kind === 'photometric');
  const chosen = phot.find((c) => c.location === draft.photometry.location) ?? null;
  const profile = chosen?.profile;
  const locationIssues = useFieldIssues('photometry.location');
  const fluxOptions = profile?.fluxTypes.length
    ? profile.fluxTypes.map((f) => ({ value: f.name, label: f.label }))
    : [{ value: draft.photometry.fluxType, label: draft.photometry.fluxType }];
  const dustOptions = profile?.dustMaps.length
    ? profile.dustMaps.map((d) => ({ value: d.name, label: d.label }))
    : [{ value: 'none', label: 'None' }];
  return (
    <>
      <SpeczChooser draft={draft} catalogs={specz} />
      {phot.length === 0 ? (
        <div className="field">
          <div className="label">4. Select the Objects catalog (photometric data):</div>
          <div className="empty">
            <strong>No photometric catalog added yet</strong>
            <button
              type="button"
              className="btn"
              onClick={() => store.getState().navigate('catalogs')}
            >
              Go to Catalogs
            </button>
          </div>
          {locationIssues.map((m, i) => (
            <div key={i} className="error">
              {m}
            </div>
          ))}
        </div>
      ) : (
        <SelectField
          path="photometry.location"
          label="4. Select the Objects catalog (photometric data):"
          value={chosen?.id ?? ''}
          options={[
            { value: '', label: '— choose a catalog —' },
            ...phot.map((c) => ({
              value: c.id,
              label: `${c.name}${c.profile ? ` (${c.profile.label})` : ''}`,
            })),
          ]}
          onChange={(id) =>
            void store.getState().choosePhotometric(phot.find((c) => c.id === id) ?? null)
          }
        />
      )}
      {chosen && (
        <div className="row2">
          <SelectField
            path="photometry.fluxType"
            label="Flux type:"
            value={draft.photometry.fluxType}
            options={fluxOptions}
          />
          <SelectField
            path="photometry.dereddening.map"
            label="Apply dereddening from dustmaps:"
            value={draft.photometry.dereddening.map}
            options={dustOptions}
            hint="Maps are read from the dust-map folder of the Settings."
          />
        </div>
      )}
      {chosen && (
        <CheckField
          path="photometry.convertToMagnitudes"
          label="Convert fluxes into magnitudes"
          checked={draft.photometry.convertToMagnitudes}
          disabled={profile?.canConvertToMag === false}
          hint={
            profile?.canConvertToMag === false
              ? 'This catalog holds magnitudes already.'
              : undefined
          }
        />
      )}
    </>
  );
}

export function CrossmatchStep({ draft }: StepProps) {
  const store = useTsmStore();
  return (
    <>
      <div className="label">5. Select the cross-matching configuration choices:</div>
      <div className="row2">
        <NumberField
          path="crossmatch.radiusArcsec"
          label="The threshold distance in arcseconds beyond which neighbors are not added:"
          value={draft.crossmatch.radiusArcsec}
          min={0}
          max={90}
          step={0.1}
        />
        <NumberField
          path="crossmatch.nNeighbors"
          label="The number of neighbors to find within each point:"
          value={draft.crossmatch.nNeighbors}
          min={1}
          step={1}
        />
      </div>
      <div className="field">
        <div className="check">
          <input
            id="f-crossmatch-join"
            type="checkbox"
            checked={draft.crossmatch.join === 'left'}
            onChange={(e) =>
              void store.getState().setField('crossmatch.join', e.target.checked ? 'left' : 'inner')
            }
          />
          <label htmlFor="f-crossmatch-join">Keep spec-z rows without a match (left join)</label>
        </div>
        <div className="hint">
          Off: rows without a photometric partner are dropped, as in the original service.
        </div>
      </div>
      <h3>6. Select unique galaxies</h3>
      <CheckField
        path="uniqueGalaxies.enabled"
        label="One row per distinct galaxy"
        checked={draft.uniqueGalaxies.enabled}
        hint="Repeated measurements of the same galaxy are resolved (quality flag, instrument type, Δz 0.001)."
      />
      <CheckField
        path="uniqueGalaxies.oneToOne"
        label="Use each photometric object at most once (the nearest spec-z wins)"
        checked={draft.uniqueGalaxies.oneToOne}
      />
    </>
  );
}

export function OutputStep({ draft }: StepProps) {
  const store = useTsmStore();
  const catalogs = useTsm((s) => s.catalogs);
  const phot = catalogs.find(
    (c) => c.kind === 'photometric' && c.location === draft.photometry.location,
  );
  const keep = new Set(draft.photometry.columns);
  const toggle = (name: string, on: boolean) => {
    const next = on ? [...keep, name] : [...keep].filter((c) => c !== name);
    void store.getState().setField('photometry.columns', next);
  };
  return (
    <>
      <h3>7. Train/test split</h3>
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
          min={0}
          max={1}
          step={0.05}
        />
        <NumberField
          path="split.seed"
          label="Random seed (empty = drawn and recorded):"
          value={draft.split.seed}
          nullable
          min={0}
          step={1}
        />
        {draft.split.method === 'stratified' && (
          <NumberField
            path="split.zBins"
            label="Redshift bins:"
            value={draft.split.zBins}
            min={2}
            step={1}
          />
        )}
      </div>
      <h3>8. Output</h3>
      <div className="row2">
        <SelectField
          path="output.format"
          label="Output format:"
          value={draft.output.format}
          options={[
            { value: 'parquet', label: 'Parquet' },
            { value: 'csv', label: 'CSV' },
            { value: 'fits', label: 'FITS' },
            { value: 'hdf5', label: 'HDF5' },
            { value: 'hats', label: 'HATS' },
          ]}
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
        hint="None ticked = all columns."
      >
        {(id) =>
          phot ? (
            <div className="columns-box" id={id} role="group">
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
