import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vector } from 'apache-arrow';
import { detectAngleUnits, toDegrees, type AngleUnits } from '../../compute/io/specz-angles';
import type { QaData, RunRecord } from '../../preload/api';
import { writtenMs } from '../output-stamp';
import { readOutputColumns, readTableBatches } from './output-reader';
import type { PositionSet } from './position-set';
import { computeQa, qaColumns, Reservoir, MAX_PLOT_POINTS, type UnmatchedSpecz } from './qa';

/*
 * A finished run's QA data computed from its output (and, for inner joins, its spec-z catalog).
 * The results engine runs this in a worker thread of its own (qa-worker.ts): reading a large
 * output takes seconds, and on main's thread it held up every other request meanwhile.
 */

/**
 * The spec-z position and redshift columns as the run's output names them: the record's, else
 * (records of older versions) the project's.
 */
export function outputSpeczColumns(run: RunRecord): { ra: string; dec: string; z: string } {
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
export function speczSource(run: RunRecord, dataDir: string): string | null {
  const { specz } = run.project;
  return specz.catalogId ? join(dataDir, 'catalogs', specz.catalogId) : specz.path;
}

/**
 * When a registered spec-z catalog was registered: the time its `registration.json` records, else
 * (older catalogs) its folder's time. A data folder copied or restored from a backup gives the
 * files the time of the copy, and every run before it said the catalog was registered again.
 */
async function registeredMs(catalogDir: string): Promise<number | undefined> {
  try {
    const { registeredAt } = JSON.parse(
      await readFile(join(catalogDir, 'registration.json'), 'utf8'),
    ) as { registeredAt?: unknown };
    const ms = typeof registeredAt === 'string' ? Date.parse(registeredAt) : NaN;
    if (Number.isFinite(ms)) return ms;
  } catch {
    // no registration.json (or not the app's): the folder's time
  }
  return writtenMs(catalogDir);
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
    const changed = specz.catalogId ? await registeredMs(source) : await writtenMs(source);
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
 * The QA data of `run` (a finished run with an output), read from its output and, for inner
 * joins, its spec-z catalog (`dataDir` holds the registered ones); `tell` is told the part read,
 * 0..1: the output's rows, then the spec-z catalog's.
 */
export async function computeRunQa(
  run: RunRecord,
  dataDir: string,
  tell: (fraction: number) => void,
): Promise<QaData> {
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
  const extra = unmatchedPositions(run, dataDir, positions ? columns : null, (rows) => {
    speczRead = rows;
    report();
  });
  const total = outputRows + (extra ? (run.counts?.rowsIn ?? 0) : 0);
  // only the plotted columns are read (no other column is decoded, in any format)
  const plotted = [columns.ra, columns.dec, columns.z, columns.dist]
    .concat(columns.bands.map((b) => b.column))
    .filter((c): c is string => c !== null && names.includes(c));
  return computeQa(() => readTableBatches(path, plotted), specz, extra ?? undefined, {
    expectedRows: outputRows,
    // the first pass reads the output (the second, in most cases, what it kept)
    onProgress: (pass, rows) => {
      if (pass !== 1) return;
      outputRead = rows;
      report();
    },
  });
}
