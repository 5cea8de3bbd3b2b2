import { catalogFolderName } from '../../../compute/pipeline/sanitize-name';
import { useEffect, useRef } from 'react';
import { SPECZ_ROLES, type AngleUnitsChoice, type SpeczRole } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { focusLost } from '../focus-lost';
import { CutCell } from '../cut-cell';
import { readingNote } from '../format';
import { ValidationReportView } from './validation-report';
import { onEscape } from '../escape-key';

const ROLE_LABELS: Record<SpeczRole, string> = {
  ra: 'RA',
  dec: 'Dec',
  z: 'Redshift z',
  id: 'ID',
  zErr: 'z error',
  zFlag: 'z quality flag',
  survey: 'Survey',
  instrumentType: 'Instrument type (s/g/p)',
};
const REQUIRED: SpeczRole[] = ['ra', 'dec', 'z'];

/** Register a redshift catalog: pick a file, preview it, map its columns, read the report, confirm. */
export function RegisterSpecz() {
  const store = useTsmStore();
  const reg = useTsm((s) => s.registration)!;
  const electron = useTsm((s) => s.info?.transport === 'electron');
  const fileInput = useRef<HTMLInputElement>(null);
  const errorBox = useRef<HTMLDivElement>(null);
  const catalogs = useTsm((s) => s.catalogs);
  const actions = store.getState();
  // said at the name, not only in the error at the top of the form when Register is pressed
  const folderName = catalogFolderName(reg.name);
  const taken = catalogs.some((c) => c.kind === 'specz' && c.id === folderName);
  // the error shows at the top of a long form: bring it into view (a check of the columns at
  // the bottom seemed to do nothing)
  useEffect(() => {
    if (!reg.error) return;
    errorBox.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
    errorBox.current?.focus({ preventScroll: true });
  }, [reg.error]);
  // "Check the file" and "Back to the columns" go away with their step: the focus follows to the
  // report, or back to the first column choice (it was left on nothing, the top of the window)
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(reg.step);
  useEffect(() => {
    if (shownStep.current === reg.step) return;
    shownStep.current = reg.step;
    if (!focusLost()) return;
    if (reg.step === 'report') reportHeading.current?.focus();
    else if (reg.step === 'map') document.getElementById(`map-${SPECZ_ROLES[0]}`)?.focus();
  }, [reg.step]);

  // Cancel preview goes away with the preview: the focus goes back to Preview (it was left on
  // nothing, the top of the window)
  const previewButton = useRef<HTMLButtonElement>(null);
  const wasPreviewing = useRef(reg.previewing);
  useEffect(() => {
    const ended = wasPreviewing.current && !reg.previewing;
    wasPreviewing.current = reg.previewing;
    if (ended && focusLost()) previewButton.current?.focus();
  }, [reg.previewing]);

  // beside the buttons too: "Check the file" and Register read every row (tens of seconds for a
  // million), and the note at the path field is out of view by then; main says how far it got
  const busyNote = reg.busy ? (
    <span className="muted" role="status">
      {readingNote(reg.progress)}
    </span>
  ) : null;

  const onUpload = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    await store.getState().uploadSpecz(file.name, bytes);
  };

  return (
    <section
      className="panel"
      aria-labelledby="register-title"
      // Escape cancels, as Cancel does (the page puts the focus back on the opening button)
      onKeyDown={onEscape(() => actions.cancelRegistration())}
    >
      <h2 id="register-title">Register a redshift catalog</h2>
      {reg.error && (
        <div className="alert error" role="alert" ref={errorBox} tabIndex={-1}>
          {reg.error}
        </div>
      )}
      <div className="field">
        <label htmlFor="specz-path">
          Spec-z catalog: a file (CSV, Parquet, FITS, HDF5), a HATS folder or its http(s) URL
        </label>
        <div className="actions">
          <input
            id="specz-path"
            type="text"
            placeholder="/path/to/specz.parquet"
            value={reg.path}
            onChange={(e) => actions.setRegistrationPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void store.getState().loadPreview()}
          />
          <button
            ref={previewButton}
            type="button"
            className="btn"
            disabled={reg.busy}
            onClick={() => void store.getState().loadPreview()}
          >
            Preview
          </button>
          {reg.previewing && (
            <button type="button" className="btn" onClick={() => actions.cancelPreview()}>
              Cancel preview
            </button>
          )}
          {electron ? (
            <button
              type="button"
              className="btn"
              onClick={() => void store.getState().pickSpeczFile()}
            >
              Choose file…
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
                Upload file…
              </button>
              <input
                ref={fileInput}
                type="file"
                hidden
                aria-label="Upload a spec-z file"
                accept=".csv,.txt,.dat,.parquet,.pq,.fits,.fit,.hdf5,.h5,.hf5"
                onChange={(e) => void onUpload(e.target.files)}
              />
            </>
          )}
        </div>
        <div className="hint">
          {electron
            ? "Type a path or a HATS catalog's http(s) URL, or choose the file."
            : 'Type the path of a file or HATS folder on this computer, or the http(s) URL of a HATS catalog; or upload a copy of a file into the data folder.'}
        </div>
      </div>
      {reg.previewing ? (
        <p className="muted" role="status">
          Reading the first rows of {reg.path.trim()}… a remote catalog can take a while; Cancel
          preview stops it.
        </p>
      ) : reg.busy ? (
        <p className="muted">Reading…</p>
      ) : (
        reg.note && (
          <p className="muted" role="status">
            {reg.note}
          </p>
        )
      )}

      {reg.preview && reg.mapping && (
        <>
          <h3 id="preview-title">First rows</h3>
          {/* a box that scrolls both ways with nothing in it to focus: a named Tab stop */}
          <div className="table-wrap" role="region" aria-labelledby="preview-title" tabIndex={0}>
            <table className="grid" aria-label="Preview of the file">
              <thead>
                <tr>
                  {/* the type under the name (a tooltip held it: no keyboard, screen reader
                      or touch screen reached it) */}
                  {reg.preview.columns.map((c) => (
                    <th key={c.name}>
                      {c.name}
                      {c.type && <span className="col-type">{c.type}</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {reg.preview.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) => (
                      <td key={j}>
                        <CutCell value={cell} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Columns</h3>
          <p className="muted">
            Detected automatically; change any that is wrong. RA, Dec and z are required.
          </p>
          {reg.preview.mappingNote && (
            <div className="alert warn" role="status">
              {reg.preview.mappingNote}
            </div>
          )}
          <div className="row2">
            {SPECZ_ROLES.map((role) => (
              <div className="field" key={role}>
                <label htmlFor={`map-${role}`}>
                  {ROLE_LABELS[role]}{' '}
                  {REQUIRED.includes(role) && <span className="required">*</span>}
                </label>
                <select
                  id={`map-${role}`}
                  value={reg.mapping?.[role] ?? ''}
                  onChange={(e) => actions.setMapping(role, e.target.value)}
                >
                  <option value="">
                    {REQUIRED.includes(role) ? '— choose a column —' : '(none)'}
                  </option>
                  {reg.preview!.columns.map((c) => (
                    <option key={c.name} value={c.name}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          <div className="field">
            <label htmlFor="specz-angle-units">RA/Dec units</label>
            <select
              id="specz-angle-units"
              value={reg.angleUnits}
              onChange={(e) => actions.setAngleUnits(e.target.value as AngleUnitsChoice | '')}
            >
              <option value="">Detect from the values</option>
              <option value="deg">degrees</option>
              <option value="rad">radians</option>
              <option value="sexagesimal">sexagesimal (RA in hours)</option>
            </select>
            <div className="hint">
              Needed only when every position also fits radian ranges (a small field near RA 0).
            </div>
          </div>
          <div className="field">
            <label htmlFor="specz-name">Catalog name</label>
            <input
              id="specz-name"
              type="text"
              value={reg.name}
              aria-invalid={taken || undefined}
              aria-describedby={taken ? 'specz-name-msg' : undefined}
              onChange={(e) => actions.setRegistrationName(e.target.value)}
            />
            {taken && (
              <div id="specz-name-msg" className="error">
                A spec-z catalog named &apos;{folderName}&apos; is already registered; choose
                another name.
              </div>
            )}
          </div>
          {reg.step === 'map' && (
            <div className="actions">
              <button
                type="button"
                className="btn primary"
                disabled={reg.busy}
                onClick={() => void store.getState().validateRegistration()}
              >
                Check the file
              </button>
              <button type="button" className="btn" onClick={() => actions.cancelRegistration()}>
                Cancel
              </button>
              {busyNote}
            </div>
          )}
        </>
      )}

      {reg.step === 'report' && reg.report && (
        <>
          <h3 ref={reportHeading} tabIndex={-1}>
            Validation report
          </h3>
          <ValidationReportView report={reg.report} />
          <div className="actions">
            <button
              type="button"
              className="btn primary"
              disabled={!reg.report.ok || reg.busy || !reg.name.trim()}
              onClick={() => void store.getState().confirmRegistration()}
            >
              Register
            </button>
            {!reg.report.ok && reg.report.rowsValid > 0 && (
              <button
                type="button"
                className="btn"
                disabled={reg.busy || !reg.name.trim()}
                onClick={() => void store.getState().confirmRegistration(true)}
              >
                Register only the valid rows ({reg.report.rowsValid})
              </button>
            )}
            <button type="button" className="btn" onClick={() => actions.backToMapping()}>
              Back to the columns
            </button>
            <button type="button" className="btn" onClick={() => actions.cancelRegistration()}>
              Cancel
            </button>
            {busyNote}
          </div>
          {!reg.name.trim() && reg.report.rowsValid > 0 && (
            <div className="hint" role="note">
              Give the catalog a name (above) to register it.
            </div>
          )}
        </>
      )}
      {reg.step === 'pick' && (
        <div className="actions">
          <button type="button" className="btn" onClick={() => actions.cancelRegistration()}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
