import { join } from 'node:path';
import type { Table, Vector } from 'apache-arrow';
import { detectAngleUnits, toDegrees, type AngleUnits } from '../../compute/io/specz-angles';
import type { Cell, QaData, RunRecord, TablePage } from '../../preload/api';
import type { ResultsEngine } from '../tsm-service';
import {
  readOutputColumns,
  readOutputRowCount,
  readOutputRows,
  readTableBatches,
} from './output-reader';
import { PositionSet } from './position-set';
import { computeQa, qaColumns, Reservoir, MAX_PLOT_POINTS, type UnmatchedSpecz } from './qa';
import { writtenMs } from '../output-stamp';
import { outputStamp, QA_CACHE_FILE, readQaCache, writeQaCache } from './qa-cache';

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
 * The spec-z position and redshift columns as the run's output names them: the record's, else
 * (records of older versions) the project's.
 */
function outputSpeczColumns(run: RunRecord): { ra: string; dec: string; z: string } {
  const c = run.speczColumns;
  const named = (v: unknown) => typeof v === 'string' && v !== '';
  return c && named(c.ra) && named(c.dec) && named(c.z) ? c : run.project.specz.columns;
}

/** ra/dec of a spec-z batch in degrees, as the run read them (a `_rad` name: radians). */
function positionsInDegrees(source: string, ra: Vector, dec: Vector, names: [string, string]) {
  let units: AngleUnits = 'deg';
  try {
    units = detectAngleUnits(
      source,
      { name: names[0], vec: ra },
      { name: names[1], vec: dec },
      'deg',
    );
  } catch {
    // no positions in this batch: nothing of it is drawn
  }
  return [toDegrees(ra, units, true), toDegrees(dec, units, false)];
}

