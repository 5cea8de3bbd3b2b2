import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { CancelledError, UserError, errorMessage } from '../compute/errors';
import { locationGone, photometricFolderGone, withDatasetsDirAdvice } from './catalog-location';
import { projectIssues, type Project } from '../compute/pipeline/project';
import type { RunProgress } from '../compute/pipeline/progress';
import type { RunCounts, RunLog, RunOwner, RunRecord, Settings } from '../preload/api';
import {
  PROCESS_TOKEN,
  RECORD_STALE_MS,
  keepRecordFresh,
  runOwner,
} from '../compute/pipeline/app-record';
import {
  cancelledFrom,
  watchCancelRequests,
  writeCancelRequest,
} from '../compute/pipeline/cancel-request';
import { RunLogTail, RunLogWriter } from '../compute/pipeline/run-log-file';
import { holderAlive } from './file-lock';
import { newId, safeFileName } from './data-paths';
import { outputFolderIssues } from './project-files';
import { readJsonFile, writeJsonFile } from './json-file';
import { makeWritableFolder, removeEmptyFolders } from '../compute/io/make-folder';
import { writtenMs } from './output-stamp';

/** What a finished engine run reports back. */
export interface RunOutcome {
  outputPath: string;
  counts: RunCounts;
  /** The engine's warnings about a run that succeeded (run.json `warnings`). */
  warnings?: string[];
  /** The spec-z position and redshift columns as the output names them. */
  speczColumns?: RunRecord['speczColumns'];
  /** The split's seed the run used. */
  seed?: number;
}

export interface RunEngineOptions {
  signal: AbortSignal;
  onProgress(progress: RunProgress): void;
  /** null: the engine chooses per run. */
  workers: number | null;
  dataDir: string;
  dustMapDir: string;
  /** Disk cache for remote catalogs, in MB. */
  cacheSizeMb: number;
  /** Stall timeout of remote downloads, in seconds; null: the default. */
  stallSeconds: number | null;
}

/** Runs one training set (compute/pipeline/run.ts behind an adapter, main/engine.ts). */
export type RunEngine = (project: Project, options: RunEngineOptions) => Promise<RunOutcome>;

export interface RunManagerEvents {
  runProgress(runId: string, progress: RunProgress): void;
  runFinished(record: RunRecord): void;
}

const RECORD_FILE = 'record.json';

/** Log lines kept per run (the run page's live log keeps as many). */
export const RUN_LOG_LINES = 500;
/** Runs whose log is kept after they finished (a run page may ask just as one ends). */
const FINISHED_LOGS_KEPT = 20;

/** Why a run was cancelled when the app closed during it (its log, record and Runs row say so). */
export const APP_CLOSED_REASON = 'Cancelled because the app was closed during the run';
/** The reason of this process's own Cancel: the only one a cancelled run's record does not keep. */
const USER_CANCEL = 'Cancelled by the user';
/** How long a Cancel of another process's run waits for that process to stop it (ms). */
export const CANCEL_ELSEWHERE_WAIT_MS = 15_000;
/** How often a run another process runs is looked at while followed, besides fs.watch (ms). */
const FOLLOW_POLL_MS = 1_000;

/** The `warnings` of a record.json: a list of texts (older records have none). */
const storedWarnings = z.array(z.string()).optional();

/**
 * A record.json as read back: `warnings` that are not a list of texts (a hand-edited file) are
 * replaced by one warning saying so, rather than reaching the pages as something else.
 */
function checkedRecord(stored: RunRecord, file: string): RunRecord {
  if (storedWarnings.safeParse(stored.warnings).success) return stored;
  return {
    ...stored,
    warnings: [`${file}: "warnings" is not a list of texts; the run's warnings cannot be shown.`],
  };
}

/** A record's `owner` as read back; anything else (a hand-edited file) counts as none. */
const storedOwner = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  token: z.string(),
  program: z.string().min(1),
});

/** What the app's main process is, as another process's Runs page names it. */
function thisProgram(): string {
  return process.versions.electron ? 'the app' : 'the web bridge';
}

