import { useEffect, useMemo, useRef, useState } from 'react';
import type { CatalogSummary } from '../../../preload/api';
import { useTsmStore } from '../../state/store-context';
import { ChartCanvas } from '../charts/chart-canvas';
import { coverageConfig } from '../charts/chart-configs';
import { fmtDate, fmtInt } from '../format';
import { GenericColumns } from './generic-columns';
import { ValidationReportView } from './validation-report';

/** One catalog: where it is, its profile, columns, mapping, report and sky coverage. */
export function CatalogDetail({ catalog }: { catalog: CatalogSummary }) {
  const store = useTsmStore();
  const [confirming, setConfirming] = useState(false);
  const config = useMemo(() => coverageConfig(catalog.coverage), [catalog.coverage]);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  // the pressed button is replaced by the question (and back): the focus follows, not to <body>
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (wasConfirming.current) deleteButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  return (
    <section className="panel" aria-labelledby="detail-title">
      <div className="page-head">
        <h2 id="detail-title" tabIndex={-1}>
          {catalog.name}
        </h2>
        <div className="actions">
          {catalog.problem ? null : confirming ? (
            <div
              className="actions"
              role="group"
              aria-labelledby="delete-question"
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                e.preventDefault();
                setConfirming(false);
              }}
            >
              <span id="delete-question">
                Delete this catalog{catalog.kind === 'specz' ? ' and its stored copy' : ''}?
              </span>
              <button
                type="button"
                className="btn danger"
                onClick={() => store.getState().deleteCatalog(catalog.id)}
              >
                Yes, delete
              </button>
              <button
                type="button"
                className="btn"
                ref={keepButton}
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </div>
          ) : (
            <button
              type="button"
              className="btn danger"
              ref={deleteButton}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          )}
        </div>
      </div>
      {catalog.problem && (
        <div className="alert warn" role="alert">
          {catalog.problem}
        </div>
      )}
      {catalog.missing && catalog.kind === 'photometric' && (
        <div className="alert warn" role="alert">
          The folder {catalog.location} is no longer there (moved or deleted), so runs with this
          catalog fail. A catalog&apos;s location cannot be changed: delete this catalog and add it
          again from its new place (Add photometric catalog).
        </div>
      )}
      {catalog.missing && catalog.kind === 'specz' && (
        <div className="alert warn" role="alert">
          The stored copy of this catalog in the data folder (catalogs/{catalog.id}) is no longer
          there (moved or deleted), so runs with this catalog fail. A catalog&apos;s stored copy
          cannot be changed: delete this catalog and register its file again (Register redshift
          catalog{catalog.sourcePath ? `: ${catalog.sourcePath}` : ''}).
        </div>
      )}
      <dl className="kv">
        <dt>Kind</dt>
        <dd>
          {catalog.kind === 'specz' ? 'Redshift catalog (spec-z)' : 'Photometric catalog (HATS)'}
        </dd>
        <dt>Location</dt>
        <dd className="mono">{catalog.location}</dd>
        {catalog.kind === 'specz' && !catalog.problem && (
          <>
            <dt>On the command line</dt>
            <dd className="mono">tsm run --specz-id {catalog.id}</dd>
          </>
        )}
        {catalog.sourcePath && (
          <>
            <dt>Registered from</dt>
            <dd className="mono">{catalog.sourcePath}</dd>
          </>
        )}
        <dt>Rows</dt>
        <dd>{fmtInt(catalog.rowCount)}</dd>
        <dt>Partitions</dt>
        <dd>
          {catalog.partitions} ({(catalog.coverage.skyFraction * 100).toFixed(2)} % of the sky)
        </dd>
        <dt>Added</dt>
        <dd>{fmtDate(catalog.addedAt)}</dd>
        {catalog.profile && (
          <>
            <dt>Profile</dt>
            <dd>{catalog.profile.label}</dd>
            <dt>Bands</dt>
            <dd>{catalog.profile.bands.join(', ') || '—'}</dd>
            <dt>Flux types</dt>
            <dd>{catalog.profile.fluxTypes.map((f) => f.label).join(', ') || '—'}</dd>
            <dt>Dust maps</dt>
            <dd>{catalog.profile.dustMaps.map((d) => d.label).join(', ') || '—'}</dd>
          </>
        )}
        {catalog.sourceMapping && (
          <>
            <dt>Columns of the file</dt>
            <dd>
              {Object.entries(catalog.sourceMapping)
                .filter(([, v]) => v)
                .map(([k, v]) => `${k} ← ${v}`)
                .join(', ')}
            </dd>
          </>
        )}
        {catalog.report?.angleUnits && (
          <>
            <dt>RA/Dec read as</dt>
            <dd>
              {catalog.report.angleUnits === 'deg'
                ? 'degrees'
                : catalog.report.angleUnits === 'rad'
                  ? 'radians'
                  : 'sexagesimal'}
            </dd>
          </>
        )}
      </dl>
      <h3>Columns</h3>
      {/* each with its type (in a tooltip, no keyboard, screen reader or touch screen saw it) */}
      <ul className="tag-list">
        {catalog.columns.map((c) => (
          <li key={c.name} className="tag">
            {c.name}
            {c.type && <span className="tag-type"> {c.type}</span>}
          </li>
        ))}
      </ul>
      {catalog.kind === 'photometric' && catalog.profile?.id === 'generic' && (
        <GenericColumns key={catalog.id} catalog={catalog} />
      )}
      {catalog.report && (
        <>
          <h3>Validation report</h3>
          <ValidationReportView report={catalog.report} registered />
        </>
      )}
      <h3>Sky coverage</h3>
      <div className="coverage-box">
        <ChartCanvas config={config} label={`Sky coverage of ${catalog.name}`} />
      </div>
    </section>
  );
}
