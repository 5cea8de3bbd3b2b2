/**
 * Our side of bench/export_check.py: writes the test catalogs and projects, runs `tsm run`'s
 * pipeline (runTrainingSet) on each, writes the LSDB job (exportProject + writeExport) and prints
 * a JSON manifest on stdout for the Python check to run the jobs and compare.
 *
 * Usage (through bench/export.mjs): --out DIR [--large N] [--only case,case]
 *   small suite: the TSM example's 80 spec-z rows + 25 duplicate measurements, the generated
 *     DP0.2 / DP1 / DES DR2 catalogs, 5 projects covering the options.
 *   --large N: N spec-z rows and a 3N-row DP0.2-like catalog (50,000-row partitions) for timing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Float64, Table, Type, Utf8, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { exportProject, writeExport } from '../compute/export';
import { tableToParquetBytes } from '../compute/io/parquet-file';
import { writeHatsCatalog } from '../compute/io/hats-writer';
import { generateSurveyCatalogs, readSpeczPositions } from '../compute/demo/surveys';
import { lsstTable } from '../compute/demo/surveys/lsst';
import { Prng } from '../compute/demo/surveys/prng';
import { offsetPosition, surveyPositions, SPECZ_FIELDS } from '../compute/demo/surveys/sky';
import { openDustMap } from '../compute/photometry/dust-maps';
import { parseProject, type ProjectInput } from '../compute/pipeline/project';
import { runTrainingSet } from '../compute/pipeline/run';
import { readParquetFile } from '../compute/io/parquet-file';
import { TSM_EXAMPLE } from '../test/fixtures';

const { values } = parseArgs({
  options: { out: { type: 'string' }, large: { type: 'string' }, only: { type: 'string' } },
});
const out = resolve(values.out ?? 'out/export-bench');

interface Case {
  name: string;
  project: ProjectInput;
  /** The photometric catalog is this earlier case's output (a training set written as HATS). */
  photometryFrom?: string;
}

/** Spec-z with duplicates: every 3rd of the first 75 rows measured twice (ties, z clusters, stars). */
async function writeSmallSpecz(path: string): Promise<void> {
  const t = await readParquetFile(join(TSM_EXAMPLE, 'specz.parquet'));
  const ra = Array.from(t.getChild('ra')!.toArray() as Float64Array);
  const dec = Array.from(t.getChild('dec')!.toArray() as Float64Array);
  const z = Array.from(t.getChild('z')!.toArray() as Float64Array);
  const id = Array.from(t.getChild('id')!.toArray() as BigInt64Array);
  const n = ra.length;
  const flag: number[] = ra.map((_, i) => (i % 10 === 9 ? 6 : i % 2 === 0 ? 4 : 3));
  const type: string[] = ra.map((_, i) => (i % 7 === 3 ? 'g' : 's'));
  for (let k = 0; k < 75; k += 3) {
    const dz = [0.0004, 0.2, 0][(k / 3) % 3];
    ra.push(ra[k] + 0.05 / 3600);
    dec.push(dec[k]);
    z.push(z[k] + dz);
    id.push(2000000000n + BigInt(k));
    flag.push([4, 3, 4, 6][(k / 3) % 4]);
    type.push((k / 3) % 5 === 0 ? 'g' : 's');
  }
  const table = new Table({
    id: makeVector(BigInt64Array.from(id)),
    ra: makeVector(Float64Array.from(ra)),
    dec: makeVector(Float64Array.from(dec)),
    z: makeVector(Float64Array.from(z)),
    z_flag: makeVector(Float64Array.from(flag)),
    instrument_type: vectorFromArray(type, new Utf8()),
  });
  console.error(`spec-z: ${n} rows + ${table.numRows - n} duplicates -> ${path}`);
  await writeFile(path, tableToParquetBytes(table));
}

