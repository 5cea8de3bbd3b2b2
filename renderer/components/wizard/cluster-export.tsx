import { useState } from 'react';
import type { ExportTarget, Project } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { safeFileName } from '../../../compute/pipeline/sanitize-name';

/** The two exports of compute/export, in the words the summary shows. */
export const EXPORT_CHOICES: {
  target: ExportTarget;
  title: string;
  button: string;
  text: string;
}[] = [
  {
    target: 'lsdb',
    title: 'LSDB + Dask Python job',
    button: 'Write the LSDB job',
    text: 'A self-contained Python script (tsm_job.py) with this project embedded, pinned requirements and a README. It runs the same crossmatch with LSDB on a local Dask cluster or on any dask.distributed scheduler.',
  },
  {
    target: 'pzserver',
    title: 'Original pipeline config.yml (pzserver)',
    button: 'Write config.yml',
    text: "The config.yml of the original Training Set Maker pipeline run by LIneA's pzserver. Options the original cannot express are listed in a comment at the top of the file.",
  },
];

/** "Run on a cluster...": writes the LSDB job or the original config.yml into a folder. */
export function ClusterExport({ draft }: { draft: Project }) {
  const store = useTsmStore();
  const settings = useTsm((s) => s.settings);
  const electron = useTsm((s) => s.info?.transport === 'electron');
  const exports = useTsm((s) => s.exports);
  const error = useTsm((s) => s.exportError);
  const busy = useTsm((s) => s.exportBusy);
  // named after the training set (a project opened, or the form cleared, while the summary is
  // shown renames it) until the user types or picks a folder of their own
  const [chosenFolder, setFolder] = useState<string | null>(null);
  const folder =
    chosenFolder ??
    (settings ? `${settings.dataDir}/exports/${safeFileName(draft.name || 'training_set')}` : '');
  const pick = async () => {
    const chosen = await store.getState().pickExportFolder();
    if (chosen) setFolder(chosen);
  };
  return (
    <section aria-labelledby="cluster-export-title">
      <h3 id="cluster-export-title">Run on a cluster…</h3>
      <p className="muted">
        Run this training set outside the app, on machines that can read the catalogs. Both exports
        use the parameters above; the files go into the folder below.
      </p>
      <div className="field">
        <label htmlFor="export-folder">Export folder</label>
        <div className="actions">
          <input
            id="export-folder"
            type="text"
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
          />
          {electron && (
            <button type="button" className="btn" onClick={() => void pick()}>
              Choose…
            </button>
          )}
        </div>
        <div className="hint">An absolute path; it is created if needed.</div>
      </div>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <div className="export-choices">
        {EXPORT_CHOICES.map((c) => {
          const written = exports[c.target];
          return (
            <div key={c.target} className="export-choice" data-target={c.target}>
              <h4>{c.title}</h4>
              <p className="muted">{c.text}</p>
              <button
                type="button"
                className="btn"
                disabled={busy !== null}
                onClick={() => void store.getState().exportDraft(c.target, folder)}
              >
                {busy === c.target ? 'Writing…' : c.button}
              </button>
              {written && (
                <div className="alert ok" role="status">
                  Written to {written.folder}:
                  <ul className="written-files">
                    {written.paths.map((p) => (
                      <li key={p} className="mono">
                        {p}
                      </li>
                    ))}
                  </ul>
                  {written.unsupported.length > 0 && (
                    <>
                      Not expressible in this export:
                      <ul>
                        {written.unsupported.map((u) => (
                          <li key={u}>{u}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
