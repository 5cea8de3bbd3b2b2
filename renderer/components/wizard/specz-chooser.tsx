import type { CatalogSummary, Project } from '../../../preload/api';
import { useTsmStore } from '../../state/store-context';
import { fmtDate, fmtInt } from '../format';
import { useFieldIssues } from './fields';
import { OpenedPath } from './opened-path';

/** Form field 3: the registered redshift catalog; its columns become the project's specz.columns. */
export function SpeczChooser({ draft, catalogs }: { draft: Project; catalogs: CatalogSummary[] }) {
  const store = useTsmStore();
  const messages = useFieldIssues('specz');
  const choose = async (c: CatalogSummary) => {
    // a registered catalog names its own id column: an opened project's "no id column"
    // (specz.noIdColumn, for a spec-z file) does not carry over to it
    const { noIdColumn: _file, ...specz } = draft.specz;
    await store.getState().setField('specz', {
      ...specz,
      catalogId: c.id,
      path: null,
      columns: { ...draft.specz.columns, ...(c.mapping ?? {}) },
    });
  };
  // an opened project (a config.yml, a tsm.json from tsm run) may name a spec-z file that is no
  // registered catalog: it was listed only on the Summary, this step showed nothing chosen
  const file = draft.specz.catalogId === null ? draft.specz.path : null;
  const cols = draft.specz.columns;
  return (
    <fieldset className={`field${messages.length ? ' invalid' : ''}`}>
      <legend className="label">
        3. Select the Redshift Catalog for the cross-matching: <span className="required">*</span>
      </legend>
      {file && (
        <OpenedPath
          id="specz-file"
          label="Spec-z file of the opened project (not a registered catalog)"
          path={file}
          hint={
            <>
              The run reads this file (its RA, Dec and z columns: {cols.ra ?? 'ra'},{' '}
              {cols.dec ?? 'dec'}, {cols.z ?? 'z'}).{' '}
              {catalogs.length > 0
                ? 'Choose a registered catalog below to use it instead.'
                : 'To use a registered catalog instead, register one on the Catalogs page.'}
            </>
          }
        />
      )}
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
                <th>
                  <span className="sr-only">Chosen</span>
                </th>
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
                  <td className="wrap">
                    <label htmlFor={`specz-${c.id}`}>{c.name}</label>
                    {c.missing && (
                      <div className="badges">
                        <span className="badge failed">stored copy missing</span>
                      </div>
                    )}
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
