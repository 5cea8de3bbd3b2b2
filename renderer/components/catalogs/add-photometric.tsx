import { useTsm, useTsmStore } from '../../state/store-context';
import { onEscape } from '../escape-key';

/** Add a photometric HATS catalog or collection by folder or URL. */
export function AddPhotometric() {
  const store = useTsmStore();
  const form = useTsm((s) => s.photometricForm)!;
  const electron = useTsm((s) => s.info?.transport === 'electron');
  const actions = store.getState();
  return (
    // a form, so Enter in either field adds the catalog
    <form
      className="panel"
      aria-labelledby="phot-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (!form.busy) void store.getState().addPhotometric();
      }}
      // Escape cancels, as Cancel does (the page puts the focus back on the opening button)
      onKeyDown={onEscape(() => actions.cancelPhotometric())}
    >
      <h2 id="phot-form-title">Add a photometric catalog</h2>
      {form.error && (
        <div className="alert error" role="alert">
          {form.error}
        </div>
      )}
      <div className="field">
        <label htmlFor="phot-location">HATS catalog or collection (folder or http(s) URL)</label>
        <div className="actions">
          <input
            id="phot-location"
            type="text"
            placeholder="/data/dp1/object_collection  or  https://…/dp1/object_collection"
            value={form.location}
            onChange={(e) => actions.setPhotometricField('location', e.target.value)}
          />
          {electron && (
            <button
              type="button"
              className="btn"
              onClick={() => void store.getState().pickCatalogFolder()}
            >
              Choose folder…
            </button>
          )}
        </div>
      </div>
      <div className="field">
        <label htmlFor="phot-name">Name (optional)</label>
        <input
          id="phot-name"
          type="text"
          placeholder="the catalog's own name"
          value={form.name}
          onChange={(e) => actions.setPhotometricField('name', e.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="btn primary" disabled={form.busy}>
          {form.busy ? 'Reading the catalog…' : 'Add catalog'}
        </button>
        <button type="button" className="btn" onClick={() => actions.cancelPhotometric()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
