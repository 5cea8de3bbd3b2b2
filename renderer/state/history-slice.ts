import type { RunRecord, RunResults, TablePage } from '../../preload/api';
import { messageOf, type SliceCreator } from './types';

/** Rows per page of the results table. */
export const PAGE_SIZE = 25;

export interface HistorySlice {
  runs: RunRecord[];
  historyError: string | null;
  results: RunResults | null;
  resultsError: string | null;
  table: TablePage | null;
  tableError: string | null;
  loadRuns(): Promise<void>;
  /** Loads a finished run's counts, QA data and first table page, and shows the results page. */
  openResults(runId: string): Promise<void>;
  loadTablePage(offset: number): Promise<void>;
  openOutputFolder(runId: string): Promise<void>;
  /** Copies a past run's parameters into the wizard (summary step) to run them again. */
  rerun(run: RunRecord): Promise<void>;
}

export const createHistorySlice: SliceCreator<HistorySlice> = (api) => (set, get) => ({
  runs: [],
  historyError: null,
  results: null,
  resultsError: null,
  table: null,
  tableError: null,
  loadRuns: async () => {
    try {
      set({ runs: await api.listRuns(), historyError: null });
    } catch (err) {
      set({ historyError: messageOf(err) });
    }
  },
  openResults: async (runId) => {
    set({ page: 'results', results: null, resultsError: null, table: null, tableError: null });
    let results: RunResults;
    try {
      results = await api.getRunResults(runId);
      set({ results });
    } catch (err) {
      set({ resultsError: messageOf(err) });
      return;
    }
    // an output that is gone has no table to page through
    if (!results.outputMissing) await get().loadTablePage(0);
  },
  loadTablePage: async (offset) => {
    const run = get().results?.run;
    if (!run) return;
    try {
      set({ table: await api.getTablePage(run.id, offset, PAGE_SIZE), tableError: null });
    } catch (err) {
      set({ tableError: messageOf(err) });
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
  rerun: async (run) => {
    // a seed the run drew is the run's: the re-run repeats its split
    const drawn = Number.isSafeInteger(run.seed) ? run.seed! : null;
    const seed = run.project.split.seed ?? drawn;
    set({
      draft: { ...run.project, split: { ...run.project.split, seed } },
      projectPath: null,
      step: 'summary',
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
});
