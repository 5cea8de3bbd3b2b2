import type { QaData, RunRecord, RunResults, TablePage } from '../../preload/api';
import { rowTarget } from './table-row';
import { messageOf, type SliceCreator } from './types';
import type { WizardStep } from './wizard-slice';

/** Rows per page of the results table. */
export const PAGE_SIZE = 25;

/** The offset of the page holding row `row` (0-based). */
export const pageOffsetOf = (row: number): number => Math.floor(row / PAGE_SIZE) * PAGE_SIZE;

export interface HistorySlice {
  runs: RunRecord[];
  historyError: string | null;
  results: RunResults | null;
  /** The run whose results are shown (or loading); null: none. */
  resultsRunId: string | null;
  resultsError: string | null;
  /** The shown run's QA plots' data; null while they are computed (or failed: resultsQaError). */
  resultsQa: QaData | null;
  resultsQaError: string | null;
  /** How far the plots' computation has read the output, 0..1; null: not told yet. */
  resultsQaProgress: number | null;
  table: TablePage | null;
  tableError: string | null;
  /** The row (0-based) "Go to row" went to, marked in the table; null: none. */
  tableRow: number | null;
  /** What "Go to row" said of the number typed (moved into range, or not a number). */
  tableNotice: string | null;
  loadRuns(): Promise<void>;
  /**
   * Shows the results page of a finished run: its counts, then its first table page and its QA
   * plots' data, each as it comes (the table does not wait for the plots).
   */
  openResults(runId: string): Promise<void>;
  /** A `qaProgress` event: the plots' computation of `runId` has read `fraction` of its output. */
  onQaProgress(runId: string, fraction: number): void;
  /**
   * Stops the plots' computation asked for by the results page, if it is still going (the page
   * left, another run opened, the window closed): main stops reading the output for them.
   */
  stopPlots(): void;
  /**
   * The results page shown again without being opened anew (the browser's back/forward cache
   * brings back a page whose plots pagehide stopped): their computation starts again.
   */
  resumePlots(): void;
  /** Shows the rows from `offset` (First, Previous, Next, Last). */
  loadTablePage(offset: number): Promise<void>;
  /**
   * Shows the page holding the row numbered `typed` (1-based, as the table numbers them), marked;
   * a number out of range goes to the first or last row and says so, other text is refused.
   */
  goToTableRow(typed: string): Promise<void>;
  openOutputFolder(runId: string): Promise<void>;
  /** Copies a past run's parameters into the wizard (summary step) to run them again. */
  /** The run's parameters in the wizard, at its summary or at `step` (a warning's field's). */
  rerun(run: RunRecord, step?: WizardStep): Promise<void>;
}

/** The results page's state before a run's results come (none shown). */
const NO_RESULTS = {
  results: null,
  resultsRunId: null,
  resultsError: null,
  resultsQa: null,
  resultsQaError: null,
  resultsQaProgress: null,
  table: null,
  tableError: null,
  tableRow: null,
  tableNotice: null,
} satisfies Partial<HistorySlice>;

const newQaRequestId = () => `qa-${crypto.randomUUID()}`;

export const createHistorySlice: SliceCreator<HistorySlice> = (api) => (set, get) => {
  /** The id of the getRunQa call still waited for; null: none. */
  let plotsRequest: string | null = null;
  /** Counts table requests: the answer of a page asked for before the latest one is dropped. */
  let tableRequest = 0;
  const fetchPage = async (offset: number): Promise<boolean> => {
    const run = get().results?.run;
    if (!run) return false;
    const request = ++tableRequest;
    try {
      const table = await api.getTablePage(run.id, offset, PAGE_SIZE);
      if (request !== tableRequest || get().results?.run.id !== run.id) return false;
      set({ table, tableError: null });
      return true;
    } catch (err) {
      if (request === tableRequest) set({ tableError: messageOf(err) });
      return false;
    }
  };
  /** Asks for the run's plots' data (getRunQa) under a new request id that stopPlots can cancel. */
  const startPlots = async (runId: string): Promise<void> => {
    const current = () => get().resultsRunId === runId;
    const requestId = newQaRequestId();
    plotsRequest = requestId;
    try {
      const qa = await api.getRunQa(runId, requestId);
      if (current()) set({ resultsQa: qa });
    } catch (err) {
      // stopped here (the page left or hidden): the page says nothing of a cancel it asked for
      if (current() && plotsRequest === requestId) set({ resultsQaError: messageOf(err) });
    } finally {
      if (plotsRequest === requestId) plotsRequest = null;
    }
  };
  return {
    runs: [],
    historyError: null,
    ...NO_RESULTS,
    loadRuns: async () => {
      try {
        set({ runs: await api.listRuns(), historyError: null });
      } catch (err) {
        set({ historyError: messageOf(err) });
      }
    },
    openResults: async (runId) => {
      get().stopPlots();
      set({ ...NO_RESULTS, page: 'results', resultsRunId: runId });
      let results: RunResults;
      // the answer for a run the user has left for another's results is dropped
      const current = () => get().resultsRunId === runId;
      try {
        results = await api.getRunResults(runId);
        if (!current()) return;
        set({ results });
      } catch (err) {
        if (current()) set({ resultsError: messageOf(err) });
        return;
      }
      // an output that is gone has no table to page through, nor plots
      if (results.outputMissing) return;
      const plots = startPlots(runId);
      await Promise.all([get().loadTablePage(0), plots]);
    },
    resumePlots: () => {
      const { page, results, resultsQa, resultsQaError } = get();
      if (page !== 'results' || !results || results.outputMissing) return;
      if (resultsQa || resultsQaError || plotsRequest !== null) return;
      void startPlots(results.run.id);
    },
    stopPlots: () => {
      const requestId = plotsRequest;
      plotsRequest = null;
      if (requestId) void api.cancelRunQa(requestId).catch(() => undefined);
    },
    onQaProgress: (runId, fraction) => {
      if (get().resultsRunId === runId && !get().resultsQa) set({ resultsQaProgress: fraction });
    },
    loadTablePage: async (offset) => {
      set({ tableRow: null, tableNotice: null });
      await fetchPage(offset);
    },
    goToTableRow: async (typed) => {
      const total = get().table?.total ?? 0;
      if (total === 0) return;
      const target = rowTarget(typed, total);
      if ('problem' in target) {
        set({ tableNotice: target.problem });
        return;
      }
      if (await fetchPage(pageOffsetOf(target.row))) {
        set({ tableRow: target.row, tableNotice: target.note });
      }
    },
    openOutputFolder: async (runId) => {
      try {
        const folder = await api.openOutputFolder(runId);
        set({ notice: `Output folder: ${folder}` });
      } catch (err) {
        set({ notice: messageOf(err) });
      }
    },
    rerun: async (run, step = 'summary') => {
      // a seed the run drew is the run's: the re-run repeats its split
      const drawn = Number.isSafeInteger(run.seed) ? run.seed! : null;
      const seed = run.project.split.seed ?? drawn;
      set({
        draft: { ...run.project, split: { ...run.project.split, seed } },
        projectPath: null,
        exports: {},
        exportError: null,
        step,
        touched: {},
        attempted: {},
        wizardError: null,
        wizardNotice:
          run.project.split.seed === null && seed !== null
            ? `Parameters of run ${run.id}, with the seed it drew (${seed}); check them and press Run.`
            : `Parameters of run ${run.id}; check them and press Run.`,
        page: 'wizard',
      });
      await get().validateDraft();
    },
  };
};
