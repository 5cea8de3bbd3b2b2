/**
 * The app's record of a run, `<dataDir>/runs/<run id>/record.json` (preload/api.ts RunRecord):
 * what the app's Runs and Results pages list and show. The app's RunManager writes it for its runs,
 * `tsm run --data-dir` for its own (run.json and config.yml beside the output are run-record.ts).
 */
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunCounts as AppRunCounts, RunRecord } from '../../preload/api';
import { makeFolder, removeEmptyFolders } from '../io/make-folder';
import type { RunResult } from './run';

/** Where the app keeps a run's record in its data folder (main/run-manager.ts reads it). */
export function runRecordPath(dataDir: string, runId: string): string {
  return join(dataDir, 'runs', runId, 'record.json');
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
