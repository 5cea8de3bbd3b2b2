import type { AppInfo, MenuCommand, Settings } from '../../preload/api';
import { messageOf, type SliceCreator } from './types';
import { settingsProblem, type SettingsInput } from './settings-check';
import { placeOfAddress, type Place } from './place';

export type Page =
  | 'catalogs'
  | 'wizard'
  | 'run'
  | 'results'
  | 'history'
  | 'settings'
  /** "No such page": the address (missingAddress) names none. */
  | 'missing';

export interface AppSlice {
  page: Page;
  info: AppInfo | null;
  settings: Settings | null;
  settingsError: string | null;
  /** Set when the first load failed (e.g. the web bridge refused the token). */
  initError: string | null;
  settingsSaved: boolean;
  /** A notice for the status line (e.g. the output folder path); null = none. */
  notice: string | null;
  aboutOpen: boolean;
  /** The address that names no page, shown on the "no such page" page; null elsewhere. */
  missingAddress: string | null;
  /**
   * The run an address named that is not here (deleted, or of another data folder), said on the
   * Runs page the address led to; null elsewhere.
   */
  goneRunId: string | null;
  navigate(page: Page): void;
  /**
   * Loads everything the first screen needs and subscribes to the API's events; `hash` (the
   * address's `#/...`, see place.ts) is where the page was before a reload: it goes back there.
   */
  init(hash?: string): Promise<void>;
  /**
   * Shows a place (a page and what it showed); a catalog or run that is no longer there leaves
   * the Catalogs page or the Runs page.
   */
  goToPlace(place: Place): Promise<void>;
  /** Unsubscribes from the API's events. */
  dispose(): void;
  saveSettings(patch: SettingsInput): Promise<void>;
  /**
   * Reads the settings again: another process sharing them (a second web bridge on the data
   * folder, a second app) may have saved others since they were loaded. Done as the Settings
   * page or the wizard opens.
   */
  loadSettings(): Promise<void>;
  setNotice(notice: string | null): void;
  setAboutOpen(open: boolean): void;
  handleMenu(command: MenuCommand): Promise<void>;
}

