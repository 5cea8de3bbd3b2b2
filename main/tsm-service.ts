import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AppInfo,
  PickKind,
  QaData,
  RunRecord,
  TablePage,
  TsmEventName,
  TsmEvents,
} from '../preload/api';
import type { CatalogRegistry } from './catalog-registry';
import { catalogPathIssues, markMissing } from './catalog-location';
import { safeFileName } from './data-paths';
import { dustMapFolder, dustMapIssues } from './dust-map-issues';
import type { TsmService } from './dispatch';
import { outputFolderIssues, unregisteredCatalogIssues, type ProjectFiles } from './project-files';
import { exportProjectFiles } from './project-export';
import { refuseInvalidProject, type RunManager } from './run-manager';
import type { SettingsStore } from './settings-store';
import { UserError } from '../compute/errors';
import { folderError, makeFolder } from '../compute/io/make-folder';
import { outputReplaced, writtenMs } from './output-stamp';

/** What differs between the Electron shell and the web bridge. */
export interface Host {
  info: Omit<AppInfo, 'platform'>;
  /** A native dialog, or null where there is none (the web bridge). */
  pickPath(kind: PickKind): Promise<string | null>;
  /** Shows a folder in the file manager (best effort). */
  openFolder(path: string): Promise<void>;
}

/** Reads a finished run's output for the results page (compute/io + compute/trainingset). */
export interface ResultsEngine {
  /**
   * `onProgress` is told the part of the output read, 0..1, a few times; `signal` stops the call
   * (a CancelledError), and the computation when no other call waits for it.
   */
  qa(
    run: RunRecord,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<QaData>;
  page(run: RunRecord, offset: number, limit: number): Promise<TablePage>;
}

export interface ServiceParts {
  host: Host;
  settings: SettingsStore;
  catalogs: CatalogRegistry;
  projects: ProjectFiles;
  runs: RunManager;
  results: ResultsEngine;
  /** Told how far a getRunQa call has read the output (the `qaProgress` event). */
  qaProgress?: (runId: string, fraction: number) => void;
}

export type EmitFn = <E extends TsmEventName>(event: E, payload: TsmEvents[E]) => void;

function finishedRun(run: RunRecord): RunRecord {
  if (run.status !== 'done' || !run.outputPath) {
    throw new UserError(
      run.status === 'running'
        ? `The run '${run.name}' is still running; its results appear when it finishes.`
        : `The run '${run.name}' has no results (${run.status}${run.error ? `: ${run.error}` : ''}).`,
    );
  }
  return run;
}

/** getRunQa request ids cancelled before their call came, kept at most (the oldest go). */
const MAX_EARLY_QA_CANCELS = 100;

/**
 * The one implementation of TsmApi's requests, used by both transports (Electron IPC in
 * main/ipc.ts, HTTP in main/web.ts). Arguments arrive already validated (main/dispatch.ts).
 */
export function createTsmService(parts: ServiceParts): TsmService {
  const { host, settings, catalogs, projects, runs, results } = parts;
  /** getRunQa calls in progress by the caller's request id, and ids cancelled before theirs came. */
  const qaRequests = new Map<string, AbortController>();
  const qaCancelledEarly = new Set<string>();
  return {
    getAppInfo: async () => ({ ...host.info, platform: process.platform }),
    getSettings: () => settings.get(),
    updateSettings: (patch) => settings.update(patch),
    pickPath: (kind) => host.pickPath(kind),
    uploadFile: async (fileName, data) => {
      const dataDir = (await settings.checked()).dataDir;
      const dir = join(dataDir, 'uploads');
      const target = join(dir, `${Date.now()}-${safeFileName(fileName)}`);
      try {
        await makeFolder(dir);
        await writeFile(target, data);
      } catch (err) {
        // no half-written copy left to take the space; the folder named, with what to do
        await rm(target, { force: true }).catch(() => undefined);
        throw folderError(err, dataDir, 'data folder') ?? err;
      }
      return target;
    },
    listCatalogs: async () => markMissing(await catalogs.list(), (await settings.get()).dataDir),
    getCatalog: async (id) =>
      (await markMissing([await catalogs.get(id)], (await settings.get()).dataDir))[0],
    previewSpecz: (path, requestId) => catalogs.preview(path, requestId),
    validateSpecz: (request) =>
      catalogs.validate(request.path, request.mapping, request.angleUnits, request.requestId),
    registerSpecz: (request) => catalogs.registerSpecz(request),
    addPhotometric: (request) => catalogs.addPhotometric(request),
    cancelCatalogRequest: async (requestId) => catalogs.cancel(requestId),
    deleteCatalog: (id) => catalogs.delete(id),
    setGenericColumns: (id, choices) => catalogs.setGenericColumns(id, choices),
    newProject: async () => projects.newProject(),
    validateProject: async (project) => {
      const issues = projects.validate(project);
      // an incomplete project over the HTTP API: its field issues only (the checks below read them)
      if (!hasCheckedFields(project)) return issues;
      const registered = await catalogs.list();
      const current = await settings.get();
      return [
        ...issues,
        ...unregisteredCatalogIssues(project, registered),
        ...outputFolderIssues(project),
        ...(await catalogPathIssues(project, registered, current.dataDir)),
        ...dustMapIssues(project, dustMapFolder(current), registered),
      ];
    },
    openProject: (path) => projects.open(path),
    saveProject: (path, project) => projects.save(path, project),
    listRecentProjects: () => projects.recent(),
    saveDraft: (project, projectPath, baseRevision) =>
      projects.saveDraft(project, projectPath, baseRevision),
    loadDraft: () => projects.loadDraft(),
    exportProject: async (project, target, folder) =>
      exportProjectFiles(project, target, folder, {
        dataDir: (await settings.get()).dataDir,
        tsmVersion: host.info.version,
      }),
    startRun: async (project) => {
      // the payload is only "a versioned object" (api-schemas.ts): checked whole before any use
      refuseInvalidProject(project);
      // a catalog gone since the wizard checked it: refused now, not after the run has opened
      // the photometry and the dust map
      const gone = await catalogPathIssues(
        project,
        await catalogs.list(),
        (await settings.get()).dataDir,
      );
      if (gone.length > 0) {
        throw new UserError(gone.map((i) => `${i.path}: ${i.message}`).join('\n'));
      }
      return runs.start(project);
    },
    cancelRun: (runId) => runs.cancel(runId),
    listRuns: () => runs.list(),
    getRunLog: (runId) => runs.followLog(runId),
    getRunResults: async (runId) => {
      const run = finishedRun(await runs.get(runId));
      if ((await writtenMs(run.outputPath!)) === undefined) {
        const outputMissing = `${run.outputPath} is no longer there (deleted or moved after the run): the counts are this run's, the plots and the table need the file. Re-run to write it again.`;
        return { run, outputMissing };
      }
      const replaced = await outputReplaced(run);
      return { run, ...(replaced ? { outputReplaced: replaced } : {}) };
    },
    getRunQa: async (runId, requestId) => {
      const stop = new AbortController();
      if (requestId !== undefined) {
        if (qaRequests.has(requestId)) {
          throw new UserError(`The request '${requestId}' is already in progress.`);
        }
        // two HTTP calls can cross: the cancel came first
        if (qaCancelledEarly.delete(requestId)) stop.abort();
        qaRequests.set(requestId, stop);
      }
      try {
        const run = finishedRun(await runs.get(runId));
        if ((await writtenMs(run.outputPath!)) === undefined) {
          throw new UserError(
            `${run.outputPath} is no longer there (deleted or moved after the run): the plots need the file. Re-run to write it again.`,
          );
        }
        const tell = (fraction: number) => parts.qaProgress?.(runId, fraction);
        return await results.qa(run, tell, stop.signal);
      } finally {
        if (requestId !== undefined) qaRequests.delete(requestId);
      }
    },
    cancelRunQa: async (requestId) => {
      const request = qaRequests.get(requestId);
      if (request) {
        request.abort();
        return;
      }
      qaCancelledEarly.add(requestId);
      if (qaCancelledEarly.size > MAX_EARLY_QA_CANCELS) {
        qaCancelledEarly.delete(qaCancelledEarly.values().next().value!);
      }
    },
    getTablePage: async (runId, offset, limit) =>
      results.page(finishedRun(await runs.get(runId)), offset, limit),
    openOutputFolder: async (runId) => {
      const run = await runs.get(runId);
      await host.openFolder(run.outputDir);
      return run.outputDir;
    },
  };
}

/** Everything main hosts: the services plus the event fan-out to connected renderers. */
export interface TsmBackend {
  service: TsmService;
  runs: RunManager;
  settings: SettingsStore;
  projects: ProjectFiles;
  /** Adds an event sink (a window's webContents, a WebSocket); returns its removal. */
  addSink(sink: EmitFn): () => void;
  emit: EmitFn;
}

/**
 * Whether the fields the catalog and output-folder checks read are there with their types (a
 * draft's other fields may be incomplete: those checks still run for it).
 */
function hasCheckedFields(project: unknown): boolean {
  const record = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const textOrNull = (v: unknown) => v === null || typeof v === 'string';
  if (!record(project)) return false;
  const { specz, photometry, output } = project;
  return (
    record(specz) &&
    textOrNull(specz.catalogId) &&
    textOrNull(specz.path) &&
    record(photometry) &&
    typeof photometry.location === 'string' &&
    record(output) &&
    typeof output.folder === 'string'
  );
}
