/**
 * Seeded synthetic catalogs of the scale benchmark (bench/scale.ts), written with the project's
 * own HATS writer (compute/io `writeHatsCatalog`, margin included):
 * - photometric: an LSST DP1-like Object table (41 columns: `objectId`, `coord_ra`, `coord_dec`,
 *   `ebv`, `refBand`, detection flags, `tract`/`patch`, and for u,g,r,i,z,y `{b}_cModelFlux[Err]`,
 *   `{b}_psfFlux[Err]` in nJy and `{b}_cModel_flag`), partitioned like hats-import with a row
 *   threshold, plus a 5″ margin. Rows are generated in chunks of 100 000 with one seed per chunk,
 *   so the 1M catalog is the first million rows of the 3M and 10M ones.
 * - spec-z: `id`, `ra`, `dec`, `z`, `z_err`, `z_flag`, `survey`; 93% are photometric positions of
 *   the first million rows moved by a Gaussian 0.15″, 5% unmatched positions in the footprint,
 *   2% duplicates (a second measurement of an earlier spec-z object).
 * - flat FITS copies of the positions (id, ra, dec) for STILTS.
 * A `manifest.json` per catalog records the parameters; an existing catalog with the same
 * manifest is reused.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { Prng } from '../compute/demo/surveys/prng';
import { offsetPosition as offsetOnSky } from '../compute/demo/surveys/sky';
import { createFitsWriter } from '../compute/io/fits-writer';
import { writeHatsCatalog } from '../compute/io/hats-writer';
import {
  BANDS,
  CHUNK_ROWS,
  bandFluxes,
  boolVector,
  chunkPositions,
  chunkRng,
  ebvAt,
  trueMagnitudes,
  uniformInFootprint,
  utf8Vector,
} from './scale-columns';

export const PHOT_PARTITION_ROWS = 200_000;
export const MARGIN_ARCSEC = 5;
const ID_BASE = 609782208818774000n;

export interface ScaleCatalog {
  /** HATS folder (collection for the photometry, catalog for the spec-z). */
  hats: string;
  /** Flat FITS (id, ra, dec) for STILTS. */
  fits: string;
  rows: number;
  partitions: number;
  marginRows?: number;
  seconds: number;
  reused: boolean;
}

/** One chunk of the photometric table. */
export function photometricChunk(seed: number, chunk: number, rows: number): Table {
  const [ra, dec] = chunkPositions(seed, chunk, rows);
  const rng = chunkRng(seed, chunk, 2);
  const n = rows;
  const ids = new BigInt64Array(n);
  const first = BigInt(chunk * CHUNK_ROWS);
  for (let i = 0; i < n; i++) ids[i] = ID_BASE + first + BigInt(i);
  const ebv = Float32Array.from(ra, (r, i) => ebvAt(r, dec[i]));
  const isolated = new Uint8Array(n);
  const blend = new Uint8Array(n);
  const ext = new Float64Array(n);
  const tract = new BigInt64Array(n);
  const patch = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    isolated[i] = rng.next() > 0.2 ? 1 : 0;
    blend[i] = rng.next() < 0.15 ? 1 : 0;
    ext[i] = rng.next() < 0.9 ? 1 : 0;
    tract[i] = BigInt(Math.floor(ra[i] * 10));
    patch[i] = BigInt(rng.int(49));
  }
  const columns: Record<string, ReturnType<typeof makeVector>> = {
    objectId: makeVector(ids),
    coord_ra: makeVector(ra),
    coord_dec: makeVector(dec),
    ebv: makeVector(ebv),
    refBand: utf8Vector(new Array<string>(n).fill('i')),
    detect_isIsolated: boolVector(isolated),
    detect_fromBlend: boolVector(blend),
    parentObjectId: makeVector(new BigInt64Array(n)),
    refExtendedness: makeVector(ext),
    tract: makeVector(tract),
    patch: makeVector(patch),
  };
  const mags = trueMagnitudes(rng, ebv);
  BANDS.forEach((b, k) => {
    const cmodel = bandFluxes(rng, mags[k], k, 1);
    const psf = bandFluxes(rng, mags[k], k, 0.7);
    columns[`${b}_cModelFlux`] = makeVector(cmodel.flux);
    columns[`${b}_cModelFluxErr`] = makeVector(cmodel.err);
    columns[`${b}_psfFlux`] = makeVector(psf.flux);
    columns[`${b}_psfFluxErr`] = makeVector(psf.err);
    columns[`${b}_cModel_flag`] = boolVector(cmodel.flag);
  });
  return new Table(columns);
}

async function* photometricChunks(seed: number, rows: number): AsyncGenerator<Table> {
  for (let c = 0; c * CHUNK_ROWS < rows; c++) {
    yield photometricChunk(seed, c, Math.min(CHUNK_ROWS, rows - c * CHUNK_ROWS));
  }
}

