import { exportProject } from '../../compute/export';
import { genericProfile } from '../../compute/photometry/detect-profile';
import { profileInfo } from '../../main/engine/describe-hats';
import { defaultProject, parseProject, projectIssues } from '../../compute/pipeline/project';
import type {
  CatalogSummary,
  DraftRef,
  DraftSaved,
  ExportTarget,
  ExportWritten,
  GenericChoices,
  Project,
  QaData,
  RunProgress,
  RunLog,
  RunRecord,
  TsmApi,
  TsmEventName,
  TsmEvents,
  ValidationReport,
} from '../../preload/api';
import { speczMapping } from '../helpers/specz-mapping';

/**
 * An in-memory TsmApi for store and component tests. Projects are validated by the engine's real
 * schema (compute/pipeline/project.ts), so the messages are the ones users see. Calls are
 * recorded; `emit` pushes events as main would.
 */
export class FakeApi implements TsmApi {
  calls: { method: string; args: unknown[] }[] = [];
  catalogs: CatalogSummary[] = [];
  runs: RunRecord[] = [];
  drafts: DraftRef[] = [];
  report: ValidationReport = { ok: true, rowsRead: 3, rowsValid: 3, issues: [] };
  private listeners = new Map<string, Set<(payload: unknown) => void>>();

