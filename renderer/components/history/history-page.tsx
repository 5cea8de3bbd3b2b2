import { useTsm, useTsmStore } from '../../state/store-context';
import { fmtDate, fmtDuration, fmtInt } from '../format';
import { FORMAT_LABELS } from '../wizard/output-step';
import { dustMapLabel, fluxTypeLabel, shortLabel } from '../wizard/photometry-labels';
import { RunWarningsNote } from './run-warnings-note';
import { RunReason } from './run-reason';

/** Every past run with its parameters; open its results or run it again. */
export function HistoryPage() {
  const store = useTsmStore();
  const runs = useTsm((s) => s.runs);
  const error = useTsm((s) => s.historyError);
  const goneRunId = useTsm((s) => s.goneRunId);
  const catalogs = useTsm((s) => s.catalogs);
  const lastPart = (location: string) => location.split(/[\\/]/).filter(Boolean).pop() ?? location;
  // a registered catalog by its name; a file given by path (tsm run, a project file) by its name
  const speczName = (specz: { catalogId: string | null; path?: string | null }) =>
    catalogs.find((c) => c.id === specz.catalogId)?.name ??
    specz.catalogId ??
    (specz.path ? lastPart(specz.path) : '—');
  const photName = (location: string) =>
    catalogs.find((c) => c.kind === 'photometric' && c.location === location)?.name ??
    lastPart(location);
  // its flux type and dust map in the wizard's words (cModel, SFD98), not the project's ids
  const photProfile = (location: string) =>
    catalogs.find((c) => c.kind === 'photometric' && c.location === location)?.profile;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="lead">Every training set built on this computer, newest first.</p>
        </div>
        <div className="actions">
          <button type="button" className="btn" onClick={() => void store.getState().loadRuns()}>
            Refresh
          </button>
        </div>
      </div>
      {goneRunId && (
        // the address named a run this data folder does not hold: said, not just the list
        <div className="alert warn" role="status">
          Run {goneRunId} is not here any more (deleted, or made in another data folder).
        </div>
      )}
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {runs.length === 0 ? (
        // a data folder that cannot be read (gone, its disk unmounted) has runs: not "No runs yet"
        !error && (
          <div className="empty">
            <strong>No runs yet</strong>
            Build a training set from New training set; its results will be listed here.
          </div>
        )
      ) : (
        <section className="panel">
          <div className="table-wrap runs-table">
            <table className="grid">
              <thead>
                <tr>
                  <th>Name and status</th>
                  <th>Started</th>
                  <th>Catalogs and match</th>
                  <th className="num">Output</th>
                  <th className="sticky-end">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td className="wrap">
                      <span className="clamp" title={r.name}>
                        {r.name}
                      </span>
                      <div className="badges">
                        <span className={`badge ${r.status}`}>{r.status}</span>
                      </div>
                      <RunReason run={r} />
                      <RunWarningsNote warnings={r.warnings} />
                    </td>
                    <td className="wrap">
                      {fmtDate(r.startedAt)}
                      {r.finishedAt && (
                        <div className="muted">
                          {fmtDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt))}
                        </div>
                      )}
                    </td>
                    {/* one cell, three lines: with a column each, the table did not fit a 1024 px window */}
                    <td className="wrap" title={r.project.photometry.location}>
                      {speczName(r.project.specz)}
                      <div>
                        × {photName(r.project.photometry.location)} · flux{' '}
                        {shortLabel(
                          fluxTypeLabel(
                            r.project.photometry.fluxType,
                            photProfile(r.project.photometry.location),
                          ),
                        )}{' '}
                        · dust{' '}
                        {shortLabel(
                          dustMapLabel(
                            r.project.photometry.dereddening.map,
                            photProfile(r.project.photometry.location),
                          ),
                        )}
                      </div>
                      <div className="muted">
                        radius {r.project.crossmatch.radiusArcsec}″ ·{' '}
                        {r.project.crossmatch.nNeighbors === 1
                          ? '1 neighbour'
                          : `${r.project.crossmatch.nNeighbors} neighbours`}{' '}
                        · {r.project.crossmatch.join} join
                      </div>
                    </td>
                    <td className="num">
                      {r.counts ? `${fmtInt(r.counts.rowsOut)} rows` : '—'}
                      <div className="muted">{FORMAT_LABELS[r.project.output.format]}</div>
                    </td>
                    <td className="sticky-end">
                      <div className="actions">
                        {/* another process's run too: its page follows its log, with Cancel */}
                        {r.status === 'running' && (
                          <button
                            type="button"
                            className="btn small"
                            aria-label={`Progress of ${r.name}`}
                            onClick={() => store.getState().followRun(r)}
                          >
                            Progress
                          </button>
                        )}
                        {r.status === 'done' && (
                          <button
                            type="button"
                            className="btn small"
                            aria-label={`Results of ${r.name}`}
                            onClick={() => void store.getState().openResults(r.id)}
                          >
                            Results
                          </button>
                        )}
                        <button
                          type="button"
                          className="btn small"
                          aria-label={`Re-run ${r.name}`}
                          onClick={() => void store.getState().rerun(r)}
                        >
                          Re-run
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
