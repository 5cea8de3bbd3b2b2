/**
 * Benchmark: flux → magnitude plus dereddening of N rows × 6 LSST bands (default 10 million rows,
 * in Arrow batches of 1 million, the way the pipeline calls applyPhotometry per pixel batch).
 * Seeded data: uniform positions on the sphere, cModel fluxes log-uniform with 3% ≤ 0 and 1% NaN.
 * Run after the build: `node bench/photometry.mjs [rows] [batchRows]`. Prints rows/s per case.
 */
import { cpus, totalmem } from 'node:os';
import { Float32, Table, makeData, makeVector } from 'apache-arrow';
import { applyPhotometry } from '../compute/photometry/apply-photometry';
import type { DustMap } from '../compute/photometry/dust-map';
import { detectProfile } from '../compute/photometry/detect-profile';
import { openDustMap } from '../compute/photometry/dust-maps';
import { fluxToMag } from '../compute/photometry/magnitudes';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const BATCH = Number(process.argv[3] ?? 1_000_000);
const BANDS = ['u', 'g', 'r', 'i', 'z', 'y'];

let seed = 12345;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function makeBatch(n: number): Table {
  const cols: Record<string, ReturnType<typeof makeVector>> = {};
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ra[i] = 360 * rand();
    dec[i] = (Math.asin(2 * rand() - 1) * 180) / Math.PI;
  }
  cols.coord_ra = makeVector(ra);
  cols.coord_dec = makeVector(dec);
  for (const b of BANDS) {
    const f = new Float32Array(n);
    const e = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rand();
      f[i] = u < 0.03 ? -10 * rand() : u < 0.04 ? Number.NaN : 10 ** (1 + 4 * rand());
      e[i] = 5 + 20 * rand();
    }
    cols[`${b}_cModelFlux`] = makeVector(makeData({ type: new Float32(), length: n, data: f }));
    cols[`${b}_cModelFluxErr`] = makeVector(makeData({ type: new Float32(), length: n, data: e }));
  }
  return new Table(cols);
}

const constantMap: DustMap = {
  info: {
    name: 'constant 0.05',
    kind: 'healpix',
    files: [],
    resolution: 'none',
    pixelArcmin: 0,
    interpolation: 'nearest',
    coordsys: 'galactic',
    valueScale: 1,
  },
  ebv: async (ra) => new Float64Array(ra.length).fill(0.05),
};

async function main() {
  console.log(
    `# photometry bench: ${ROWS.toLocaleString()} rows x ${BANDS.length} bands, batches of ${BATCH.toLocaleString()}`,
  );
  console.log(
    `# node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  const t0 = performance.now();
  const batches: Table[] = [];
  for (let done = 0; done < ROWS; done += BATCH)
    batches.push(makeBatch(Math.min(BATCH, ROWS - done)));
  console.log(`# data generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const profile = detectProfile({
    columns: batches[0].schema.fields.map((f) => f.name),
    obsCollection: 'dp1_object',
  });
  const lowres = await openDustMap('sfd-lowres');
  const lowresNearest = await openDustMap('sfd-lowres', { interpolation: 'nearest' });

  const rows: [string, number, number][] = [];
  // Kernel only: fluxToMag over typed arrays, no Arrow.
  {
    const start = performance.now();
    for (const t of batches) {
      for (const b of BANDS) {
        const f = t.getChild(`${b}_cModelFlux`)!.toArray() as Float32Array;
        const e = t.getChild(`${b}_cModelFluxErr`)!.toArray() as Float32Array;
        const m = new Float64Array(f.length);
        const me = new Float64Array(f.length);
        fluxToMag(f, e, 31.4, 'nan', m, me);
      }
    }
    rows.push(['fluxToMag kernel only (6 bands)', ROWS, performance.now() - start]);
  }
  const cases: [string, DustMap | null][] = [
    ['applyPhotometry: flux -> mag, no dust', null],
    ['applyPhotometry: + deredden, constant E(B-V)', constantMap],
    ['applyPhotometry: + deredden, sfd-lowres bilinear', lowres],
    ['applyPhotometry: + deredden, sfd-lowres nearest', lowresNearest],
  ];
  let peakRss = 0;
  for (const [label, dustMap] of cases) {
    const start = performance.now();
    for (const t of batches) {
      const res = await applyPhotometry(t, profile, { fluxType: 'cmodel', dustMap });
      if (res.table.numRows !== t.numRows) throw new Error('row count changed');
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    rows.push([label, ROWS, performance.now() - start]);
  }
  console.log('');
  console.log('| case | rows | seconds | rows/s |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, n, ms] of rows) {
    console.log(
      `| ${label} | ${n.toLocaleString()} | ${(ms / 1000).toFixed(2)} | ${Math.round(n / (ms / 1000)).toLocaleString()} |`,
    );
  }
  console.log(`\npeak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

await main();
