/**
 * Generates small HATS test catalogs (a few hundred rows each, with a margin) for LSST DP0.2,
 * LSST DP1 and DES DR2 with the surveys' real column names, deterministic for a seed. Objects
 * sit at the given spec-z positions (counterparts within 0.4″ plus neighbours) and around real
 * spec-z fields, so tests and the demo exercise every survey profile.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parquetReadObjects } from 'hyparquet';
import type { Table } from 'apache-arrow';
import { UserError } from '../../errors';
import { writeHatsCatalog } from '../../io/hats-writer';
import { openDustMap } from '../../photometry/dust-maps';
import { desTable } from './des';
import { lsstTable } from './lsst';
import { Prng } from './prng';
import { surveyPositions } from './sky';

export interface SpeczPositions {
  raDeg: ArrayLike<number>;
  decDeg: ArrayLike<number>;
}

export interface SurveyCatalogOptions {
  seed: number;
  /** Spec-z positions that get counterparts (e.g. from {@link readSpeczPositions}). */
  specz?: SpeczPositions;
  /** Rows per catalog (default 320). */
  rows?: number;
  /** Margin threshold in arcsec (default 10, like the TSM example's `margin_10arcs`). */
  marginArcsec?: number;
}

export interface GeneratedCatalog {
  survey: 'lsst-dp02' | 'lsst-dp1' | 'des-dr2';
  /** Collection folder (catalog + margin). */
  path: string;
  name: string;
  rows: number;
  /** Row index → index of the spec-z position it is the counterpart of, or -1. */
  counterpartOf: Int32Array;
}

const SURVEYS = [
  { survey: 'lsst-dp02', name: 'dp02_object', ra: 'coord_ra', dec: 'coord_dec', match: 0.8 },
  { survey: 'lsst-dp1', name: 'dp1_object', ra: 'coord_ra', dec: 'coord_dec', match: 0.7 },
  { survey: 'des-dr2', name: 'des_dr2', ra: 'RA', dec: 'DEC', match: 0.9 },
] as const;

/** Reads `ra`/`dec` (degrees) from a spec-z Parquet file. */
export async function readSpeczPositions(file: string): Promise<SpeczPositions> {
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = (await parquetReadObjects({ file: buffer, columns: ['ra', 'dec'] })) as {
    ra: number;
    dec: number;
  }[];
  if (rows.length === 0) throw new UserError(`${file}: no rows with ra/dec.`);
  return { raDeg: rows.map((r) => Number(r.ra)), decDeg: rows.map((r) => Number(r.dec)) };
}

/**
 * Writes `<outDir>/dp02_object`, `<outDir>/dp1_object` and `<outDir>/des_dr2`, each a HATS
 * collection (catalog + margin) written with the io HATS writer.
 */
export async function generateSurveyCatalogs(
  outDir: string,
  options: SurveyCatalogOptions,
): Promise<GeneratedCatalog[]> {
  const specz = options.specz ?? { raDeg: [], decDeg: [] };
  const rows = options.rows ?? 320;
  const dust = await openDustMap('sfd-lowres');
  const out: GeneratedCatalog[] = [];
  for (const [k, s] of SURVEYS.entries()) {
    const rng = new Prng((options.seed * 7919 + k * 104729) >>> 0);
    const objects = surveyPositions(rng, specz, rows, s.match);
    const ebv = await dust.ebv(
      objects.map((o) => o.raDeg),
      objects.map((o) => o.decDeg),
    );
    let table: Table;
    if (s.survey === 'des-dr2') table = desTable(rng, objects, ebv);
    else table = lsstTable(rng, objects, ebv, s.survey === 'lsst-dp02' ? 'dp02' : 'dp1');
    const path = join(outDir, s.name);
    await writeHatsCatalog(path, table, {
      name: s.name,
      raColumn: s.ra,
      decColumn: s.dec,
      partitionRows: 150,
      margin: { thresholdArcsec: options.marginArcsec ?? 10 },
    });
    out.push({
      survey: s.survey,
      path,
      name: s.name,
      rows: objects.length,
      counterpartOf: Int32Array.from(objects, (o) => o.counterpartOf),
    });
  }
  return out;
}
