/**
 * Scale benchmark of a whole `tsm run`: N spec-z rows (default 100 000) against a photometric
 * HATS catalog of M rows (default 10 000 000), both generated here, seeded, with the project's
 * own HATS writer. The photometric catalog is LSST-like (objectId, coord_ra/dec, u..y cModel
 * fluxes and errors in nJy) over a 10° x 10° patch (ra 150-160, dec 0-10), 500 000 rows per
 * partition at most, with a 5" margin (a collection, as hats-import writes them).
 * Spec-z: 95 % are objects moved by |N(0, 0.15")|, 5 % random positions in the patch.
 * The run: radius 1", 1 neighbour, magnitudes, SFD low-res dereddening, unique galaxies, split.
 *
 * Run:   node bench/pipeline-scale.mjs [--phot-rows 10000000] [--specz-rows 100000] [--workers N]
 * (bundles this file with esbuild into out/ and runs it; data cached in bench/data/pipeline-scale,
 * results printed and written to bench/results/pipeline-scale.json)
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Table, makeVector } from 'apache-arrow';
import { Prng } from '../compute/demo/surveys/prng';
import { writeHatsCatalog } from '../compute/io/hats-writer';
import { tableToParquetBytes } from '../compute/io/parquet-file';
import { parseProject } from '../compute/pipeline/project';
import { runTrainingSet } from '../compute/pipeline/run';

const BANDS = ['u', 'g', 'r', 'i', 'z', 'y'];
const CHUNK = 250_000;
const DEG = Math.PI / 180;

const { values } = parseArgs({
  options: {
    'phot-rows': { type: 'string', default: '10000000' },
    'specz-rows': { type: 'string', default: '100000' },
    workers: { type: 'string' },
    seed: { type: 'string', default: '1' },
    root: { type: 'string', default: process.env.TSM_ROOT ?? process.cwd() },
  },
});
const photRows = Number(values['phot-rows']);
const speczRows = Number(values['specz-rows']);
const seed = Number(values.seed);
const workers = values.workers ? Number(values.workers) : availableParallelism();
const root = values.root!;
const dataDir = join(
  root,
  'bench',
  'data',
  'pipeline-scale',
  `p${photRows}_s${speczRows}_seed${seed}`,
);

/** Uniform on the sphere inside ra [150, 160], dec [0, 10]. */
function position(rng: Prng): [number, number] {
  const ra = 150 + 10 * rng.next();
  const s = Math.sin(10 * DEG) * rng.next();
  return [ra, Math.asin(s) / DEG];
}

/** Moves a position by `arcsec` in a random direction (small-angle). */
function jitter(rng: Prng, ra: number, dec: number, arcsec: number): [number, number] {
  const pa = 2 * Math.PI * rng.next();
  const d = arcsec / 3600;
  return [ra + (d * Math.sin(pa)) / Math.cos(dec * DEG), dec + d * Math.cos(pa)];
}

