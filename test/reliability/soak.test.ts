/**
 * 100 small runs in a row in one process (half in this thread, half with a worker pool, with
 * photometry and the embedded SFD dust map): no memory growth and no file handles left open.
 * Measures the heap after a forced GC and the open descriptors in /proc/self/fd (Linux).
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, type GeneratedCatalog } from '../../compute/demo/surveys';
import { tableToParquetBytes } from '../../compute/io/parquet-file';
import { parseProject, type Project } from '../../compute/pipeline/project';
import { runTrainingSet } from '../../compute/pipeline/run';
import { tempDir } from './helpers';

const RUNS = Number(process.env.TSM_SOAK_RUNS ?? 100);
const { dir, cleanup } = tempDir('tsm-rel-soak-');
afterAll(cleanup);
let catalog: GeneratedCatalog;
let speczPath: string;
const projectWith = (map: string): Project =>
  parseProject(
    {
      version: 1,
      name: 'soak',
      specz: { path: speczPath, columns: { id: 'id' } },
      photometry: { location: catalog.path, dereddening: { map } },
      split: { seed: 2 },
      output: { folder: join(dir, 'out'), format: 'parquet' },
    },
    'soak.tsm.json',
  );

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const openFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : NaN);
function heapMb(): number {
  for (let k = 0; k < 3; k++) gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

beforeAll(async () => {
  const ra = Array.from({ length: 30 }, (_, i) => 150 + i * 0.002);
  const dec = Array.from({ length: 30 }, (_, i) => 2 + i * 0.001);
  [catalog] = await generateSurveyCatalogs(join(dir, 'catalogs'), {
    seed: 4,
    rows: 120,
    specz: { raDeg: ra, decDeg: dec },
  });
  const specz = join(dir, 'specz.parquet');
  writeFileSync(
    specz,
    tableToParquetBytes(
      tableFromArrays({
        id: Int32Array.from(ra, (_, i) => i),
        ra: Float64Array.from(ra),
        dec: Float64Array.from(dec),
        z: Float64Array.from(ra, (_, i) => 0.1 + i / 50),
      }),
    ),
  );
  speczPath = specz;
}, 120_000);

/** Runs `runs` times (half in this thread, half with one worker); returns fd and heap growth. */
async function soak(project: Project, runs: number) {
  const one = async (k: number) => {
    const r = await runTrainingSet(project, { workers: k % 2 });
    expect(r.counts.written).toBeGreaterThan(0);
    rmSync(join(dir, 'out'), { recursive: true, force: true });
  };
  for (let k = 0; k < 6; k++) await one(k); // warm-up: modules, wasm, caches
  const fd0 = openFds();
  const heap0 = heapMb();
  const rss0 = process.memoryUsage().rss / 2 ** 20;
  const t0 = Date.now();
  for (let k = 0; k < runs; k++) await one(k);
  await new Promise((r) => setTimeout(r, 2500)); // piscina idle threads exit after 2 s
  const fd1 = openFds();
  const heap1 = heapMb();
  const rss1 = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `  ${runs} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s: open fds ${fd0} -> ${fd1}, heap ${heap0.toFixed(1)} -> ${heap1.toFixed(1)} MB, rss ${rss0.toFixed(0)} -> ${rss1.toFixed(0)} MB`,
  );
  return { fds: fd1 - fd0, heapMb: heap1 - heap0 };
}

describe('small runs in a row', () => {
  it(`${RUNS} runs without dereddening leak no file handles and no memory`, async () => {
    const growth = await soak(projectWith('none'), RUNS);
    expect(growth.fds).toBeLessThanOrEqual(2);
    expect(growth.heapMb).toBeLessThan(16);
  }, 180_000);

  // Each run opens the dust map in main and in each worker; DustMap.close() (photometry
  // 32e68a8) must release them, or every run leaves a descriptor open.
  it('10 runs with the embedded SFD map leak no file handles', async () => {
    const growth = await soak(projectWith('sfd-lowres'), 10);
    expect(growth.fds).toBeLessThanOrEqual(2);
  }, 180_000);
});
