import { useTsm, useTsmStore } from '../../state/store-context';
import { fmtDate, fmtInt } from '../format';
import { ProgressBar } from '../progress-bar';
import { PLOT_TITLES, QaPlots } from './qa-plots';
import { RunWarnings } from './run-warnings';
import { TablePreview } from './table-preview';

/**
 * The plots' place while their data are computed (the output is read: seconds for a large CSV):
 * the plots' boxes, of the size they will have, so that the table below stays where it is when
 * they come; the first says how far it is when told (the output's rows read, then the spec-z
 * catalog's). Or why they could not be made.
 */
function QaPending({ error, progress }: { error: string | null; progress: number | null }) {
  const percent = progress === null ? null : Math.floor(progress * 100);
  return (
    <section aria-labelledby="qa-title">
      <div className="page-head">
        <h2 id="qa-title">Quality plots</h2>
        {!error && (
          <button type="button" className="btn" disabled>
            Export all plots as PNG
          </button>
        )}
      </div>
      {error ? (
        <div className="alert error" role="alert">
          The plots could not be made: {error}
        </div>
      ) : (
        <div className="plots">
          {PLOT_TITLES.map((title, i) => (
            <figure className="plot pending" aria-label={title} aria-busy="true" key={title}>
              <div className="plot-head">
                <h3>{title}</h3>
                <button type="button" className="btn small" disabled>
                  Export PNG
                </button>
              </div>
              <div className="canvas-box">
                {i === 0 && (
                  <>
                    <p className="muted" role="status">
                      Computing the plots from the output
                      {percent !== null ? ` (${percent} %)` : ''}… The table below can be used
                      meanwhile.
                    </p>
                    {percent !== null && <ProgressBar label="Plots' progress" percent={percent} />}
                  </>
                )}
              </div>
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}

/** A finished run: counts, QA plots, a paged preview of the output, and what to do next. */
export function ResultsPage() {
  const store = useTsmStore();
  const results = useTsm((s) => s.results);
  const error = useTsm((s) => s.resultsError);
  const qa = useTsm((s) => s.resultsQa);
  const qaError = useTsm((s) => s.resultsQaError);
  const qaProgress = useTsm((s) => s.resultsQaProgress);
  if (error) {
    return (
      <div className="alert error" role="alert">
        {error}
      </div>
    );
  }
  if (!results) return <p className="muted">Loading the results…</p>;
  const { run } = results;
  const c = run.counts;
  const counts: [string, number | undefined][] = [
    ['Spec-z rows in', c?.rowsIn],
    ['Matched', c?.matched],
    ['Unmatched', c?.unmatched],
    ['Duplicates resolved', c?.duplicatesResolved],
    ['Training rows', c?.train],
    ['Test rows', c?.test],
    ['Rows written', c?.rowsOut],
  ];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{run.name}</h1>
          <p className="lead">
            Finished {fmtDate(run.finishedAt)}
            {run.seed !== undefined && <> · seed {run.seed}</>} ·{' '}
            <span className="mono">{run.outputPath}</span>
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="btn"
            onClick={() => void store.getState().openOutputFolder(run.id)}
          >
            Open output folder
          </button>
          <button type="button" className="btn" onClick={() => void store.getState().rerun(run)}>
            Re-run
          </button>
        </div>
      </div>
      {results.outputMissing && (
        <div className="alert warn" role="alert" aria-label="Output missing">
          {results.outputMissing}
        </div>
      )}
      <RunWarnings warnings={run.warnings} run={run} />
      {results.outputReplaced && (
        <div className="alert warn" role="alert" aria-label="Output replaced">
          {results.outputReplaced}
        </div>
      )}
      <div className="stats" role="group" aria-label="Counts">
        {counts.map(([k, v]) => (
          <div className="stat" key={k}>
            <div className="k">{k}</div>
            <div className="v">{fmtInt(v)}</div>
          </div>
        ))}
      </div>
      {!results.outputMissing &&
        (qa ? (
          <QaPlots qa={qa} runName={run.name} />
        ) : (
          <QaPending error={qaError} progress={qaProgress} />
        ))}
      {!results.outputMissing && <TablePreview />}
    </>
  );
}
