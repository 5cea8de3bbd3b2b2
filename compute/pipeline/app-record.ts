/**
 * The app's record of a run, `<dataDir>/runs/<run id>/record.json` (preload/api.ts RunRecord):
 * what the app's Runs and Results pages list and show. The app's RunManager writes it for its runs,
 * `tsm run --data-dir` for its own (run.json and config.yml beside the output are run-record.ts).
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunCounts as AppRunCounts, RunOwner, RunRecord } from '../../preload/api';
import { makeFolder, removeEmptyFolders } from '../io/make-folder';
import type { RunResult } from './run';

/** Where the app keeps a run's record in its data folder (main/run-manager.ts reads it). */
export function runRecordPath(dataDir: string, runId: string): string {
  return join(dataDir, 'runs', runId, 'record.json');
}

/** How often the process running a run writes its record again (with its progress so far). */
export const RECORD_REFRESH_MS = 5_000;
/**
 * A record "running" not written again for this long is left over, whatever its pid (a process
 * given the same pid since, or one that hangs): other processes show it as failed.
 */
export const RECORD_STALE_MS = 60_000;

/** Random per process: a record's owner of the same pid but another token is another process. */
export const PROCESS_TOKEN = randomBytes(8).toString('hex');

/** This process as the owner of the runs it records (RunRecord `owner`). */
export function runOwner(program: string): RunOwner {
  return { pid: process.pid, host: hostname(), token: PROCESS_TOKEN, program };
}

/**
 * Calls `write` (which writes a running run's record again) every `everyMs` until the function
 * returned is called; that one resolves once no write is in progress any more, so that the
 * record's last write (how the run ended) is not followed by a "running" one. A turn that comes
 * while a write is still in progress (a slow disk) is skipped; a write that fails (a full disk) is
 * tried again at the next turn.
 */
export function keepRecordFresh(
  write: () => Promise<unknown>,
  everyMs = RECORD_REFRESH_MS,
): () => Promise<void> {
  let writing: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    writing ??= write()
      .catch(() => undefined)
      .finally(() => (writing = null));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await writing;
  };
}

/** A sortable, unique-enough id: UTC timestamp plus a short random suffix. */
export function newId(prefix: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${prefix}-${stamp}-${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * A finished run's counts as the app shows them: matched and unmatched are spec-z rows, as rows
 * in; duplicates resolved = rows dropped by the unique-galaxy pass plus by the one-to-one rule.
 */
export function appCounts(result: RunResult): AppRunCounts {
  const c = result.counts;
  return {
    rowsIn: c.speczIn,
    matched: c.matchedSpecz,
    unmatched: c.unmatchedSpecz,
    duplicatesResolved: (result.uniqueGalaxies?.dropped ?? 0) + (result.oneToOneDropped ?? 0),
    train: c.train,
    test: c.test,
    rowsOut: c.written,
  };
}

/** What a run that succeeded adds to its record (as the app's RunManager records it). */
export async function finishedRecordFields(result: RunResult): Promise<
  Pick<RunRecord, 'outputPath' | 'counts' | 'warnings' | 'speczColumns' | 'seed'> & {
    outputWrittenMs?: number;
  }
> {
  return {
    outputPath: result.outputPath,
    counts: appCounts(result),
    warnings: [...result.warnings],
    speczColumns: {
      ra: result.speczColumns.ra,
      dec: result.speczColumns.dec,
      z: result.speczColumns.z,
    },
    seed: result.seed,
    outputWrittenMs: (await stat(result.outputPath).catch(() => null))?.mtimeMs,
  };
}

/**
 * Writes a run's record to `<dataDir>/runs/<id>/record.json`, atomically (`.partial`, then
 * renamed), so that the app's Runs page lists it; resolves the file written. On failure nothing is
 * left: no `.partial`, no empty folder made for it.
 */
export async function writeRunRecord(dataDir: string, record: RunRecord): Promise<string> {
  const file = runRecordPath(dataDir, record.id);
  const partial = `${file}.partial`;
  const made = await makeFolder(dirname(file));
  try {
    await writeFile(partial, `${JSON.stringify(record, null, 2)}\n`, 'utf8');
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    await removeEmptyFolders(made).catch(() => undefined);
    throw err;
  }
  return file;
}
