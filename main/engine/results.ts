import { join } from 'node:path';
import { CancelledError } from '../../compute/errors';
import type { Cell, QaData, RunRecord, TablePage } from '../../preload/api';
import type { ResultsEngine } from '../tsm-service';
import { readOutputColumns, readOutputRowCount, readOutputRows } from './output-reader';
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
 * What a run's QA data are computed from, as the key of its cache: the output's files (their
 * count, size and time), for an inner join the spec-z catalog's files too (its unmatched rows are
 * read from them: a catalog moved away, moved back, or deleted and registered again under its
 * name changes them; a registered catalog keeps its partitions in folders below its own, whose
 * time a file moved away from them does not change), with the run's choices that the data depend
 * on. A left join's output holds its unmatched rows: its spec-z catalog is not read.
 */
async function qaCacheKey(run: RunRecord, dataDir: string): Promise<string> {
  const joined = run.project.crossmatch.join;
  const source = joined === 'inner' ? speczSource(run, dataDir) : null;
  return JSON.stringify({
    output: run.outputPath,
    stamp: await outputStamp(run.outputPath!),
    specz: source,
    speczStamp: source ? await outputStamp(source) : null,
    startedAt: run.startedAt,
    columns: outputSpeczColumns(run),
    join: joined,
    dropped: (run.counts?.duplicatesResolved ?? 0) > 0,
  });
}

/** Computes a run's QA data: in a worker thread (qa-thread.ts), or a test's stand-in for it. */
export type ComputeRunQa = typeof computeRunQaInWorker;

/**
 * The results page's reads. The plots' data are computed in a worker thread (qa-thread.ts), once
 * for every page asking while what they are computed from (qaCacheKey) is the same: a call whose
 * `signal` aborts rejects with a CancelledError, and when no call waits for them any more the
 * computation stops; its data are kept, in memory and in the run's folder, only when complete and
 * when the output and spec-z catalog were the same at its end as at its start (a catalog moved
 * away while it was read gave data that are not the catalog's once it is back).
 */
export function createResultsEngine(
  dataDir: () => Promise<string>,
  compute: ComputeRunQa = computeRunQaInWorker,
): ResultsEngine {
  interface Computation {
    qa: Promise<QaData>;
    stop: AbortController;
    /** Calls waiting for it. */
    callers: number;
    done: boolean;
  }
  /** Computations going on or done, by run id and what they were computed from. */
  const qaCache = new Map<string, Computation>();
  /** Who is told how far each computation in qaCache has read (a page opened twice: both). */
  const listeners = new Map<string, Set<(fraction: number) => void>>();
  return {
    qa: async (run, onProgress, signal) => {
      if (signal?.aborted) throw new CancelledError(QA_CANCELLED);
      const data = await dataDir();
      // the output and spec-z catalog as they are now: data computed from others are not these
      const cacheKey = await qaCacheKey(run, data);
      if (signal?.aborted) throw new CancelledError(QA_CANCELLED);
      const key = `${run.id}\n${cacheKey}`;
      if (onProgress) {
        let told = listeners.get(key);
        if (!told) listeners.set(key, (told = new Set()));
        told.add(onProgress);
      }
      let computation = qaCache.get(key);
      if (!computation) {
        // the run's data computed from files that have changed since are not shown again
        for (const [other, made] of qaCache) {
          if (made.done && other.startsWith(`${run.id}\n`)) qaCache.delete(other);
        }
        const tell = (fraction: number) => {
          for (const listener of listeners.get(key) ?? []) listener(fraction);
        };
        const stop = new AbortController();
        /** What they were computed from changed while they were. */
        let changed = false;
        const qa = (async () => {
          // kept in the run's folder from an earlier opening, while the output is the same
          const cacheFile = join(data, 'runs', run.id, QA_CACHE_FILE);
          const kept = await readQaCache(cacheFile, cacheKey);
          if (kept) return kept;
          const computed = await compute(run, data, tell, stop.signal);
          // the callers get what was read; it is kept only as the data of these files
          changed = (await qaCacheKey(run, data)) !== cacheKey;
          if (!changed) await writeQaCache(cacheFile, cacheKey, computed);
          return computed;
        })();
        const made: Computation = { qa, stop, callers: 0, done: false };
        const forget = () => {
          if (qaCache.get(key) === made) qaCache.delete(key);
        };
        qa.then(
          () => {
            made.done = true;
            if (changed) forget();
          },
          () => {
            made.done = true;
            forget();
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