/** The run's spec-z catalog (a registered one's folder in the data folder), or its file. */
function speczSource(run: RunRecord, dataDir: string): string | null {
  const { specz } = run.project;
  return specz.catalogId ? join(dataDir, 'catalogs', specz.catalogId) : specz.path;
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
 * Spec-z positions without a match, for inner joins (the output holds only matched rows): the
 * spec-z catalog's rows whose exact (ra, dec) never appears in the output (`seen`, which computeQa
 * gathers in its first pass over the output), which also holds the rows unique galaxies or
 * one-to-one dropped (said by `includesDropped`). A spec-z catalog that cannot be read any more
 * (deleted, moved) leaves them out and says so: the run's own results do not depend on it. Null
 * when there are none to look for (a left join's output holds them; an output without positions).
 */
function unmatchedPositions(
  run: RunRecord,
  dataDir: string,
  output: { ra: string; dec: string } | null,
  onRows?: (rows: number) => void,
): ((seen: PositionSet) => Promise<UnmatchedSpecz>) | null {
  const { specz, crossmatch } = run.project;
  if (crossmatch.join !== 'inner' || !run.outputPath || !output) return null;
  const source = speczSource(run, dataDir);
  if (!source) return null;
  return async (seen) => {
    const none: UnmatchedSpecz = { points: [], count: 0 };
    const sample = new Reservoir(MAX_PLOT_POINTS, 2);
    let read = 0;
    const name = specz.catalogId ? `spec-z catalog '${specz.catalogId}'` : `spec-z file ${source}`;
    // a catalog deleted and registered again under its name is another catalog: its rows are not
    // this run's spec-z (a registered catalog's folder is not written after its registration)
    const changed = await writtenMs(source);
    if (changed !== undefined && changed > Date.parse(run.startedAt)) {
      return {
        unavailable: `The unmatched spec-z are not shown: the ${name} was ${specz.catalogId ? 'registered' : 'written'} again after this run.`,
      };
    }
    try {
      for await (const t of readTableBatches(source, [specz.columns.ra, specz.columns.dec])) {
        const raVec = t.getChild(specz.columns.ra);
        const decVec = t.getChild(specz.columns.dec);
        if (!raVec || !decVec) return none;
        const [ra, dec] = positionsInDegrees(source, raVec, decVec, [
          specz.columns.ra,
          specz.columns.dec,
        ]);
        for (let i = 0; i < t.numRows; i++) {
          if (Number.isFinite(ra[i]) && !seen.has(ra[i], dec[i])) sample.add(ra[i], dec[i]);
        }
        read += t.numRows;
        onRows?.(read);
      }
    } catch (err) {
      return {
        unavailable: `The unmatched spec-z are not shown: the ${name} can no longer be read (${(err as Error).message}).`,
      };
    }
    // rows dropped as duplicates are missing from the output too, though they matched
    const dropped = (run.counts?.duplicatesResolved ?? 0) > 0;
    return {
      points: sample.points,
      count: sample.count,
      ...(dropped ? { includesDropped: true } : {}),
    };
  };
}

/**
 * The results page's reads, cached per run (a finished run's output does not change). The plots'
 * reading of an output waits between its batches while a table page is read: both run on this
 * thread, and the page (with a CSV file's row index, made by many small reads) would otherwise
 * get its turns only between the plots' batches and come after them.
 */
export function createResultsEngine(dataDir: () => Promise<string>): ResultsEngine {
  const qaCache = new Map<string, Promise<QaData>>();
  let pageReads = 0;
  let waiting: (() => void)[] = [];
  const pagesRead = () =>
    pageReads === 0 ? Promise.resolve() : new Promise<void>((go) => waiting.push(go));
  async function* afterPages(batches: AsyncIterable<Table>): AsyncGenerator<Table> {
    for await (const batch of batches) {
      await pagesRead();
      yield batch;
    }
  }
  /** Who is told how far each computation in qaCache has read (a page opened twice: both). */
  const listeners = new Map<string, Set<(fraction: number) => void>>();
  return {
    qa: async (run, onProgress) => {
      // keyed by the file's time too: a later run may write the same output again
      const key = `${run.id}@${run.outputPath ? await writtenMs(run.outputPath) : ''}`;
      if (onProgress) {
        let told = listeners.get(key);
        if (!told) listeners.set(key, (told = new Set()));
        told.add(onProgress);
      }
      let cached = qaCache.get(key);
      if (!cached) {
        const tell = (fraction: number) => {
          for (const listener of listeners.get(key) ?? []) listener(fraction);
        };
        const computeRunQa = async (data: string): Promise<QaData> => {
          const path = run.outputPath!;
          const names = await readOutputColumns(path);
          const specz = outputSpeczColumns(run);
          const columns = qaColumns(names, specz);
          const positions = names.includes(columns.ra) && names.includes(columns.dec);
          // how far: the output's rows read, then the spec-z catalog's (inner joins)
          const outputRows = run.counts?.rowsOut ?? 0;
          let outputRead = 0;
          let speczRead = 0;
          const report = () => {
            if (total > 0) tell(Math.min(1, (outputRead + speczRead) / total));
          };
          const extra = unmatchedPositions(run, data, positions ? columns : null, (rows) => {
            speczRead = rows;
            report();
          });
          const total = outputRows + (extra ? (run.counts?.rowsIn ?? 0) : 0);
          // only the plotted columns are read (no other column is decoded, in any format)
          const plotted = [columns.ra, columns.dec, columns.z, columns.dist]
            .concat(columns.bands.map((b) => b.column))
            .filter((c): c is string => c !== null && names.includes(c));
          const batches = () => afterPages(readTableBatches(path, plotted));
          return computeQa(batches, specz, extra ?? undefined, {
            expectedRows: outputRows,
            // the first pass reads the output (the second, in most cases, what it kept)
            onProgress: (pass, rows) => {
              if (pass !== 1) return;
              outputRead = rows;
              report();
            },
          });
        };
        cached = (async () => {
          // kept in the run's folder from an earlier opening, while the output is the same
          const data = await dataDir();
          const cacheFile = join(data, 'runs', run.id, QA_CACHE_FILE);
          const cacheKey = await qaCacheKey(run, data);
          const kept = await readQaCache(cacheFile, cacheKey);
          if (kept) return kept;
          const qa = await computeRunQa(data);
          await writeQaCache(cacheFile, cacheKey, qa);
          return qa;
        })();
        cached.catch(() => qaCache.delete(key));
        qaCache.set(key, cached);
      }
      try {
        return await cached;
      } finally {
        const told = listeners.get(key);
        if (onProgress) told?.delete(onProgress);
        if (told?.size === 0) listeners.delete(key);
      }
    },
    page: async (run, offset, limit) => {
      pageReads++;
      try {
        return await readPage(run.outputPath!, offset, limit);
      } finally {
        pageReads--;
        if (pageReads === 0) {
          const go = waiting;
          waiting = [];
          for (const resume of go) resume();
        }
      }
    },
  };
}