/**
 * The owner of a record "running" that this RunManager is not running, when that process is
 * still running it: its process is alive (on this host; another host's cannot be checked) and
 * has written the record in the last RECORD_STALE_MS (`ageMs` ago). A pid of this process with
 * another token is an earlier process's. Null otherwise: no owner (an older version's record),
 * one not valid, or one that is gone.
 */
function liveOwner(stored: RunRecord, ageMs: number): RunOwner | null {
  const parsed = storedOwner.safeParse(stored.owner);
  if (!parsed.success) return null;
  const owner = parsed.data;
  if (owner.host === hostname() && owner.pid === process.pid && owner.token !== PROCESS_TOKEN) {
    return null;
  }
  return holderAlive(owner, ageMs, RECORD_STALE_MS) ? owner : null;
}

/** Which process an owner is, as the pages name it: "tsm run (pid 42)", "the app (pid 7 on box)". */
function ownerName(owner: RunOwner): string {
  return `${owner.program} (pid ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`})`;
}

/**
 * What the Runs page says of a run another process is running: which, and how far it got. One of
 * this host can be followed and cancelled here (its Progress); another host's only there.
 */
function runningElsewhere(owner: RunOwner, progress: RunRecord['lastProgress']): string {
  const far =
    progress && progress.pixelsTotal > 0
      ? `: ${progress.pixelsDone} of ${progress.pixelsTotal} pixels done`
      : '';
  return owner.host === hostname()
    ? `Running in ${ownerName(owner)}${far}.`
    : `Running in ${ownerName(owner)}${far}; cancel it on ${owner.host}: a run of another computer cannot be cancelled from here.`;
}

/** Why a record "running" whose process is gone never finished. */
function ownerGoneReason(stored: RunRecord): string {
  const owner = storedOwner.safeParse(stored.owner);
  if (owner.success && owner.data.program === 'tsm run') {
    return `The tsm run process (pid ${owner.data.pid}) stopped while this run was in progress; run it again.`;
  }
  return 'The app closed while this run was in progress; run it again.';
}

/** Throws a UserError listing the project's problems (each naming its field), if it has any. */
export function refuseInvalidProject(project: Project): void {
  const issues = projectIssues(project);
  if (issues.length > 0) {
    throw new UserError(issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
  }
}

/**
 * Starts runs, relays their progress, cancels them and keeps their history. Each run gets a
 * folder `<dataDir>/runs/<runId>/` holding `record.json` (this class's record) and, unless the
 * project names an absolute output folder, the output itself (with the engine's `run.json`).
 */
export class RunManager {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** The log and latest progress of the runs this session started, oldest first. */
  private readonly logs = new Map<string, RunLog>();
  /** Finished runs of this session whose record.json could not be saved (a full disk). */
  private readonly unsaved = new Map<string, RunRecord>();
  /** Runs of other processes whose log this one follows (follow()), and how to stop. */
  private readonly followed = new Map<string, () => void>();

  constructor(
    private readonly settings: () => Promise<Settings>,
    private readonly engine: RunEngine,
    private readonly events: RunManagerEvents,
    /** What this process is, as the records of its runs name it (RunRecord `owner`). */
    private readonly program = thisProgram(),
  ) {}

  private async runsDir(): Promise<string> {
    return join((await this.settings()).dataDir, 'runs');
  }

  /** Validates the project, starts the run in the background and resolves its first record. */
  async start(project: Project): Promise<RunRecord> {
    refuseInvalidProject(project);
    const settings = await this.settings();
    // the run's id names its folder and travels in requests: ASCII only (api-schemas.ts)
    const id = newId(safeFileName(project.name));
    const runDir = join(await this.runsDir(), id);
    const folder = project.output.folder;
    const outputDir = isAbsolute(folder) ? folder : resolve(runDir, folder);
    const [outside] = outputFolderIssues(project);
    if (outside) throw new UserError(`${outside.path}: ${outside.message}`);
    // made here, checked to take files, before the run starts; removed again (while empty) when
    // the run is cancelled or fails
    const madeFolders = await makeWritableFolder(outputDir, 'output folder');
    const resolved: Project = { ...project, output: { ...project.output, folder: outputDir } };
    const record: RunRecord = {
      id,
      name: project.name,
      status: 'running',
      startedAt: new Date().toISOString(),
      project,
      outputDir,
      owner: runOwner(this.program),
    };
    try {
      await writeJsonFile(join(runDir, RECORD_FILE), record);
    } catch (err) {
      // nothing started: the folders made for it go again
      await removeEmptyFolders(madeFolders);
      await removeEmptyFolders([runDir]);
      throw err;
    }
    // the logs of finished runs older than the last FINISHED_LOGS_KEPT go
    const finished = [...this.logs.keys()].filter((runId) => !this.active.has(runId));
    for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_LOGS_KEPT))) {
      this.logs.delete(old);
    }
    this.logs.set(id, { progress: null, lines: [] });
    const controller = new AbortController();
    const done = this.execute(record, resolved, runDir, settings, controller, madeFolders);
    this.active.set(id, { controller, done });
    void done.finally(() => this.active.delete(id));
    return record;
  }

  private async execute(
    record: RunRecord,
    resolved: Project,
    runDir: string,
    settings: Settings,
    controller: AbortController,
    madeFolders: string[],
  ): Promise<void> {
    let last: RunProgress | undefined;
    let final: RunRecord;
    // written again every few seconds while it runs, with its progress: other processes on the
    // data folder show it running (not failed, as the record of a process that is gone); a data
    // folder gone meanwhile is not made again for it
    const stopRefreshing = keepRecordFresh(async () => {
      await this.settings();
      await writeJsonFile(join(runDir, RECORD_FILE), { ...record, lastProgress: last });
    });
    // another process on the data folder follows its log and may ask it to cancel
    const logFile = new RunLogWriter(runDir);
    const stopWatching = watchCancelRequests(runDir, PROCESS_TOKEN, (request) =>
      controller.abort(new CancelledError(cancelledFrom(request))),
    );
    try {
      const outcome = await this.engine(resolved, {
        signal: controller.signal,
        workers: settings.workers,
        dataDir: settings.dataDir,
        dustMapDir: settings.dustMapDir,
        cacheSizeMb: settings.cacheSizeMb,
        stallSeconds: settings.stallSeconds,
        onProgress: (progress) => {
          last = progress;
          const log = this.logs.get(record.id);
          if (log) {
            log.progress = progress;
            if (progress.message) {
              log.lines.push({ elapsedMs: progress.elapsedMs, message: progress.message });
              if (log.lines.length > RUN_LOG_LINES) log.lines.shift();
            }
          }
          logFile.append(progress);
          this.events.runProgress(record.id, progress);
        },
      });
      final = {
        ...record,
        status: 'done',
        outputPath: outcome.outputPath,
        counts: outcome.counts,
        warnings: outcome.warnings ?? [],
        ...(outcome.speczColumns ? { speczColumns: outcome.speczColumns } : {}),
        ...(outcome.seed !== undefined ? { seed: outcome.seed } : {}),
        outputWrittenMs: await writtenMs(outcome.outputPath),
      };
    } catch (err) {
      const cancelled = err instanceof CancelledError || controller.signal.aborted;
      await removeEmptyFolders(madeFolders);
      const reason: unknown = controller.signal.reason;
      // a cancel by the app's closing, or asked by another process, says so
      const why =
        reason instanceof CancelledError && reason.message !== USER_CANCEL
          ? reason.message
          : undefined;
      // the engine says "<folder>: no such folder; check the path", but the app cannot edit a
      // catalog's path: say what to do instead (and for a path of an original config.yml's
      // ${DATASETS_DIR}, how to set it)
      const location = resolved.photometry.location;
      const folderGone =
        !cancelled && errorMessage(err).includes(location) && (await locationGone(location));
      final = {
        ...record,
        status: cancelled ? 'cancelled' : 'failed',
        // a cancel by the user needs no reason; one by the app's closing (or from another
        // process) does
        error: cancelled
          ? why
          : folderGone
            ? photometricFolderGone(location)
            : withDatasetsDirAdvice(errorMessage(err)),
      };
    }
    final = { ...final, finishedAt: new Date().toISOString(), lastProgress: last };
    // no "running" written after (or over) how it ended; a follower reads the whole log once it
    // sees how the run ended
    await stopWatching();
    await logFile.flush();
    await stopRefreshing();
    try {
      // a data folder gone during the run (deleted, its disk unmounted) is not made again for it
      await this.settings();
      await writeJsonFile(join(runDir, RECORD_FILE), final);
    } catch (err) {
      // a data folder on a full disk: the run still ends (the app must not stop on an unhandled
      // rejection), and this session shows its outcome, saying the record was not saved
      const note = `Its record could not be saved, so the Runs page will not show how it ended after the app restarts: ${errorMessage(err)}`;
      final = { ...final, warnings: [...(final.warnings ?? []), note] };
      this.unsaved.set(final.id, final);
    }
    this.events.runFinished(final);
  }

  /**
   * Asks a running run to stop; resolves when it has stopped. A run of another process on this
   * host is asked through its folder (cancelElsewhere). A run that has ended is left as it is.
   */
  async cancel(runId: string, reason = USER_CANCEL): Promise<void> {
    const run = this.active.get(runId);
    if (!run) return this.cancelElsewhere(runId);
    run.controller.abort(new CancelledError(reason));
    await run.done;
  }

  /**
   * Asks the process that runs `runId` (another one on this data folder and host) to cancel it,
   * by a request file in the run's folder (compute/pipeline/cancel-request.ts), and waits until
   * its record says the run ended (followed meanwhile, so the pages hear how). Refused, with
   * nothing written, for a run that ended, whose process is gone or runs on another host.
   */
  private async cancelElsewhere(runId: string): Promise<void> {
    const runDir = join(await this.runsDir(), runId);
    const file = join(runDir, RECORD_FILE);
    const stored = (await readJsonFile(file, null).catch(() => null)) as RunRecord | null;
    // a run of this process that ended, or none: nothing to do, as before
    if (!stored || stored.owner?.token === PROCESS_TOKEN) return;
    if (stored.status !== 'running') {
      throw new UserError(
        `Run ${runId} had already ended (${stored.status}) when Cancel was asked: nothing was cancelled.`,
      );
    }
    const shown = await this.shown(checkedRecord(stored, file), file);
    const owner = storedOwner.safeParse(stored.owner);
    if (shown.status !== 'running' || !owner.success) {
      throw new UserError(
        `${shown.error ?? `Run ${runId} cannot finish any more.`} There is nothing to cancel: the run is listed failed, its record left as it is.`,
      );
    }
    if (owner.data.host !== hostname()) {
      throw new UserError(
        `Run ${runId} runs in ${ownerName(owner.data)}, on another computer: only a process on ${owner.data.host} can cancel it; cancel it there.`,
      );
    }
    await writeCancelRequest(runDir, owner.data, this.program);
    this.follow(runId, runDir, null);
    const deadline = Date.now() + CANCEL_ELSEWHERE_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
      const now = await this.get(runId).catch(() => null);
      if (!now || now.status !== 'running') return;
    }
    throw new UserError(
      `Asked ${ownerName(owner.data)} to cancel run ${runId}, and it has not stopped within ${CANCEL_ELSEWHERE_WAIT_MS / 1000} s; it will when it can, or cancel it there (or stop that process).`,
    );
  }

  /**
   * Follows a run another process runs: relays the events its owner adds to its log file
   * (`tail`: read from where the caller's reading stopped) as this process's own runs' progress,
   * then, once its record says it ended (or its process is gone), how it ended; then stops.
   */
  private follow(runId: string, runDir: string, tail: RunLogTail | null): void {
    if (this.followed.has(runId)) return;
    const reader = tail ?? new RunLogTail(runDir);
    let busy = false;
    let again = false;
    let watcher: FSWatcher | null = null;
    const stop = () => {
      clearInterval(timer);
      watcher?.close();
      this.followed.delete(runId);
    };
    const look = async (): Promise<void> => {
      for (const progress of await reader.read()) this.events.runProgress(runId, progress);
      const record = await this.get(runId).catch(() => null);
      if (record?.status === 'running' && !this.active.has(runId)) return;
      stop();
      if (!record || record.status === 'running') return;
      // the owner wrote its whole log before its last record
      for (const progress of await reader.read()) this.events.runProgress(runId, progress);
      this.events.runFinished(record);
    };
    const tick = () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      void look()
        .catch(() => undefined)
        .finally(() => {
          busy = false;
          if (again && this.followed.has(runId)) {
            again = false;
            tick();
          }
        });
    };
    const timer = setInterval(tick, FOLLOW_POLL_MS);
    timer.unref();
    try {
      watcher = watch(runDir, { persistent: false }, tick);
      watcher.on('error', () => undefined);
    } catch {
      // no fs.watch here: the timer alone
    }
    this.followed.set(runId, stop);
    // the first look comes from the timer or the owner's next write
    if (!tail) tick();
  }

  /** Resolves when the run has finished (for tests and shutdown). */
  async whenFinished(runId: string): Promise<void> {
    await this.active.get(runId)?.done;
  }

  /** A run's log and latest progress so far (empty for a run this session did not start). */
  log(runId: string): RunLog {
    const log = this.logs.get(runId);
    return log ? { progress: log.progress, lines: [...log.lines] } : { progress: null, lines: [] };
  }

  /**
   * A run's log and latest progress so far, as log() gives them for this session's runs; for a
   * run of another process, what its owner wrote in its log file (RunLogWriter), and while it
   * runs, its later events are relayed as this process's own runs' are (follow()).
   */
  async followLog(runId: string): Promise<RunLog> {
    if (this.logs.has(runId)) return this.log(runId);
    const runDir = join(await this.runsDir(), runId);
    const tail = new RunLogTail(runDir);
    const events = await tail.read().catch(() => []);
    const lines = events
      .filter((e) => e.message)
      .map((e) => ({ elapsedMs: e.elapsedMs, message: e.message! }))
      .slice(-RUN_LOG_LINES);
    const record = await this.get(runId).catch(() => null);
    if (record?.status === 'running' && record.runningElsewhere) this.follow(runId, runDir, tail);
    return { progress: events.at(-1) ?? null, lines };
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Every run recorded in the data folder, newest first. */
  async list(): Promise<RunRecord[]> {
    const dir = await this.runsDir();
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const records: RunRecord[] = [];
    for (const name of names) {
      const file = join(dir, name, RECORD_FILE);
      const read = (await readJsonFile(file, null).catch(() => null)) as RunRecord | null;
      if (!read || typeof read.id !== 'string') continue;
      records.push(await this.shown(this.unsaved.get(read.id) ?? checkedRecord(read, file), file));
    }
    return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /**
   * A record as the pages show it. One "running" that this RunManager is not running is another
   * process's while that process runs it (liveOwner): shown running, saying which; else it cannot
   * finish any more (the process that ran it closed or was killed): shown failed. The file is not
   * changed either way.
   */
  private async shown(stored: RunRecord, file: string): Promise<RunRecord> {
    if (stored.status !== 'running' || this.active.has(stored.id)) return stored;
    const written = await stat(file).catch(() => null);
    const owner = written ? liveOwner(stored, Date.now() - written.mtimeMs) : null;
    if (owner) return { ...stored, runningElsewhere: runningElsewhere(owner, stored.lastProgress) };
    return { ...stored, status: 'failed', error: ownerGoneReason(stored) };
  }

  async get(runId: string): Promise<RunRecord> {
    const file = join(await this.runsDir(), runId, RECORD_FILE);
    const stored = (await readJsonFile(file, null)) as RunRecord | null;
    if (!stored) throw new UserError(`There is no run '${runId}' in the data folder.`);
    return this.shown(this.unsaved.get(stored.id) ?? checkedRecord(stored, file), file);
  }

  /** True while any run is in progress. */
  hasActive(): boolean {
    return this.active.size > 0;
  }

  /** Cancels every active run, and stops following others' (app shutdown). */
  async cancelAll(): Promise<void> {
    for (const stop of [...this.followed.values()]) stop();
    await Promise.all([...this.active.keys()].map((id) => this.cancel(id, APP_CLOSED_REASON)));
  }
}
