import type { RunProgress, RunRecord } from '../../preload/api';
import { errorText } from '../components/error-words';
import { WIZARD_STEPS } from './wizard-slice';
import { messageOf, type SliceCreator } from './types';

/** Lines kept in the live log. */
export const LOG_LIMIT = 500;

export interface RunSlice {
  currentRun: RunRecord | null;
  progress: RunProgress | null;
  /** When `progress` arrived (Date.now() of the renderer): tells a stalled run from a busy one. */
  progressAtMs: number | null;
  log: string[];
  runError: string | null;
  cancelling: boolean;
  /** A startRun is on its way (a second click then starts nothing). */
  starting: boolean;
  /** Validates the wizard's draft, starts the run and shows the run page. */
  startRun(): Promise<boolean>;
  cancelRun(): Promise<void>;
  /**
   * Follows a run that is already going (one started before the page was reloaded, or from
   * another window): the run page shows it with its log and progress so far, then live.
   */
  followRun(run: RunRecord): void;
  onRunProgress(runId: string, progress: RunProgress): void;
  onRunFinished(record: RunRecord): void;
}

const stamp = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

/**
 * A line of the engine's log as the page shows it: its time, then its message with the project
 * field a line begins with (the engine's `specz.catalogId: ...`, also after `Warning: ` or
 * `Failed: `) said as the form labels it, with its step ("Redshift catalog (2. Catalogs): ...",
 * error-words.tsx). The run manager's log (getRunLog), record.json and `tsm run` keep the path.
 */
export function logLine(elapsedMs: number, message: string): string {
  return `${stamp(elapsedMs)}  ${errorText(message)}`;
}

/** The log's last line for a run that ended. */
function endingOf(record: RunRecord): string {
  const warnings = record.warnings?.length ?? 0;
  return record.status === 'done'
    ? `Finished: ${record.counts?.rowsOut ?? 0} rows written to ${record.outputPath}` +
        (warnings > 0 ? ` (${warnings === 1 ? '1 warning' : `${warnings} warnings`})` : '')
    : record.status === 'cancelled'
      ? // one cancelled from another process, or by the app's closing, says so
        `${record.error ?? 'Cancelled'}; no output file was left behind.`
      : `Failed: ${errorText(record.error ?? 'unknown error')}`;
}

/**
 * Progress of runs the renderer does not follow yet: the first events of a run can arrive before
 * startRun's reply names it, so they wait here (only the latest run's, a few lines).
 */
const early = new Map<string, { progress: RunProgress; lines: string[] }>();

/**
 * The lines getRunLog gave for the run followed late: the same lines may still arrive as events
 * sent before that answer (the events and the answer travel apart), and are not written twice.
 */
let answered: { runId: string; lines: Set<string> } | null = null;

export const createRunSlice: SliceCreator<RunSlice> = (api) => (set, get) => {
  /** startRun once the draft is there and no other start is on its way. */
  const startDraft = async (): Promise<boolean> => {
    const draft = get().draft!;
    await get().flushDraft();
    const issues = await get().validateDraft();
    if (issues.length > 0) {
      set({
        attempted: Object.fromEntries(WIZARD_STEPS.map((s) => [s, true])),
        runError: 'Fix the fields marked in the wizard before running.',
      });
      return false;
    }
    try {
      const run = await api.startRun(draft);
      const before = early.get(run.id);
      early.clear();
      set({
        currentRun: run,
        progress: before?.progress ?? null,
        progressAtMs: before ? Date.now() : null,
        log: [`Run ${run.id} started; output in ${run.outputDir}`, ...(before?.lines ?? [])],
        runError: null,
        cancelling: false,
        page: 'run',
      });
      void get().loadRuns(); // the Runs page lists it while it runs
      return true;
    } catch (err) {
      set({ runError: messageOf(err) });
      return false;
    }
  };

  return {
    currentRun: null,
    progress: null,
    progressAtMs: null,
    log: [],
    runError: null,
    cancelling: false,
    starting: false,
    startRun: async () => {
      const draft = get().draft;
      if (!draft || get().starting) return false;
      set({ starting: true });
      try {
        return await startDraft();
      } finally {
        set({ starting: false });
      }
    },
    followRun: (run) => {
      if (get().currentRun?.id === run.id) {
        set({ page: 'run' });
        return;
      }
      const before = early.get(run.id);
      const started = run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, '');
      const ended = run.status !== 'running';
      // a log line: it must still read true once the run has ended below it
      const heading = ended
        ? `Run ${run.id} (started ${started}); output in ${run.outputDir}`
        : `Following run ${run.id} (started ${started}, still running when this page opened); output in ${run.outputDir}`;
      set({
        currentRun: run,
        progress: before?.progress ?? null,
        progressAtMs: before ? Date.now() : null,
        // a run that ended (its page shown again after a reload) says how
        log: [heading, ...(before?.lines ?? []), ...(ended ? [endingOf(run)] : [])],
        runError: run.status === 'failed' ? (run.error ?? 'The run failed.') : null,
        cancelling: false,
        page: 'run',
      });
      // what the run reported before this page followed it: its whole log and latest progress
      void api
        .getRunLog(run.id)
        .then((sofar) => {
          if (get().currentRun?.id !== run.id) return;
          const lines = sofar.lines.map((l) => logLine(l.elapsedMs, l.message));
          const known = new Set(lines);
          answered = { runId: run.id, lines: new Set(lines) };
          // lines that arrived meanwhile (or were stashed) and are not in the answer follow it
          const log = get().log;
          const since = log.slice(log.indexOf(heading) + 1).filter((l) => !known.has(l));
          const progress = get().progress;
          const newer =
            sofar.progress && (!progress || sofar.progress.elapsedMs > progress.elapsedMs);
          set({
            log: [heading, ...lines, ...since].slice(-LOG_LIMIT),
            ...(newer ? { progress: sofar.progress, progressAtMs: Date.now() } : {}),
          });
        })
        .catch(() => {
          // the live lines stay; the earlier ones are only missing
        });
    },
    cancelRun: async () => {
      const run = get().currentRun;
      if (!run || run.status !== 'running') return;
      set({ cancelling: true });
      try {
        await api.cancelRun(run.id);
      } catch (err) {
        set({ runError: messageOf(err), cancelling: false });
      }
    },
    onRunProgress: (runId, progress) => {
      if (get().currentRun?.id !== runId) {
        const stash = early.get(runId) ?? { progress, lines: [] };
        if (early.size > 4) early.clear();
        stash.progress = progress;
        if (progress.message)
          stash.lines = [...stash.lines, logLine(progress.elapsedMs, progress.message)].slice(-20);
        early.set(runId, stash);
        return;
      }
      const line = progress.message ? logLine(progress.elapsedMs, progress.message) : null;
      // a line (and progress) the run's log gave already, arriving late: nothing new
      if (line !== null && answered?.runId === runId && answered.lines.delete(line)) return;
      const log = line !== null ? [...get().log, line].slice(-LOG_LIMIT) : get().log;
      set({ progress, progressAtMs: Date.now(), log });
    },
    onRunFinished: (record) => {
      void get().loadRuns();
      if (get().currentRun?.id !== record.id) return;
      set({
        currentRun: record,
        cancelling: false,
        // a Cancel refused as the run ended (another process's run that had just finished)
        // keeps saying why
        runError:
          record.status === 'failed'
            ? (record.error ?? 'The run failed.')
            : get().cancelling
              ? null
              : get().runError,
        log: [...get().log, endingOf(record)].slice(-LOG_LIMIT),
      });
    },
  };
};
