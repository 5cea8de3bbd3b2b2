import { useEffect, useRef, useState } from 'react';
import { holdsNumbers } from '../../../compute/arrow/type-text';
import { abZeroPoint, isAbZeroPoint } from '../../../compute/photometry/detect-profile';
import type { CatalogSummary } from '../../../preload/api';
import { genericFormOf, type GenericBandForm, type GenericForm } from '../../state/generic-slice';
import { useTsm, useTsmStore } from '../../state/store-context';

function ColumnSelect(props: {
  id: string;
  value: string;
  columns: string[];
  onChange: (value: string) => void;
  optional?: boolean;
  label?: string;
}) {
  return (
    <select
      id={props.id}
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">{props.optional ? '— none —' : '— choose —'}</option>
      {props.columns.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}

/**
 * The generic profile's column choices for a photometric catalog no survey profile knows: id,
 * ra, dec, and per band the flux and flux-error columns and R_b (A_b / E(B-V)), plus the flux
 * unit and zero point. Saved with the catalog (TsmApi.setGenericColumns).
 */
export function GenericColumns({ catalog }: { catalog: CatalogSummary }) {
  const store = useTsmStore();
  const error = useTsm((s) => s.genericError);
  const notice = useTsm((s) => s.genericNotice);
  const saving = useTsm((s) => s.genericSaving);
  const [form, setForm] = useState<GenericForm>(() => genericFormOf(catalog));
  const columns = catalog.columns.map((c) => c.name);
  // coordinates and fluxes must be numbers; the id may be text
  const numeric = catalog.columns.filter((c) => holdsNumbers(c.type)).map((c) => c.name);
  const patch = (p: Partial<GenericForm>) => setForm({ ...form, ...p });
  const patchBand = (k: number, p: Partial<GenericBandForm>) =>
    patch({ bands: form.bands.map((b, i) => (i === k ? { ...b, ...p } : b)) });
  // Remove goes with its row: the focus goes to the band now in its place (or the one before the
  // last), not to nothing
  const bandsTable = useRef<HTMLTableElement>(null);
  const removedAt = useRef<number | null>(null);
  useEffect(() => {
    const k = removedAt.current;
    removedAt.current = null;
    if (k === null) return;
    const rows = bandsTable.current?.tBodies[0]?.rows;
    // a row's first control is its band name
    rows?.[Math.min(k, rows.length - 1)]?.querySelector('input')?.focus();
  }, [form.bands.length]);
  return (
    <section aria-labelledby="generic-title">
      <h3 id="generic-title">Band columns (generic profile)</h3>
      <p className="muted">
        No survey profile knows this catalog&apos;s columns. Name them here to get magnitudes and
        dereddening: magnitudes are zero point − 2.5 log10(flux); dereddened ones subtract R_b ×
        E(B−V) from the dust map.
      </p>
      <div className="generic-grid">
        <div className="field">
          <label htmlFor="generic-id">Object id column</label>
          <ColumnSelect
            id="generic-id"
            optional
            value={form.idColumn}
            columns={columns}
            onChange={(v) => patch({ idColumn: v })}
          />
        </div>
        <div className="field">
          <label htmlFor="generic-ra">RA column</label>
          <ColumnSelect
            id="generic-ra"
            value={form.raColumn}
            columns={numeric}
            onChange={(v) => patch({ raColumn: v })}
          />
        </div>
        <div className="field">
          <label htmlFor="generic-dec">Dec column</label>
          <ColumnSelect
            id="generic-dec"
            value={form.decColumn}
            columns={numeric}
            onChange={(v) => patch({ decColumn: v })}
          />
        </div>
        <div className="field">
          <label htmlFor="generic-unit">Flux unit</label>
          <input
            id="generic-unit"
            type="text"
            value={form.fluxUnit}
            onChange={(e) => {
              const fluxUnit = e.target.value;
              // the zero point follows the unit while it is some unit's AB one (not typed)
              const after = abZeroPoint(fluxUnit);
              const followed = isAbZeroPoint(Number(form.zeroPointMag));
              patch({
                fluxUnit,
                ...(followed && after !== undefined ? { zeroPointMag: String(after) } : {}),
              });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="generic-zp">Zero point (AB mag)</label>
          <input
            id="generic-zp"
            type="text"
            inputMode="decimal"
            className="number"
            value={form.zeroPointMag}
            onChange={(e) => patch({ zeroPointMag: e.target.value })}
          />
          <div className="hint">AB: 8.9 for Jy, 16.4 mJy, 23.9 uJy, 31.4 nJy.</div>
        </div>
      </div>
      <table className="generic-bands" ref={bandsTable}>
        <thead>
          <tr>
            <th>Band</th>
            <th>Flux column</th>
            <th>Flux error column</th>
            <th>R_b</th>
            <th>
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {form.bands.map((b, k) => (
            <tr key={k}>
              <td>
                <input
                  type="text"
                  aria-label={`Band ${k + 1} name`}
                  value={b.band}
                  placeholder="g"
                  onChange={(e) => patchBand(k, { band: e.target.value })}
                />
              </td>
              <td>
                <ColumnSelect
                  id={`generic-flux-${k}`}
                  label={`Band ${k + 1} flux column`}
                  value={b.flux}
                  columns={numeric}
                  onChange={(v) => patchBand(k, { flux: v })}
                />
              </td>
              <td>
                <ColumnSelect
                  id={`generic-fluxerr-${k}`}
                  label={`Band ${k + 1} flux error column`}
                  optional
                  value={b.fluxErr}
                  columns={numeric}
                  onChange={(v) => patchBand(k, { fluxErr: v })}
                />
              </td>
              <td>
                <input
                  type="text"
                  inputMode="decimal"
                  className="number"
                  aria-label={`Band ${k + 1} R_b`}
                  value={b.rb}
                  onChange={(e) => patchBand(k, { rb: e.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="btn"
                  aria-label={`Remove band ${k + 1}`}
                  disabled={form.bands.length === 1}
                  onClick={() => {
                    removedAt.current = k;
                    patch({ bands: form.bands.filter((_, i) => i !== k) });
                  }}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {notice && (
        <div className="alert ok" role="status">
          {notice}
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          className="btn"
          onClick={() =>
            patch({ bands: [...form.bands, { band: '', flux: '', fluxErr: '', rb: '' }] })
          }
        >
          Add band
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={saving}
          onClick={() => void store.getState().saveGenericColumns(catalog.id, form)}
        >
          {saving ? 'Saving…' : 'Save band columns'}
        </button>
      </div>
    </section>
  );
}
