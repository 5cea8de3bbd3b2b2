import { join } from 'node:path';
import { CancelledError } from '../../compute/errors';
import type { Cell, QaData, RunRecord, TablePage } from '../../preload/api';
import type { ResultsEngine } from '../tsm-service';
import { readOutputColumns, readOutputRowCount, readOutputRows } from './output-reader';
import { writtenMs } from '../output-stamp';
import { outputStamp, QA_CACHE_FILE, readQaCache, writeQaCache } from './qa-cache';
import { computeRunQaInWorker, QA_CANCELLED } from './qa-thread';
import { outputSpeczColumns, speczSource } from './run-qa';

/** A value as it crosses the bridge: BigInt becomes a number when exact, else text. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * Reads a page of rows [offset, offset + limit) of an output, reading only what holds them (a page
 * near the end of a million-row output costs what the first costs: `readOutputRows`); an offset
 * past the end gives the last page, so a stale or typed-in row number still shows rows.
 */
export async function readPage(path: string, offset: number, limit: number): Promise<TablePage> {
  const total = await readOutputRowCount(path);
  const start = total > 0 && offset >= total ? Math.floor((total - 1) / limit) * limit : offset;
  let columns: string[] = [];
  const rows: Cell[][] = [];
  for await (const table of readOutputRows(path, start, Math.min(total, start + limit))) {
    if (columns.length === 0) columns = table.schema.fields.map((f) => f.name);
    for (let i = 0; i < table.numRows; i++) {
      const row = table.get(i)?.toJSON() ?? {};
      rows.push(columns.map((c) => toCell((row as Record<string, unknown>)[c])));
    }
  }
  // An output without rows gives no batch: its header still names the columns.
  if (columns.length === 0) columns = await readOutputColumns(path);
  return { columns, rows, offset: total === 0 ? 0 : start, total };
}

/**
 * What a run's QA data are computed from, as the key of its cache: the output's size and time,
 * and the spec-z catalog's time (registered again, or gone: its unmatched rows are no longer
 * shown), with the run's choices that the data depend on.
 */
async function qaCacheKey(run: RunRecord, dataDir: string): Promise<string> {
  const source = speczSource(run, dataDir);
  return JSON.stringify({
    output: run.outputPath,
    stamp: await outputStamp(run.outputPath!),
    specz: source,
    speczWritten: source ? ((await writtenMs(source)) ?? null) : null,
    startedAt: run.startedAt,
    columns: outputSpeczColumns(run),
    join: run.project.crossmatch.join,
    dropped: (run.counts?.duplicatesResolved ?? 0) > 0,
  });
}

/**
 * The results page's reads, cached per run (a finished run's output does not change). The plots'
 * data are computed in a worker thread (qa-thread.ts), once for every page asking: a call whose
 * `signal` aborts rejects with a CancelledError, and when no call waits for them any more the
 * computation stops; its data are kept in the run's folder only when complete.
 */
export function createResultsEngine(dataDir: () => Promise<string>): ResultsEngine {
  interface Computation {
    qa: Promise<QaData>;
    stop: AbortController;
    /** Calls waiting for it. */
    callers: number;
    done: boolean;
  }
  const qaCache = new Map<string, Computation>();
  /** Who is told how far each computation in qaCache has read (a page opened twice: both). */
  const listeners = new Map<string, Set<(fraction: number) => void>>();
  return {
    qa: async (run, onProgress, signal) => {
      if (signal?.aborted) throw new CancelledError(QA_CANCELLED);
      // keyed by the file's time too: a later run may write the same output again
      const key = `${run.id}@${run.outputPath ? await writtenMs(run.outputPath) : ''}`;
      if (onProgress) {
        let told = listeners.get(key);
        if (!told) listeners.set(key, (told = new Set()));
        told.add(onProgress);
      }
      let computation = qaCache.get(key);
      if (!computation) {
        const tell = (fraction: number) => {
          for (const listener of listeners.get(key) ?? []) listener(fraction);
        };
        const stop = new AbortController();
        const qa = (async () => {
          // kept in the run's folder from an earlier opening, while the output is the same
          const data = await dataDir();
          const cacheFile = join(data, 'runs', run.id, QA_CACHE_FILE);
          const cacheKey = await qaCacheKey(run, data);
          const kept = await readQaCache(cacheFile, cacheKey);
          if (kept) return kept;
          const computed = await computeRunQaInWorker(run, data, tell, stop.signal);
          await writeQaCache(cacheFile, cacheKey, computed);
          return computed;
        })();
        const made: Computation = { qa, stop, callers: 0, done: false };
        qa.then(
          () => (made.done = true),
          () => {
            made.done = true;
            if (qaCache.get(key) === made) qaCache.delete(key);
          },
        );
        qaCache.set(key, (computation = made));
      }
      const mine = computation;
      mine.callers++;
      let onAbort = () => undefined as void;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new CancelledError(QA_CANCELLED));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      aborted.catch(() => undefined);
      try {
        return await (signal ? Promise.race([mine.qa, aborted]) : mine.qa);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        mine.callers--;
        // nobody waits for it any more (the page left, another run opened): it stops, and the
        // call ends once its thread has
        if (mine.callers === 0 && !mine.done) {
          mine.stop.abort();
          if (qaCache.get(key) === mine) qaCache.delete(key);
          await mine.qa.catch(() => undefined);
        }
        const told = listeners.get(key);
        if (onProgress) told?.delete(onProgress);
        if (told?.size === 0) listeners.delete(key);
      }
    },
    page: (run, offset, limit) => readPage(run.outputPath!, offset, limit),
  };
}