async function smallCases(dir: string): Promise<Case[]> {
  const specz = join(dir, 'specz.parquet');
  await writeSmallSpecz(specz);
  const cats = join(dir, 'catalogs');
  await generateSurveyCatalogs(cats, {
    seed: 42,
    specz: await readSpeczPositions(join(TSM_EXAMPLE, 'specz.parquet')),
  });
  const base = (name: string, catalog: string, extra: Partial<ProjectInput>): Case => ({
    name,
    project: {
      version: 1,
      name,
      specz: {
        path: specz,
        columns: { id: 'id', zFlag: 'z_flag', instrumentType: 'instrument_type' },
      },
      photometry: { location: join(cats, catalog), dereddening: { map: 'sfd-lowres' } },
      output: { folder: join(dir, 'ours', name) },
      ...extra,
    },
  });
  return [
    base('dp02-default', 'dp02_object', { split: { seed: 7 } }),
    base('dp1-unique', 'dp1_object', {
      crossmatch: { radiusArcsec: 3, nNeighbors: 2 },
      uniqueGalaxies: { enabled: true, oneToOne: true },
      split: { method: 'stratified', zBins: 4, seed: 11 },
    }),
    base('des-left', 'des_dr2', {
      crossmatch: { join: 'left', radiusArcsec: 1.5 },
      uniqueGalaxies: { enabled: true },
      split: { seed: 5, trainFraction: 0.6 },
    }),
    base('dp02-flux', 'dp02_object', {
      photometry: {
        location: join(cats, 'dp02_object'),
        columns: ['objectId', 'coord_ra', 'coord_dec', 'refExtendedness'],
        fluxType: 'gaap1p0',
        convertToMagnitudes: false,
        dereddening: { map: 'sfd-lowres', scale: 0.86 },
      },
      crossmatch: { radiusArcsec: 2 },
      split: { seed: 3 },
    }),
    base('dp1-csv', 'dp1_object', {
      output: { folder: join(dir, 'ours', 'dp1-csv'), format: 'csv' },
      split: { seed: 9 },
    }),
    base('des-fits', 'des_dr2', {
      output: { folder: join(dir, 'ours', 'des-fits'), format: 'fits' },
      split: { seed: 13 },
    }),
    base('dp02-hdf5', 'dp02_object', {
      crossmatch: { nNeighbors: 2, radiusArcsec: 5 },
      output: { folder: join(dir, 'ours', 'dp02-hdf5'), format: 'hdf5' },
      split: { seed: 17 },
    }),
    base('dp02-hats', 'dp02_object', {
      output: { folder: join(dir, 'ours', 'dp02-hats'), format: 'hats' },
      split: { seed: 19 },
    }),
    // training sets as photometric catalogs: the run's own column names (_dist_arcsec,
    // tie_result, is_training_set, ebv beside ebv_catalog, mag_*; then ra_specz...) are kept
    // as <name>_catalog
    base('dp1-ts-hats', 'dp1_object', {
      uniqueGalaxies: { enabled: true },
      output: { folder: join(dir, 'ours', 'dp1-ts-hats'), format: 'hats' },
      split: { seed: 23 },
    }),
    {
      ...base('ts-again', 'dp1_object', {
        uniqueGalaxies: { enabled: true },
        output: { folder: join(dir, 'ours', 'ts-again'), format: 'hats' },
        split: { seed: 29 },
      }),
      photometryFrom: 'dp1-ts-hats',
    },
    {
      ...base('ts-twice', 'dp1_object', { split: { seed: 31 } }),
      photometryFrom: 'ts-again',
    },
  ];
}

