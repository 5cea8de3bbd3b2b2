import type { Project } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { CheckField, NumberField, SelectField, TextField, useFieldIssues } from './fields';
import { OpenedPath } from './opened-path';
import { fluxTypeLabel } from './photometry-labels';
import { SpeczChooser } from './specz-chooser';

type StepProps = { draft: Project };

export function BasicsStep({ draft }: StepProps) {
  return (
    <>
      <TextField
        path="name"
        label="1. Training set name:"
        value={draft.name}
        required
        hint="Used for the output file name (accents and separators become _; at most 200 bytes of it)."
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

export function CatalogsStep({ draft }: StepProps) {
  const store = useTsmStore();
  const catalogs = useTsm((s) => s.catalogs);
  // a stored folder that cannot be read (problem) is no catalog a run could use
  const specz = catalogs.filter((c) => c.kind === 'specz' && !c.problem);
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
  // an opened project's own value the catalog's profile does not list (a dust map given as a
  // .fits path, the flux type 'auto'): offered first as it is, else the list showed its first
  // entry (None) while the run used the project's map
  const { map } = draft.photometry.dereddening;
  if (!dustOptions.some((o) => o.value === map)) {
    dustOptions.unshift({ value: map, label: `${map} (the project's map)` });
  }
  if (!fluxOptions.some((o) => o.value === draft.photometry.fluxType)) {
    const { fluxType } = draft.photometry;
    fluxOptions.unshift({ value: fluxType, label: fluxTypeLabel(fluxType) });
  }
  // an opened project's photometric folder (or URL) that is not an added catalog: shown with
  // what the project says of its photometry (the choices below need the catalog's columns)
  const folder = !chosen && draft.photometry.location ? draft.photometry.location : null;
  const { fluxType, convertToMagnitudes, dereddening } = draft.photometry;
  const folderHint = folder && (
    <>
      {phot.length > 0 && (
        <>
          The opened project&apos;s catalog is <code>{folder}</code>.{' '}
        </>
      )}
      The run reads it with the flux type {fluxType}, the dust map {dereddening.map}
      {dereddening.scale !== 1 ? ` x ${dereddening.scale}` : ''}
      {convertToMagnitudes ? ', fluxes converted to magnitudes' : ''}, as the project says.{' '}
      {phot.length > 0
        ? 'Choose an added catalog here to use it instead; add this one on the Catalogs page to change its flux type or dust map.'
        : 'Add it (or another) on the Catalogs page to choose its flux type and dust map here.'}
    </>
  );
  return (
    <>
      <SpeczChooser draft={draft} catalogs={specz} />
      {phot.length === 0 ? (
        <div className="field">
          <div className="label">4. Select the Objects catalog (photometric data):</div>
          {folder && (
            <OpenedPath
              id="photometry-folder"
              label="Photometric catalog of the opened project (not added as a catalog)"
              path={folder}
              hint={folderHint}
            />
          )}
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
          required
          value={chosen?.id ?? ''}
          hint={folderHint || undefined}
          options={[
            {
              value: '',
              label: folder ? "The opened project's catalog (not added)" : '— choose a catalog —',
            },
            ...phot.map((c) => ({
              value: c.id,
              label: `${c.name}${c.profile ? ` (${c.profile.label})` : ''}${c.missing ? ' — folder missing' : ''}`,
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
      {chosen && profile?.id === 'generic' && profile.fluxTypes.length === 0 && (
        <div className="alert info">
          No survey profile knows the columns of this catalog, so it is crossmatched without
          photometry.{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              store.getState().selectCatalog(chosen.id);
              store.getState().navigate('catalogs');
            }}
          >
            Name its band columns
          </button>{' '}
          on its catalog page to get magnitudes and dereddening.
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
              ? profile.fluxTypes.length === 0
                ? 'No band flux columns are known for this catalog.'
                : 'This catalog holds magnitudes already.'
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
      <h2 className="step-section">5. Select the cross-matching configuration choices</h2>
      <div className="row2">
        <NumberField
          path="crossmatch.radiusArcsec"
          label="The threshold distance in arcseconds beyond which neighbors are not added:"
          value={draft.crossmatch.radiusArcsec}
        />
        <NumberField
          path="crossmatch.nNeighbors"
          label="The number of neighbors to find within each point:"
          value={draft.crossmatch.nNeighbors}
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
      <h2 className="step-section">6. Select unique galaxies</h2>
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
