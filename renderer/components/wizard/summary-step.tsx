import { ErrorWords } from '../error-words';
import { useState } from 'react';
import type { Project } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { sanitizeName } from '../../../compute/pipeline/sanitize-name';
import { ClusterExport } from './cluster-export';
import { FORMAT_LABELS } from './output-step';
import { fieldLabel, STEP_LABELS } from './field-labels';
import { dustMapLabel, fluxTypeLabel } from './photometry-labels';
import { stepOfPath } from '../../state/wizard-slice';

/**
 * Everything the run will use, where the project is saved, and the Run button. `goToField`: a
 * problem's link opens its step at its field.
 */
export function SummaryStep({
  draft,
  goToField,
}: {
  draft: Project;
  goToField: (path: string) => void;
}) {
  const store = useTsmStore();
  const catalogs = useTsm((s) => s.catalogs);
  const issues = useTsm((s) => s.issues);
  const runError = useTsm((s) => s.runError);
  const starting = useTsm((s) => s.starting);
  const projectPath = useTsm((s) => s.projectPath);
  const settings = useTsm((s) => s.settings);
  const electron = useTsm((s) => s.info?.transport === 'electron');
  // the project's file, or one named after the training set (made safe, as its output file
  // is) until the user types a path of their own; a typed path holds for the file it was typed
  // over (a project opened, or saved, since is shown as its own file)
  const [typed, setTyped] = useState<{ over: string | null; path: string } | null>(null);
  const typedPath = typed && typed.over === projectPath ? typed.path : null;
  const setSavePath = (path: string) => setTyped({ over: projectPath, path });
  const savePath =
    typedPath ??
    projectPath ??
    (settings ? `${settings.dataDir}/projects/${sanitizeName(draft.name)}.tsm.json` : '');
  const specz = catalogs.find((c) => c.id === draft.specz.catalogId);
  const phot = catalogs.find(
    (c) => c.kind === 'photometric' && c.location === draft.photometry.location,
  );
  const rows: [string, string][] = [
    ['Training set name', draft.name || '—'],
    ['Description', draft.description || '—'],
    ['Redshift catalog', specz?.name ?? draft.specz.path ?? draft.specz.catalogId ?? '—'],
    [
      'Objects catalog',
      phot ? `${phot.name} (${phot.location})` : draft.photometry.location || '—',
    ],
    ['Flux type', fluxTypeLabel(draft.photometry.fluxType, phot?.profile)],
    ['Dereddening', dustMapLabel(draft.photometry.dereddening.map, phot?.profile)],
    ['Convert fluxes into magnitudes', draft.photometry.convertToMagnitudes ? 'yes' : 'no'],
    ['Radius', `${draft.crossmatch.radiusArcsec} arcsec`],
    ['Neighbours', String(draft.crossmatch.nNeighbors)],
    [
      'Join',
      draft.crossmatch.join === 'left' ? 'left (keep unmatched spec-z)' : 'inner (matched only)',
    ],
    ['Unique galaxies', draft.uniqueGalaxies.enabled ? 'yes' : 'no'],
    [
      'Each photometric object used once (nearest spec-z)',
      draft.uniqueGalaxies.oneToOne ? 'yes' : 'no',
    ],
    [
      'Split',
      `${draft.split.method}, training fraction ${draft.split.trainFraction}, seed ${draft.split.seed ?? 'drawn at start'}`,
    ],
    [
      'Output',
      `${FORMAT_LABELS[draft.output.format]} in ${draft.output.folder === '.' ? "the run's own folder (data folder/runs)" : draft.output.folder}`,
    ],
    [
      'Photometric columns',
      draft.photometry.columns.length ? draft.photometry.columns.join(', ') : 'all',
    ],
  ];
  return (
    <>
      <h2>Summary</h2>
      <dl className="kv">
        {rows.map(([k, v]) => (
          <div key={k} className="kv-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {issues.length > 0 && (
        <div className="alert error" role="alert">
          Fix these before running:
          <ul className="issues">
            {issues.map((i, n) => {
              const step = stepOfPath(i.path);
              const label = fieldLabel(i.path);
              return (
                <li key={n}>
                  {label ? (
                    <button type="button" className="link" onClick={() => goToField(i.path)}>
                      {label} ({STEP_LABELS[step]})
                    </button>
                  ) : (
                    i.path
                  )}
                  {i.path ? ': ' : ''}
                  {i.message}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {runError && issues.length === 0 && (
        <div className="alert error" role="alert">
          <ErrorWords error={runError} onChange={(_step, field) => goToField(field)} />
        </div>
      )}
      <h3>Project file</h3>
      <div className="field">
        <label htmlFor="project-path">Save the parameters as a project file</label>
        <div className="actions">
          <input
            id="project-path"
            type="text"
            value={savePath}
            onChange={(e) => setSavePath(e.target.value)}
          />
          <button
            type="button"
            className="btn"
            onClick={() => void store.getState().saveProjectFile(false, savePath || undefined)}
          >
            Save
          </button>
          {electron && (
            <button
              type="button"
              className="btn"
              onClick={() => void store.getState().saveProjectFile(true)}
            >
              Save as…
            </button>
          )}
        </div>
      </div>
      <div className="actions">
        <button
          type="button"
          className="btn primary"
          disabled={issues.length > 0 || starting}
          onClick={() => void store.getState().startRun()}
        >
          {starting ? 'Starting…' : 'Run'}
        </button>
      </div>
      <ClusterExport draft={draft} />
    </>
  );
}
