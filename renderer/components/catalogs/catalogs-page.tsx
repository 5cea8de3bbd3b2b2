import { useEffect, useRef } from 'react';
import { useTsm, useTsmStore } from '../../state/store-context';
import { fmtDate, fmtInt } from '../format';
import { focusLost } from '../focus-lost';
import { AddPhotometric } from './add-photometric';
import { CatalogDetail } from './catalog-detail';
import { RegisterSpecz } from './register-specz';
import type { CatalogSummary } from '../../../preload/api';

function CatalogTable(props: { kind: 'specz' | 'photometric'; catalogs: CatalogSummary[] }) {
  const store = useTsmStore();
  const selected = useTsm((s) => s.selectedCatalogId);
  const select = (id: string) => store.getState().selectCatalog(selected === id ? null : id);
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            <th>Name</th>
            <th className="num">Rows</th>
            <th className="num">Columns</th>
            <th className="num">Partitions</th>
            {props.kind === 'photometric' && <th>Profile</th>}
            <th>Added</th>
          </tr>
        </thead>
        <tbody>
          {props.catalogs.map((c) => (
            <tr
              key={c.id}
              className={`selectable${selected === c.id ? ' selected' : ''}`}
              tabIndex={0}
              aria-selected={selected === c.id}
              onClick={() => select(c.id)}
              onKeyDown={(e) =>
                (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), select(c.id))
              }
            >
              <td className="wrap">
                {c.name}
                {c.missing && (
                  <div className="badges">
                    <span className="badge failed">
                      {c.kind === 'specz' ? 'stored copy missing' : 'folder missing'}
                    </span>
                  </div>
                )}
                {c.problem && (
                  <div className="badges">
                    <span className="badge failed">cannot be read</span>
                  </div>
                )}
              </td>
              <td className="num">{fmtInt(c.rowCount)}</td>
              <td className="num">{c.columns.length}</td>
              <td className="num">{c.partitions}</td>
              {props.kind === 'photometric' && <td>{c.profile?.label ?? 'generic'}</td>}
              <td>{fmtDate(c.addedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Registered redshift catalogs and photometric HATS catalogs: add, inspect, delete. */
export function CatalogsPage() {
  const store = useTsmStore();
  const catalogs = useTsm((s) => s.catalogs);
  const error = useTsm((s) => s.catalogsError);
  const registering = useTsm((s) => s.registration !== null);
  const adding = useTsm((s) => s.photometricForm !== null);
  const selectedId = useTsm((s) => s.selectedCatalogId);
  const specz = catalogs.filter((c) => c.kind === 'specz');
  const phot = catalogs.filter((c) => c.kind === 'photometric');
  const selected = catalogs.find((c) => c.id === selectedId) ?? null;
  const heading = useRef<HTMLHeadingElement>(null);
  const registerButton = useRef<HTMLButtonElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const form = registering ? 'register' : adding ? 'add' : null;
  const before = useRef({ form, selectedId });
  const focusNewCatalog = useRef(false);
  // A form that closed or a catalog deleted removed the focused button: the focus goes to what
  // follows (the new catalog's heading, the button that opened the form, the page heading).
  useEffect(() => {
    const was = before.current;
    before.current = { form, selectedId };
    // a form opened: the focus goes to its first field (it stayed on the button above the form,
    // and a screen reader said nothing of the form)
    if (form && form !== was.form) {
      document.getElementById(form === 'register' ? 'specz-path' : 'phot-location')?.focus();
    } else if (was.form && !form && selectedId && selectedId !== was.selectedId) {
      focusNewCatalog.current = true;
    } else if (focusLost()) {
      if (was.form && !form)
        (was.form === 'register' ? registerButton : addButton).current?.focus();
      else if (was.selectedId && !selectedId) heading.current?.focus();
    }
    // the new catalog's details appear once the list has been reloaded
    if (focusNewCatalog.current && selected && focusLost()) {
      document.getElementById('detail-title')?.focus();
      focusNewCatalog.current = false;
    }
  }, [form, selectedId, selected]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            Catalogs
          </h1>
          <p className="lead">
            Register the spectroscopic-redshift catalogs you own and add the photometric HATS
            catalogs (a local folder or a URL) to crossmatch them against.
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="btn primary"
            ref={registerButton}
            onClick={() => store.getState().startRegistration()}
          >
            Register redshift catalog
          </button>
          <button
            type="button"
            className="btn"
            ref={addButton}
            onClick={() => store.getState().startPhotometric()}
          >
            Add photometric catalog
          </button>
        </div>
      </div>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {registering && <RegisterSpecz />}
      {adding && <AddPhotometric />}
      {/* the list could not be read (a data folder gone): no "No catalog yet" under its error */}
      {!(error && catalogs.length === 0) && (
        <>
          <section className="panel" aria-labelledby="specz-title">
            <h2 id="specz-title">Redshift catalogs</h2>
            {specz.length === 0 ? (
              <div className="empty">
                <strong>No redshift catalog yet</strong>
                Register a CSV, Parquet, FITS or HDF5 file with RA, Dec and z columns.
              </div>
            ) : (
              <CatalogTable kind="specz" catalogs={specz} />
            )}
          </section>
          <section className="panel" aria-labelledby="phot-title">
            <h2 id="phot-title">Photometric catalogs</h2>
            {phot.length === 0 ? (
              <div className="empty">
                <strong>No photometric catalog yet</strong>
                Add a HATS catalog or collection (LSST DP0.2 / DP1, DES DR2 or any HATS) by folder
                or URL.
              </div>
            ) : (
              <CatalogTable kind="photometric" catalogs={phot} />
            )}
          </section>
        </>
      )}
      {/* keyed: a Delete question asked for one catalog is not carried to the next one */}
      {selected && <CatalogDetail key={selected.id} catalog={selected} />}
    </>
  );
}