async function generate(): Promise<{ hats: string; specz: string; seconds: number }> {
  const hats = join(dataDir, 'dp1_pipeline_bench');
  const specz = join(dataDir, 'specz.parquet');
  const manifest = join(dataDir, 'manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(await readFile(manifest, 'utf8')) as { seconds: number };
    return { hats, specz, seconds: m.seconds };
  }
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const t0 = performance.now();
  const every = Math.max(1, Math.floor(photRows / speczRows));
  const sRa: number[] = [];
  const sDec: number[] = [];
  async function* chunks(): AsyncGenerator<Table> {
    for (let c = 0; c * CHUNK < photRows; c++) {
      const rng = new Prng((seed * 1_000_003 + c) >>> 0);
      const n = Math.min(CHUNK, photRows - c * CHUNK);
      const ra = new Float64Array(n);
      const dec = new Float64Array(n);
      const ids = new BigInt64Array(n);
      const cols: Record<string, ReturnType<typeof makeVector>> = {};
      for (let i = 0; i < n; i++) {
        [ra[i], dec[i]] = position(rng);
        ids[i] = BigInt(c * CHUNK + i + 1);
        if ((c * CHUNK + i) % every === 0 && sRa.length < speczRows) {
          const [r, d] =
            rng.next() < 0.05
              ? position(rng)
              : jitter(rng, ra[i], dec[i], 0.15 * Math.abs(rng.normal()));
          sRa.push(r);
          sDec.push(d);
        }
      }
      cols.objectId = makeVector(ids);
      cols.coord_ra = makeVector(ra);
      cols.coord_dec = makeVector(dec);
      for (const b of BANDS) {
        const flux = new Float32Array(n);
        const err = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const mag = 20 + 5 * rng.next();
          err[i] = 10 ** ((31.4 - 26) / 2.5) / 5;
          flux[i] = 10 ** ((31.4 - mag) / 2.5) + err[i] * rng.normal();
        }
        cols[`${b}_cModelFlux`] = makeVector(flux);
        cols[`${b}_cModelFluxErr`] = makeVector(err);
      }
      yield new Table(cols);
    }
  }
  await writeHatsCatalog(hats, chunks(), {
    name: 'dp1_pipeline_bench',
    raColumn: 'coord_ra',
    decColumn: 'coord_dec',
    partitionRows: 500_000,
    highestOrder: 9,
    margin: { thresholdArcsec: 5 },
  });
  const rng = new Prng(seed + 17);
  const n = sRa.length;
  await writeFile(
    specz,
    tableToParquetBytes(
      new Table({
        id: makeVector(BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1))),
        ra: makeVector(Float64Array.from(sRa)),
        dec: makeVector(Float64Array.from(sDec)),
        z: makeVector(Float64Array.from({ length: n }, () => 0.02 + 1.5 * rng.next())),
        z_flag: makeVector(Int32Array.from({ length: n }, () => (rng.next() < 0.9 ? 4 : 3))),
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  await writeFile(manifest, JSON.stringify({ photRows, speczRows: n, seed, seconds }, null, 1));
  return { hats, specz, seconds };
}

/** Generates (or reuses) the data, runs `tsm run` once, prints and saves the record. */
async function main(): Promise<void> {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: loadavg()[0],
  };
  console.log(
    `pipeline-scale: ${speczRows} spec-z x ${photRows} photometric rows, ${workers} workers`,
    machine,
  );
  const data = await generate();
  console.log(`data ready (${data.seconds.toFixed(1)} s to generate): ${data.hats}`);
  const out = join(dataDir, 'out');
  await rm(out, { recursive: true, force: true });
  const project = parseProject(
    {
      version: 1,
      name: 'pipeline scale',
      specz: { path: data.specz, columns: { id: 'id', zFlag: 'z_flag' } },
      photometry: { location: data.hats, dereddening: { map: 'sfd-lowres' } },
      uniqueGalaxies: { enabled: true },
      split: { seed: 1 },
      output: { format: 'parquet', folder: out },
    },
    'bench',
  );
  const t0 = performance.now();
  const result = await runTrainingSet(project, { workers });
  const seconds = (performance.now() - t0) / 1000;
  const record = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverage1mAfter: loadavg()[0] },
    speczRows,
    photRows,
    workers,
    seconds,
    speczRowsPerSecond: Math.round(speczRows / seconds),
    photRowsPerSecond: Math.round(photRows / seconds),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    pixels: result.pixels,
    bytesReadMB: Math.round(result.bytesRead / 1e6),
    counts: result.counts,
    uniqueGalaxies: result.uniqueGalaxies,
    outputMB: Math.round(result.bytesWritten / 1e6),
  };
  console.log(JSON.stringify(record, null, 1));
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(
    join(root, 'bench', 'results', 'pipeline-scale.json'),
    `${JSON.stringify(record, null, 1)}\n`,
  );
}

await main();