  private record(method: string, args: unknown[]) {
    this.calls.push({ method, args });
  }
  callsOf(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  emit<E extends TsmEventName>(event: E, payload: TsmEvents[E]) {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }
  on<E extends TsmEventName>(event: E, listener: (payload: TsmEvents[E]) => void) {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  getAppInfo = async () => ({
    name: 'TSM',
    version: '0.1.0',
    transport: 'web' as const,
    platform: 'linux',
  });
  getSettings = async () => ({
    dataDir: '/data',
    dustMapDir: '',
    workers: 1,
    cacheSizeMb: 100,
    stallSeconds: null,
  });
  updateSettings = async (patch: object) => {
    this.record('updateSettings', [patch]);
    return { ...(await this.getSettings()), ...patch };
  };
  pickPath = async (kind: string) => {
    this.record('pickPath', [kind]);
    return kind === 'exportFolder' ? this.exportFolderChoice : null;
  };
  /** What the fake folder dialog returns. */
  exportFolderChoice: string | null = null;
  uploadFile = async (name: string) => `/data/uploads/${name}`;
  listCatalogs = async () => this.catalogs;
  getCatalog = async (id: string) => this.catalogs.find((c) => c.id === id)!;
  previewSpecz = async (path: string, requestId?: string) => {
    this.record('previewSpecz', [path, requestId]);
    await this.passGate(requestId);
    if (!path.endsWith('.parquet')) throw new Error(`${path}: not a spec-z file I can read`);
    return {
      path,
      format: 'parquet',
      columns: [
        { name: 'RA', type: 'Float64' },
        { name: 'DEC', type: 'Float64' },
        { name: 'Z', type: 'Float64' },
      ],
      rows: [[10, -5, 0.5]],
      mapping: {
        ra: 'RA',
        dec: 'DEC',
        z: 'Z',
        id: null,
        zErr: null,
        zFlag: null,
        survey: null,
        instrumentType: null,
      },
    };
  };
  validateSpecz = async (request: unknown) => {
    this.record('validateSpecz', [request]);
    return this.report;
  };
  /** While set, previewSpecz, registerSpecz and addPhotometric wait for it before answering (a slow catalog). */
  catalogGate: Promise<void> | null = null;
  private cancelledRequests = new Set<string>();
  /** Rejects a gated call of this id when it goes on, as main does. */
  cancelCatalogRequest = async (requestId: string) => {
    this.record('cancelCatalogRequest', [requestId]);
    this.cancelledRequests.add(requestId);
  };
  private async passGate(requestId: string | undefined) {
    await this.catalogGate;
    if (requestId && this.cancelledRequests.has(requestId)) {
      throw new Error('Cancelled: nothing was added.');
    }
  }
  registerSpecz = async (request: { name: string; path: string; requestId?: string }) => {
    this.record('registerSpecz', [request]);
    await this.passGate(request.requestId);
    const catalog = summary('sz-1', 'specz', request.name);
    this.catalogs = [...this.catalogs, catalog];
    return catalog;
  };
  addPhotometric = async (request: { location: string; requestId?: string }) => {
    this.record('addPhotometric', [request]);
    await this.passGate(request.requestId);
    const catalog = summary('ph-1', 'photometric', 'dp1', request.location);
    this.catalogs = [...this.catalogs, catalog];
    return catalog;
  };
  /** The engine's real generic profile of the fake catalog's columns (an unknown column throws). */
  setGenericColumns = async (id: string, choices: GenericChoices) => {
    this.record('setGenericColumns', [id, choices]);
    const catalog = this.catalogs.find((c) => c.id === id)!;
    const profile = profileInfo(
      genericProfile(
        { columns: catalog.columns.map((c) => c.name), location: catalog.location },
        choices,
      ),
      '',
    );
    const updated = { ...catalog, profile, generic: choices };
    this.catalogs = this.catalogs.map((c) => (c.id === id ? updated : c));
    return updated;
  };
  deleteCatalog = async (id: string) => {
    this.catalogs = this.catalogs.filter((c) => c.id !== id);
  };
  newProject = async () => defaultProject();
  validateProject = async (project: Project) => projectIssues(project);
  openProject = async (path: string) => ({ path, project: defaultProject(), savePath: path });
  saveProject = async (path: string, project: Project) => {
    this.record('saveProject', [path, project]);
    return { path, project, savePath: path };
  };
  listRecentProjects = async () => [];
  /** Saves as main does: over the draft of `baseRevision` only (another window's save wins). */
  saveDraft = async (
    project: Project,
    projectPath: string | null,
    baseRevision?: string | null,
  ): Promise<DraftSaved> => {
    this.record('saveDraft', [project, projectPath, baseRevision]);
    const current = this.drafts.at(-1);
    if (baseRevision !== undefined && current && current.revision !== baseRevision) {
      return { saved: false, current };
    }
    const revision = `rev-${this.drafts.length + 1}`;
    this.drafts.push({ project, projectPath, revision });
    return { saved: true, revision };
  };
  loadDraft = async () => this.drafts.at(-1) ?? null;
  /** The engine's real export (pure), reported as written into `folder` without touching disk. */
  exportProject = async (
    project: Project,
    target: ExportTarget,
    folder: string,
  ): Promise<ExportWritten> => {
    this.record('exportProject', [project, target, folder]);
    const result = exportProject(parseProject(project, 'project'), target, { dataDir: '/data' });
    const names = [...result.files.map((f) => f.name), ...result.resources.map((r) => r.name)];
    return {
      target,
      folder,
      paths: names.map((n) => `${folder}/${n}`),
      unsupported: result.unsupported,
    };
  };
  startRun = async (project: Project): Promise<RunRecord> => {
    this.record('startRun', [project]);
    const run: RunRecord = {
      id: 'run-1',
      name: project.name,
      status: 'running',
      startedAt: '2026-11-25T10:00:00.000Z',
      project,
      outputDir: '/data/runs/run-1',
    };
    this.runs = [run, ...this.runs];
    return run;
  };
  cancelRun = async (id: string) => {
    this.record('cancelRun', [id]);
  };
  listRuns = async () => this.runs;
  /** What getRunLog answers per run id (none: an empty log). */
  runLogs = new Map<string, RunLog>();
  getRunLog = async (id: string): Promise<RunLog> =>
    this.runLogs.get(id) ?? { progress: null, lines: [] };
  getRunResults = async (id: string) => ({ run: this.runs.find((r) => r.id === id)! });
  getRunQa = async (id: string, requestId?: string): Promise<QaData> => {
    this.record('getRunQa', [id, requestId]);
    return {
      sky: {
        matched: [[1, 2]] as [number, number][],
        unmatched: [],
        matchedCount: 1,
        unmatchedCount: 0,
      },
      redshift: { edges: [0, 1], counts: [1] },
      separationArcsec: { edges: [0, 1], counts: [1] },
      magnitudes: [],
    };
  };
  cancelRunQa = async (requestId: string) => {
    this.record('cancelRunQa', [requestId]);
  };
  getTablePage = async (id: string, offset: number, limit: number) => {
    this.record('getTablePage', [id, offset, limit]);
    return { columns: ['z'], rows: [[0.5]], offset, total: 60 };
  };
  openOutputFolder = async () => '/data/runs/run-1';
}

export function summary(
  id: string,
  kind: 'specz' | 'photometric',
  name: string,
  location = `/data/catalogs/${id}`,
): CatalogSummary {
  return {
    id,
    kind,
    name,
    location,
    addedAt: '2026-11-25T09:00:00.000Z',
    rowCount: 40,
    columns: [{ name: 'ra', type: 'Float64' }],
    partitions: 1,
    coverage: { points: [], skyFraction: 1 / 12 },
    mapping: kind === 'specz' ? speczMapping() : undefined,
    profile:
      kind === 'photometric'
        ? {
            id: 'lsst-dp1',
            label: 'LSST DP1',
            bands: ['g', 'r'],
            fluxTypes: [
              { name: 'cmodel', label: 'cModel' },
              { name: 'psf', label: 'psf' },
            ],
            // as main offers them: SFD (the default) with or without its files
            dustMaps: [
              { name: 'none', label: 'None' },
              { name: 'sfd', label: 'SFD98' },
              { name: 'sfd-lowres', label: 'SFD low-res' },
            ],
            canConvertToMag: true,
          }
        : undefined,
  };
}

export const progressAt = (
  pixelsDone: number,
  pixelsTotal: number,
  message?: string,
): RunProgress => ({
  stage: 'crossmatch',
  pixelsDone,
  pixelsTotal,
  rowsMatched: pixelsDone * 10,
  bytesRead: pixelsDone * 1000,
  elapsedMs: pixelsDone * 100,
  message,
});