/** N spec-z rows around the survey fields and a 3N-row DP0.2-like catalog in big partitions. */
async function largeCase(dir: string, n: number): Promise<Case> {
  const rng = new Prng(20261125);
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [fra, fdec] = SPECZ_FIELDS[rng.int(SPECZ_FIELDS.length)];
    [ra[i], dec[i]] = offsetPosition(rng, fra, fdec, 5400 * Math.sqrt(rng.next()));
    z[i] = Math.round(rng.uniform(0.01, 2) * 1e5) / 1e5;
  }
  const specz = join(dir, 'specz-large.parquet');
  const ids = BigInt64Array.from({ length: n }, (_, i) => 5000000000n + BigInt(i));
  await writeFile(
    specz,
    tableToParquetBytes(
      new Table({
        id: makeVector(ids),
        ra: makeVector(ra),
        dec: makeVector(dec),
        z: vectorFromArray(Array.from(z), new Float64()),
      }),
    ),
  );
  const objects = surveyPositions(rng, { raDeg: ra, decDeg: dec }, 3 * n, 0.8);
  const dust = await openDustMap('sfd-lowres');
  const ebv = await dust.ebv(
    objects.map((o) => o.raDeg),
    objects.map((o) => o.decDeg),
  );
  const location = join(dir, 'dp02_large');
  // Nulls become NaN here: the HATS writer's margin spill refuses batches whose fields differ in
  // nullability (apache-arrow marks a field nullable only when that batch has nulls).
  const generated = lsstTable(rng, objects, ebv, 'dp02');
  const filled: Record<string, Vector> = {};
  for (const f of generated.schema.fields) {
    const v = generated.getChild(f.name)!;
    if (v.nullCount > 0 && v.type.typeId === Type.Float) {
      const values = (v.toArray() as Float64Array | Float32Array).slice();
      for (let i = 0; i < values.length; i++) if (!v.isValid(i)) values[i] = Number.NaN;
      filled[f.name] = makeVector(values);
    } else filled[f.name] = v;
  }
  await writeHatsCatalog(location, new Table(filled), {
    name: 'dp02_object_large',
    raColumn: 'coord_ra',
    decColumn: 'coord_dec',
    partitionRows: 50000,
    margin: { thresholdArcsec: 10 },
  });
  return {
    name: `large-${n}`,
    project: {
      version: 1,
      name: `large-${n}`,
      specz: { path: specz, columns: { id: 'id' } },
      photometry: { location, dereddening: { map: 'sfd-lowres' } },
      uniqueGalaxies: { enabled: true },
      split: { seed: 1 },
      output: { folder: join(dir, 'ours', `large-${n}`) },
    },
  };
}

/** Writes the cases, runs `tsm run` and the LSDB export of each, prints the manifest. */
async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const all = values.large ? [await largeCase(out, Number(values.large))] : await smallCases(out);
  const cases = all.filter((c) => !only || only.has(c.name));
  const manifest = [];
  const outputs = new Map<string, string>();
  for (const c of cases) {
    const from = c.photometryFrom === undefined ? undefined : outputs.get(c.photometryFrom);
    if (c.photometryFrom !== undefined && from === undefined)
      throw new Error(`${c.name}: run ${c.photometryFrom} first (--only ${c.photometryFrom},...)`);
    const project = parseProject(
      from ? { ...c.project, photometry: { ...c.project.photometry, location: from } } : c.project,
      c.name,
    );
    const t0 = performance.now();
    let result: Awaited<ReturnType<typeof runTrainingSet>> | null = null;
    let error: string | null = null;
    try {
      result = await runTrainingSet(project, { workers: 2, baseDir: out });
    } catch (err) {
      error = (err as Error).message;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (result) outputs.set(c.name, result.outputPath);
    const projectFile = join(out, `${c.name}.tsm.json`);
    await writeFile(projectFile, JSON.stringify(project, null, 2));
    const job = join(out, 'jobs', c.name);
    await writeExport(exportProject(project, 'lsdb', { baseDir: out, tsmVersion: 'bench' }), job);
    console.error(
      `${c.name}: ${result ? `${result.counts.written} rows` : `FAILED (${error})`} in ${seconds.toFixed(2)} s`,
    );
    manifest.push({
      name: c.name,
      projectFile,
      job,
      ours: result?.outputPath ?? null,
      oursError: error,
      oursSeconds: seconds,
      oursRows: result?.counts.written ?? null,
      format: project.output.format,
      columns: result?.columns ?? null,
    });
  }
  process.stdout.write(`${JSON.stringify(manifest)}\n`);
}

await main();
