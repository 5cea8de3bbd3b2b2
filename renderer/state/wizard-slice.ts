import type {
  CatalogSummary,
  DraftRef,
  Project,
  ProjectIssue,
  RecentProject,
} from '../../preload/api';
import { messageOf, type SliceCreator } from './types';

export const WIZARD_STEPS = ['basics', 'catalogs', 'crossmatch', 'output', 'summary'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** The project fields each step edits (prefixes of issue paths). */
export const STEP_FIELDS: Record<WizardStep, string[]> = {
  basics: ['name', 'description'],
  catalogs: ['specz', 'photometry'],
  crossmatch: ['crossmatch', 'uniqueGalaxies'],
  output: ['split', 'output'],
  summary: [],
};

/** What Clear form says (with an Undo beside it). */
export const CLEARED_NOTICE = 'New training set: every field has its default value.';

/** How long the wizard waits after an edit before autosaving the draft, in ms. */
export const AUTOSAVE_DELAY_MS = 400;

export interface WizardSlice {
  draft: Project | null;
  projectPath: string | null;
  /** The revision of the draft on disk this window last loaded or saved (null: none). */
  draftRevision: string | null;
  /**
   * The draft another window saved after this one loaded or saved its own: this window's edits
   * are not saved over it until the user chooses (takeOtherDraft, keepThisDraft); null: none.
   */
  draftConflict: DraftRef | null;
  /** Shows the draft the other window saved, in place of this window's form. */
  takeOtherDraft(): Promise<void>;
  /** Saves this window's form over the draft the other window saved. */
  keepThisDraft(): Promise<void>;
  step: WizardStep;
  /** Every problem the engine finds in the draft (shown per field once touched or attempted). */
  issues: ProjectIssue[];
  touched: Record<string, true>;
  /** Steps the user tried to leave: their issues are shown even on untouched fields. */
  attempted: Partial<Record<WizardStep, true>>;
  wizardError: string | null;
  wizardNotice: string | null;
  /** Recently opened or saved project files, newest first. */
  recent: RecentProject[];
  loadRecent(): Promise<void>;
  newDraft(): Promise<void>;
  /** The form as it was before the last Clear form (and its project file), for Undo; null: none. */
  clearedDraft: { draft: Project; projectPath: string | null } | null;
  /** Puts back the form Clear form replaced. */
  undoClear(): Promise<void>;
  loadDraft(): Promise<void>;
  /** Sets a field by its dotted path (e.g. `crossmatch.radiusArcsec`) and revalidates. */
  setField(path: string, value: unknown): Promise<void>;
  /** Chooses the photometric catalog and keeps flux type / dust map within what it offers. */
  choosePhotometric(catalog: CatalogSummary | null): Promise<void>;
  validateDraft(): Promise<ProjectIssue[]>;
  /** Issues of one field or section, shown only once touched or the step was attempted. */
  visibleIssues(prefix: string): ProjectIssue[];
  goToStep(step: WizardStep): void;
  /** Validates the current step; moves on only when it has no issues. */
  nextStep(): Promise<boolean>;
  prevStep(): void;
  flushDraft(): Promise<void>;
  /** Saves the draft now if an autosave is waiting (the page is being closed or reloaded). */
  flushPendingDraft(): Promise<void>;
  openProjectFile(path: string): Promise<void>;
  /** Saves to the current path, or asks for one (native dialog or `path`). */
  saveProjectFile(saveAs: boolean, path?: string): Promise<string | null>;
}

function setIn(target: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base = (target && typeof target === 'object' ? target : {}) as Record<string, unknown>;
  return { ...base, [head]: setIn(base[head], rest, value) };
}

/**
 * The engine's messages speak of project files and the command line (a spec-z file, a folder or
 * URL); step 2 of the wizard offers registered catalogs in lists: say what to do there.
 */
export function inWizardWords(issue: ProjectIssue): ProjectIssue {
  if (issue.path === 'specz.path' && issue.message.startsWith('Select the Redshift Catalog')) {
    return {
      ...issue,
      message:
        'Select the Redshift Catalog for the cross-matching: tick a registered catalog, or register one on the Catalogs page',
    };
  }
  if (issue.path === 'photometry.location' && issue.message.startsWith('Select the Objects')) {
    return {
      ...issue,
      message:
        'Select the Objects catalog (photometric data): choose one in the list, or add one on the Catalogs page',
    };
  }
  return issue;
}

const matches = (issuePath: string, prefix: string) =>
  issuePath === prefix || issuePath.startsWith(`${prefix}.`);

export const stepOfPath = (path: string): WizardStep =>
  WIZARD_STEPS.find((s) => STEP_FIELDS[s].some((f) => matches(path, f))) ?? 'basics';

/**
 * The issues under `prefix` that the wizard shows: those of touched fields, and all of a step the
 * user tried to leave. Pure, so components can compute it from stable store values.
 */
export function visibleIssuesOf(
  state: Pick<WizardSlice, 'issues' | 'touched' | 'attempted'>,
  prefix: string,
): ProjectIssue[] {
  const touched = Object.keys(state.touched);
  return state.issues.filter(
    (issue) =>
      matches(issue.path, prefix) &&
      (state.attempted[stepOfPath(issue.path)] ||
        touched.some((t) => matches(issue.path, t) || matches(t, issue.path))),
  );
}

export const createWizardSlice: SliceCreator<WizardSlice> = (api) => (set, get) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Promise<void> = Promise.resolve();

  const scheduleAutosave = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void get().flushDraft();
    }, AUTOSAVE_DELAY_MS);
  };

  return {
    draft: null,
    projectPath: null,
    draftRevision: null,
    draftConflict: null,
    takeOtherDraft: async () => {
      const other = get().draftConflict;
      if (!other) return;
      if (timer) clearTimeout(timer);
      timer = null;
      set({
        draft: other.project,
        projectPath: other.projectPath,
        draftRevision: other.revision,
        draftConflict: null,
        touched: {},
        attempted: {},
        wizardNotice: "The other window's draft is shown; this window's changes were left out.",
      });
      await get().validateDraft();
    },
    keepThisDraft: async () => {
      const other = get().draftConflict;
      if (!other) return;
      // this window's form goes over the revision the other window saved, and no other
      set({ draftConflict: null, draftRevision: other.revision });
      await get().flushDraft();
      if (!get().draftConflict) {
        set({ wizardNotice: "This window's draft is saved over the other window's." });
      }
    },
    step: 'basics',
    issues: [],
    touched: {},
    attempted: {},
    wizardError: null,
    wizardNotice: null,
    recent: [],
    loadRecent: async () => {
      try {
        set({ recent: await api.listRecentProjects() });
      } catch (err) {
        set({ wizardError: messageOf(err) });
      }
    },
    newDraft: async () => {
      const draft = await api.newProject();
      const previous = get().draft;
      set({
        draft,
        clearedDraft: previous ? { draft: previous, projectPath: get().projectPath } : null,
        runError: null,
        exports: {},
        exportError: null,
        projectPath: null,
        step: 'basics',
        touched: {},
        attempted: {},
        wizardError: null,
        wizardNotice: CLEARED_NOTICE,
      });
      await get().validateDraft();
      scheduleAutosave();
    },
    clearedDraft: null,
    undoClear: async () => {
      const cleared = get().clearedDraft;
      if (!cleared) return;
      set({
        draft: cleared.draft,
        projectPath: cleared.projectPath,
        clearedDraft: null,
        step: 'basics',
        touched: {},
        attempted: {},
        wizardError: null,
        wizardNotice: 'The form is back as it was before Clear form.',
      });
      await get().validateDraft();
      scheduleAutosave();
    },
    loadDraft: async () => {
      try {
        const stored = await api.loadDraft();
        set({
          draft: stored?.project ?? (await api.newProject()),
          projectPath: stored?.projectPath ?? null,
          draftRevision: stored?.revision ?? null,
          draftConflict: null,
          wizardError: null,
        });
        await get().validateDraft();
      } catch (err) {
        set({ draft: await api.newProject(), wizardError: messageOf(err) });
      }
    },
    setField: async (path, value) => {
      const draft = get().draft;
      if (!draft) return;
      set({
        draft: setIn(draft, path.split('.'), value) as Project,
        touched: { ...get().touched, [path]: true },
        wizardNotice: null,
        // a start refused for the old value is not the new value's problem
        runError: null,
      });
      scheduleAutosave();
      await get().validateDraft();
    },
    choosePhotometric: async (catalog) => {
      const draft = get().draft;
      if (!draft) return;
      const profile = catalog?.profile;
      const fluxNames = profile?.fluxTypes.map((f) => f.name) ?? [];
      const dustNames = profile?.dustMaps.map((d) => d.name) ?? [];
      const photometry = {
        ...draft.photometry,
        location: catalog?.location ?? '',
        // A generic catalog without chosen columns is left to detection: the engine then runs it
        // without photometry instead of asking for column choices.
        profile: (profile && !(profile.id === 'generic' && fluxNames.length === 0)
          ? profile.id
          : null) as Project['photometry']['profile'],
        // The generic profile's column choices travel with the project (validated, defaults
        // filled, by the main process when the draft is checked or run); a catalog without
        // choices clears those of another catalog.
        generic: (catalog?.generic ??
          (catalog?.location === draft.photometry.location
            ? draft.photometry.generic
            : null)) as Project['photometry']['generic'],
        // a catalog without flux types (a generic one without band columns) runs with none:
        // the draft says 'auto' rather than another catalog's choice
        fluxType:
          fluxNames.length === 0
            ? 'auto'
            : fluxNames.includes(draft.photometry.fluxType)
              ? draft.photometry.fluxType
              : fluxNames[0],
        convertToMagnitudes:
          profile?.canConvertToMag === false ? false : draft.photometry.convertToMagnitudes,
        dereddening: {
          ...draft.photometry.dereddening,
          map:
            dustNames.length === 0 || dustNames.includes(draft.photometry.dereddening.map)
              ? draft.photometry.dereddening.map
              : ((dustNames.includes('none')
                  ? 'none'
                  : dustNames[0]) as Project['photometry']['dereddening']['map']),
        },
      };
      set({
        draft: { ...draft, photometry },
        // the dust map kept (SFD, the default) may need files the dust-map folder lacks: said on
        // its field at once, with what to do (it was set to None without a word)
        touched: {
          ...get().touched,
          'photometry.location': true,
          ...(catalog ? { 'photometry.dereddening.map': true } : {}),
        },
      });
      scheduleAutosave();
      await get().validateDraft();
    },
    validateDraft: async () => {
      const draft = get().draft;
      if (!draft) return [];
      try {
        const issues = (await api.validateProject(draft)).map(inWizardWords);
        if (get().draft === draft) set({ issues });
        return issues;
      } catch (err) {
        set({ wizardError: messageOf(err) });
        return get().issues;
      }
    },
    visibleIssues: (prefix) => visibleIssuesOf(get(), prefix),
    // a notice (opened, saved, ...) is about the moment it was shown: moving on clears it
    goToStep: (step) => set({ step, wizardNotice: null }),
    nextStep: async () => {
      const { step } = get();
      set({ attempted: { ...get().attempted, [step]: true } });
      const issues = await get().validateDraft();
      const blocking = issues.filter((i) => STEP_FIELDS[step].some((f) => matches(i.path, f)));
      if (blocking.length > 0) return false;
      const index = WIZARD_STEPS.indexOf(step);
      set({ step: WIZARD_STEPS[Math.min(index + 1, WIZARD_STEPS.length - 1)], wizardNotice: null });
      return true;
    },
    prevStep: () => {
      const index = WIZARD_STEPS.indexOf(get().step);
      set({ step: WIZARD_STEPS[Math.max(index - 1, 0)], wizardNotice: null });
    },
    flushPendingDraft: async () => {
      // only an edit not saved yet: a page closed later must not write over another window's
      if (timer) await get().flushDraft();
    },
    flushDraft: async () => {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      const { draft, projectPath } = get();
      // nothing is saved over another window's draft until the user has chosen which to keep
      if (!draft || get().draftConflict) return;
      pending = pending.then(async () => {
        if (get().draftConflict) return;
        try {
          const result = await api.saveDraft(draft, projectPath, get().draftRevision);
          if (result.saved) set({ draftRevision: result.revision });
          else set({ draftConflict: result.current });
        } catch (err) {
          set({ wizardError: messageOf(err) });
        }
      });
      await pending;
    },
    openProjectFile: async (path) => {
      try {
        const ref = await api.openProject(path);
        set({
          draft: ref.project,
          projectPath: ref.savePath,
          // what "Run on a cluster..." wrote was the previous draft's
          exports: {},
          exportError: null,
          step: 'summary',
          touched: {},
          attempted: {},
          wizardError: null,
          wizardNotice: [`Opened ${ref.path}`, ...(ref.warnings ?? [])].join('\n'),
          page: 'wizard',
        });
        await Promise.all([get().validateDraft(), get().loadRecent()]);
        scheduleAutosave();
      } catch (err) {
        set({ wizardError: messageOf(err), wizardNotice: null, page: 'wizard' });
      }
    },
    saveProjectFile: async (saveAs, path) => {
      const draft = get().draft;
      if (!draft) return null;
      let target = path ?? (saveAs ? null : get().projectPath);
      if (!target) target = await api.pickPath('saveProject');
      if (!target) {
        set({
          wizardError:
            'Give a file path for the project (this window has no file dialog): use the "Project file" field of the summary.',
          page: 'wizard',
          step: 'summary',
        });
        return null;
      }
      try {
        const ref = await api.saveProject(target, draft);
        set({
          projectPath: ref.path,
          wizardError: null,
          wizardNotice: [`Saved ${ref.path}`, ...(ref.warnings ?? [])].join('\n'),
        });
        // the draft remembers its file, so that Save writes there after a reload or restart
        await Promise.all([get().flushDraft(), get().loadRecent()]);
        return ref.path;
      } catch (err) {
        set({ wizardError: messageOf(err), page: 'wizard' });
        return null;
      }
    },
  };
};