export const createAppSlice: SliceCreator<AppSlice> = (api) => (set, get) => {
  let unsubscribe: (() => void)[] = [];
  /** The message of the settings that could not be read again (loadSettings); null: none. */
  let loadFailed: string | null = null;
  return {
    page: 'catalogs',
    info: null,
    settings: null,
    settingsError: null,
    initError: null,
    settingsSaved: false,
    notice: null,
    aboutOpen: false,
    missingAddress: null,
    goneRunId: null,
    navigate: (page) => {
      set({ page, notice: null, missingAddress: null, goneRunId: null });
      // a catalog registered with `tsm register` meanwhile (same data folder) shows up
      if (page === 'catalogs' || page === 'wizard') void get().loadCatalogs();
      // and a run `tsm run --data-dir` recorded meanwhile
      if (page === 'history') void get().loadRuns();
      // and settings another window (or a web bridge) saved meanwhile
      if (page === 'settings' || page === 'wizard') void get().loadSettings();
    },
    init: async (hash) => {
      get().dispose();
      unsubscribe = [
        api.on('runProgress', ({ runId, progress }) => get().onRunProgress(runId, progress)),
        api.on('runFinished', (record) => get().onRunFinished(record)),
        api.on('qaProgress', ({ runId, fraction }) => get().onQaProgress(runId, fraction)),
        api.on('catalogProgress', ({ requestId, progress }) =>
          get().onCatalogProgress(requestId, progress),
        ),
        api.on('menu', (command) => void get().handleMenu(command)),
      ];
      try {
        const [info, settings] = await Promise.all([api.getAppInfo(), api.getSettings()]);
        set({ info, settings, initError: null });
      } catch (err) {
        set({ initError: messageOf(err) });
        return;
      }
      await Promise.all([
        get().loadCatalogs(),
        get().loadRuns(),
        get().loadDraft(),
        get().loadRecent(),
      ]);
      // a run still going (the page was reloaded while it ran): show it, with Cancel (not one
      // another process runs: its Runs row says which)
      const running = get().runs.find((r) => r.status === 'running' && !r.runningElsewhere);
      if (running && !get().currentRun) get().followRun(running);
      // the page reloaded: back where it was (a run going stays followed, under Current run)
      const place = hash ? placeOfAddress(hash) : null;
      if (place) await get().goToPlace(place);
    },
    goToPlace: async (place) => {
      if (get().missingAddress !== null || get().goneRunId !== null)
        set({ missingAddress: null, goneRunId: null });
      switch (place.page) {
        case 'catalogs': {
          const id = get().catalogs.some((c) => c.id === place.catalogId) ? place.catalogId : null;
          set({ page: 'catalogs', selectedCatalogId: id });
          break;
        }
        case 'wizard':
          set({ page: 'wizard', step: place.step });
          break;
        case 'run': {
          const run = get().runs.find((r) => r.id === place.runId);
          if (run) get().followRun(run);
          else if (get().currentRun) set({ page: 'run' });
          else set({ page: 'history', goneRunId: place.runId });
          break;
        }
        case 'results':
          // the page shows at once; the counts, plots and table follow as they load
          if (get().runs.some((r) => r.id === place.runId)) void get().openResults(place.runId);
          else set({ page: 'history', goneRunId: place.runId });
          break;
        case 'missing':
          set({ page: 'missing', missingAddress: place.address });
          break;
        case 'settings':
          set({ page: 'settings' });
          await get().loadSettings();
          break;
        default:
          set({ page: place.page });
      }
    },
    dispose: () => {
      for (const off of unsubscribe) off();
      unsubscribe = [];
    },
    saveSettings: async (patch) => {
      set({ settingsError: null, settingsSaved: false });
      const problem = settingsProblem(patch);
      if (problem) {
        set({ settingsError: problem });
        return;
      }
      try {
        // settingsProblem passed: the numbers are numbers
        const settings = await api.updateSettings(patch as Partial<Settings>);
        set({ settings, settingsSaved: true });
        await Promise.all([get().loadCatalogs(), get().loadRuns()]);
        // another data folder has other catalogs (the draft's spec-z catalog may not be there):
        // the summary's problem list and its Run button follow
        await get().validateDraft();
      } catch (err) {
        set({ settingsError: messageOf(err) });
      }
    },
    loadSettings: async () => {
      try {
        const settings = await api.getSettings();
        // the file that could not be read is fixed: its message goes
        if (loadFailed !== null && get().settingsError === loadFailed) set({ settingsError: null });
        loadFailed = null;
        const shown = get().settings;
        // the same settings: the page's form (its typing) is left as it is
        if (shown && sameSettings(shown, settings)) return;
        // "Settings saved." was said of the settings shown before, not of these
        set({ settings, settingsSaved: false });
        // another dust-map or data folder: the wizard's problems (SFD's files) follow, as on a save
        if (shown) await get().validateDraft();
      } catch (err) {
        loadFailed = messageOf(err);
        set({ settingsError: loadFailed, settingsSaved: false });
      }
    },
    setNotice: (notice) => set({ notice }),
    setAboutOpen: (aboutOpen) => set({ aboutOpen }),
    handleMenu: async (command) => {
      switch (command.command) {
        case 'new':
          await get().newDraft();
          set({ page: 'wizard' });
          break;
        case 'open': {
          const path = await api.pickPath('projectFile');
          if (path) await get().openProjectFile(path);
          break;
        }
        case 'openRecent':
          await get().openProjectFile(command.path);
          break;
        case 'save':
          await get().saveProjectFile(false);
          break;
        case 'saveAs':
          await get().saveProjectFile(true);
          break;
        case 'about':
          set({ aboutOpen: true });
          break;
      }
    },
  };
};

function sameSettings(a: Settings, b: Settings): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof Settings)[]);
  return [...keys].every((k) => a[k] === b[k]);
}
