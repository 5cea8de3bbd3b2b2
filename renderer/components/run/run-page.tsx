import { ErrorWords } from '../error-words';
import { useEffect, useRef } from 'react';
import type { RunRecord } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { focusLost } from '../focus-lost';
import { fmtBytes, fmtDuration, fmtInt, readingNote } from '../format';
import { ProgressBar } from '../progress-bar';
import { RunWarnings } from '../results/run-warnings';
import { runElapsedMs, runTimeLeft, useNow } from './run-clock';

const STAGE_LABELS: Record<string, string> = {
  resolve: 'Resolving catalogs',
  plan: 'Planning',
  crossmatch: 'Crossmatching',
  'unique-galaxies': 'Resolving unique galaxies',
  split: 'Splitting train/test',
  write: 'Writing the output',
};

/**
 * The run's state in the panel's heading, said once: a badge (its class styles it) and what it
 * does or how it ended (the badge and the stage said the same, "done Done").
 */
export function runStatusText(
  status: RunRecord['status'],
  stage: string | undefined,
  cancelling: boolean,
): { badge: string; badgeClass: string; detail: string } {
  switch (status) {
    case 'running':
      return cancelling
        ? { badge: 'Cancelling', badgeClass: 'cancelled', detail: 'Stopping the run…' }
        : {
            badge: 'Running',
            badgeClass: 'running',
            detail: STAGE_LABELS[stage ?? 'resolve'] ?? stage ?? '',
          };
    case 'done':
      return { badge: 'Done', badgeClass: 'done', detail: 'The training set is written' };
    case 'failed':
      return {
        badge: 'Failed',
        badgeClass: 'failed',
        detail: 'The run stopped on the error above',
      };
    case 'cancelled':
      return {
        badge: 'Cancelled',
        badgeClass: 'cancelled',
        detail: 'Stopped before the end; no output file was left behind',
      };
  }
}

/** The current run: stage, progress bar, counters, ETA, live log and Cancel. */
export function RunPage() {
  const store = useTsmStore();
  const run = useTsm((s) => s.currentRun);
  const progress = useTsm((s) => s.progress);
  const progressAtMs = useTsm((s) => s.progressAtMs);
  const nowMs = useNow(1000, run?.status === 'running');
  const log = useTsm((s) => s.log);
  const runError = useTsm((s) => s.runError);
  const cancelling = useTsm((s) => s.cancelling);
  const logBox = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (logBox.current) logBox.current.scrollTop = logBox.current.scrollHeight;
  }, [log]);
  // Cancel goes away when the run ends (and was disabled while cancelling): the focus goes to
  // what replaces it, View results or Edit and run again, not to nothing
  const nextAction = useRef<HTMLButtonElement>(null);
  const wasRunning = useRef(run?.status === 'running');
  useEffect(() => {
    const running = run?.status === 'running';
    if (wasRunning.current && !running && focusLost()) nextAction.current?.focus();
    wasRunning.current = running;
  }, [run?.status]);
  if (!run) {
    return (
      <div className="empty">
        <strong>No run in progress</strong>
        Start one from New training set.
      </div>
    );
  }
  const done = run.status === 'done';
  const fraction = done
    ? 1
    : progress && progress.pixelsTotal > 0
      ? progress.pixelsDone / progress.pixelsTotal
      : 0;
  const percent = Math.round(fraction * 100);
  const stage = run.status === 'running' ? (progress?.stage ?? 'resolve') : run.status;
  const said = runStatusText(run.status, progress?.stage, cancelling);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{run.name}</h1>
          <p className="lead">
            Run <span className="mono">{run.id}</span> · output in{' '}
            <span className="mono">{run.outputDir}</span>
            {run.status === 'running' && run.runningElsewhere && run.owner && (
              <>
                {' '}
                · run by {run.owner.program} (pid {run.owner.pid})
              </>
            )}
          </p>
        </div>
        <div className="actions">
          {run.status === 'running' && (
            <button
              type="button"
              className="btn danger"
              disabled={cancelling}
              onClick={() => void store.getState().cancelRun()}
            >
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
          {done && (
            <button
              type="button"
              className="btn primary"
              ref={nextAction}
              onClick={() => void store.getState().openResults(run.id)}
            >
              View results
            </button>
          )}
          {(run.status === 'failed' || run.status === 'cancelled') && (
            <button
              type="button"
              className="btn primary"
              ref={nextAction}
              onClick={() => void store.getState().rerun(run)}
            >
              Edit and run again
            </button>
          )}
        </div>
      </div>
      {runError && (
        <div className="alert error" role="alert">
          <ErrorWords
            error={runError}
            onChange={(step) => void store.getState().rerun(run, step)}
          />
        </div>
      )}
      {done && <RunWarnings warnings={run.warnings} run={run} />}
      <section className="panel">
        <div className="plot-head">
          <h2>
            <span className={`badge ${said.badgeClass}`}>{said.badge}</span> {said.detail}
          </h2>
          <strong aria-hidden="true">{percent}%</strong>
        </div>
        {stage === 'resolve' && progress?.speczRead && (
          <p className="muted" role="status">
            {readingNote(progress.speczRead, 'the spec-z file')}
          </p>
        )}
        <ProgressBar label="Run progress" percent={percent} />
        <div className="stats">
          <div className="stat">
            <div className="k">Pixels done / total</div>
            <div className="v">
              {fmtInt(progress?.pixelsDone ?? 0)} / {fmtInt(progress?.pixelsTotal ?? 0)}
            </div>
          </div>
          <div className="stat">
            <div className="k">Rows matched</div>
            <div className="v">{fmtInt(progress?.rowsMatched ?? run.counts?.matched ?? 0)}</div>
          </div>
          <div className="stat">
            <div className="k">Bytes read</div>
            <div className="v">{fmtBytes(progress?.bytesRead ?? 0)}</div>
          </div>
          <div className="stat">
            <div className="k">Elapsed</div>
            <div className="v">{fmtDuration(runElapsedMs(run, progress, nowMs))}</div>
          </div>
          <div className="stat">
            <div className="k">Time left</div>
            <div className="v">{runTimeLeft(run, progress, progressAtMs, nowMs)}</div>
          </div>
        </div>
        <h3>Log</h3>
        {/* a log (announced as lines come), reached with Tab to scroll it once it is long */}
        <pre
          className="log"
          ref={logBox}
          role="log"
          tabIndex={0}
          aria-live="polite"
          aria-label="Run log"
        >
          {log.join('\n')}
        </pre>
      </section>
    </>
  );
}