/** Spec-z table of `rows` rows drawn from the first `sourceRows` photometric positions. */
export function speczTable(seed: number, rows: number, sourceRows: number): Table {
  const chunks = Math.ceil(sourceRows / CHUNK_ROWS);
  const positions = Array.from({ length: chunks }, (_, c) =>
    chunkPositions(seed, c, Math.min(CHUNK_ROWS, sourceRows - c * CHUNK_ROWS)),
  );
  const rng = new Prng((seed * 7919 + rows) >>> 0);
  const ra = new Float64Array(rows);
  const dec = new Float64Array(rows);
  const z = new Float64Array(rows);
  const zErr = new Float32Array(rows);
  const zFlag = new Int32Array(rows);
  const ids = new BigInt64Array(rows);
  const surveys = ['DESI', 'SDSS', '2dFGRS', 'VVDS'];
  const survey = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    ids[i] = BigInt(1 + i);
    const roll = rng.next();
    let zi = rng.uniform(0.02, 1.5);
    if (roll < 0.05) {
      [ra[i], dec[i]] = uniformInFootprint(rng);
    } else if (roll < 0.07 && i > 0) {
      const j = rng.int(i);
      [ra[i], dec[i]] = offsetOnSky(rng, ra[j], dec[j], 0.1 * Math.abs(rng.normal()));
      zi = z[j] + 0.001 * rng.normal();
    } else {
      const k = rng.int(sourceRows);
      const [cra, cdec] = positions[Math.floor(k / CHUNK_ROWS)];
      const r = k % CHUNK_ROWS;
      [ra[i], dec[i]] = offsetOnSky(rng, cra[r], cdec[r], 0.15 * Math.abs(rng.normal()));
    }
    z[i] = Math.max(0, zi);
    zErr[i] = 0.0005 + 0.002 * rng.next();
    zFlag[i] = rng.next() < 0.9 ? 4 : rng.int(4);
    survey[i] = surveys[rng.int(surveys.length)];
  }
  return new Table({
    id: makeVector(ids),
    ra: makeVector(ra),
    dec: makeVector(dec),
    z: makeVector(z),
    z_err: makeVector(zErr),
    z_flag: makeVector(zFlag),
    survey: utf8Vector(survey),
  });
}

async function writePositionsFits(
  path: string,
  batches: AsyncIterable<Table> | Iterable<Table>,
  names: [string, string, string],
): Promise<void> {
  const writer = createFitsWriter(path);
  try {
    for await (const t of batches) {
      await writer.write(
        new Table({
          [names[0]]: t.getChild(names[0])!,
          [names[1]]: t.getChild(names[1])!,
          [names[2]]: t.getChild(names[2])!,
        }),
      );
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

async function cached(dir: string, manifest: object): Promise<ScaleCatalog | null> {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  const saved = JSON.parse(await readFile(file, 'utf8')) as {
    params: object;
    result: ScaleCatalog;
  };
  if (JSON.stringify(saved.params) !== JSON.stringify(manifest)) return null;
  return { ...saved.result, reused: true };
}

/** Writes (or reuses) the photometric catalog of `rows` rows under `root`. */
export async function ensurePhotometric(
  root: string,
  seed: number,
  rows: number,
): Promise<ScaleCatalog> {
  const dir = join(root, `phot_${rows}`);
  const params = {
    kind: 'photometric-dp1',
    seed,
    rows,
    partitionRows: PHOT_PARTITION_ROWS,
    margin: MARGIN_ARCSEC,
    version: 2,
  };
  const hit = await cached(dir, params);
  if (hit) return hit;
  const t0 = performance.now();
  const hats = join(dir, 'dp1_object_bench');
  const written = await writeHatsCatalog(hats, photometricChunks(seed, rows), {
    name: 'dp1_object_bench',
    raColumn: 'coord_ra',
    decColumn: 'coord_dec',
    partitionRows: PHOT_PARTITION_ROWS,
    highestOrder: 9,
    margin: { thresholdArcsec: MARGIN_ARCSEC },
  });
  const fits = join(dir, 'positions.fits');
  await writePositionsFits(fits, photometricChunks(seed, rows), [
    'objectId',
    'coord_ra',
    'coord_dec',
  ]);
  const result: ScaleCatalog = {
    hats,
    fits,
    rows,
    partitions: written.partitions.length,
    marginRows: written.marginRows,
    seconds: (performance.now() - t0) / 1000,
    reused: false,
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ params, result }, null, 1));
  return result;
}

/** Writes (or reuses) a spec-z catalog of `rows` rows drawn from the first `sourceRows` photometric rows. */
export async function ensureSpecz(
  root: string,
  seed: number,
  rows: number,
  sourceRows: number,
): Promise<ScaleCatalog> {
  const dir = join(root, `specz_${rows}`);
  const params = {
    kind: 'specz',
    seed,
    rows,
    sourceRows,
    partitionRows: PHOT_PARTITION_ROWS,
    version: 1,
  };
  const hit = await cached(dir, params);
  if (hit) return hit;
  const t0 = performance.now();
  const table = speczTable(seed, rows, sourceRows);
  const hats = join(dir, 'specz_bench');
  const written = await writeHatsCatalog(hats, table, {
    name: 'specz_bench',
    partitionRows: PHOT_PARTITION_ROWS,
    highestOrder: 9,
  });
  const fits = join(dir, 'positions.fits');
  await writePositionsFits(fits, [table], ['id', 'ra', 'dec']);
  const result: ScaleCatalog = {
    hats,
    fits,
    rows,
    partitions: written.partitions.length,
    seconds: (performance.now() - t0) / 1000,
    reused: false,
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ params, result }, null, 1));
  return result;
}
