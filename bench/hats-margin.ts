/**
 * Benchmark: the margin step of a HATS output (writeMarginCatalog, compute/io/hats-margin.ts)
 * for outputs of ~50, ~10k and ~1M rows, as `tsm run --format hats` writes them (5 arcsec margin,
 * writeHatsCatalog's default partitioning). Each case writes the catalog without a margin, reads
 * its partitions back into Arrow spill files and times writeMarginCatalog alone, then times the
 * whole writeHatsCatalog with the margin. Seeded synthetic positions: a 10 x 10 deg field at
 * (ra 60, dec -30) as a spec-z survey gives, and the whole sky for the largest size.
 * Run: `node bench/hats-margin.mjs [sizes=50,10000,1000000]`. Data in bench/data/ (removed after).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Int64, Table, makeVector, vectorFromArray } from 'apache-arrow';
import { ArrowSpillFile } from '../compute/io/arrow-spill';
import { writeMarginCatalog } from '../compute/io/hats-margin';
import { leafRelPath } from '../compute/io/hats-properties';
import { writeHatsCatalog } from '../compute/io/hats-writer';
import { readParquetFile } from '../compute/io/parquet-reader';

const SIZES = (process.argv[2] ?? '50,10000,1000000').split(',').map(Number);
const THRESHOLD = 5; // HATS_MARGIN_ARCSEC, compute/pipeline/output-writer.ts
const ROOT = join(process.env.TSM_ROOT ?? process.cwd(), 'bench', 'data', 'hats-margin');

let seed = 2026;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function table(rows: number, sky: 'field' | 'sky'): Table {
  const ra = new Float64Array(rows);
  const dec = new Float64Array(rows);
  const z = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (sky === 'sky') {
      ra[i] = 360 * rand();
      dec[i] = (Math.asin(2 * rand() - 1) * 180) / Math.PI;
    } else {
      ra[i] = 55 + 10 * rand();
      dec[i] = -35 + 10 * rand();
    }
    z[i] = 2 * rand();
  }
  return new Table({
    id: vectorFromArray(
      Array.from({ length: rows }, (_, i) => BigInt(i)),
      new Int64(),
    ),
    ra: makeVector(ra),
    dec: makeVector(dec),
    z: makeVector(z),
  });
}

async function seconds<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

const DEFAULT_PARTITION_ROWS = 1_000_000; // writeHatsCatalog's default, as tsm run writes
const cases: { rows: number; sky: 'field' | 'sky'; partitionRows: number }[] = [];
for (const rows of SIZES) {
  cases.push({ rows, sky: 'field', partitionRows: DEFAULT_PARTITION_ROWS });
  // smaller partitions: more of them, so rows near their edges go to margins
  if (rows >= 10_000) cases.push({ rows, sky: 'field', partitionRows: Math.round(rows / 20) });
}
const largest = Math.max(...SIZES);
if (largest >= 100_000) {
  cases.push({ rows: largest, sky: 'sky', partitionRows: DEFAULT_PARTITION_ROWS });
  cases.push({ rows: largest, sky: 'sky', partitionRows: Math.round(largest / 20) });
}

console.log(
  '| rows in | positions | partitionRows | partitions | margin rows | margin step s | HATS write with margin s |',
);
console.log(
  '| ------: | --------- | ------------: | ---------: | ----------: | ------------: | -----------------------: |',
);
rmSync(ROOT, { recursive: true, force: true });
for (const c of cases) {
  const dir = join(ROOT, `${c.sky}-${c.rows}-${c.partitionRows}`);
  mkdirSync(dir, { recursive: true });
  const input = table(c.rows, c.sky);
  // the catalog without margin, its partitions read back as the writer's spill files
  const plain = await writeHatsCatalog(join(dir, 'plain.hats'), input, {
    name: 'catalog',
    partitionRows: c.partitionRows,
  });
  const spills: ArrowSpillFile[] = [];
  let schemaTable: Table | undefined;
  for (const [i, p] of plain.partitions.entries()) {
    const t = await readParquetFile(join(plain.catalogDir, leafRelPath(p)));
    schemaTable ??= t.slice(0, 0);
    const spill = new ArrowSpillFile(join(dir, `part-${i}.arrows`));
    await spill.append(t);
    spills.push(spill);
  }
  const marginRoot = join(dir, 'margin-only');
  mkdirSync(join(marginRoot, '.tmp'), { recursive: true }); // the writer's spill folder
  const [margin, marginSeconds] = await seconds(() =>
    writeMarginCatalog(marginRoot, 'catalog', plain.partitions, spills, schemaTable!, {
      thresholdArcsec: THRESHOLD,
      properties: {},
    }),
  );
  const [full, fullSeconds] = await seconds(() =>
    writeHatsCatalog(join(dir, 'full.hats'), input, {
      name: 'catalog',
      partitionRows: c.partitionRows,
      margin: { thresholdArcsec: THRESHOLD },
    }),
  );
  if (full.marginRows !== margin.rows) throw new Error('margin rows differ between the two writes');
  console.log(
    `| ${c.rows} | ${c.sky} | ${c.partitionRows} | ${plain.partitions.length} | ${margin.rows} | ${marginSeconds.toFixed(3)} | ${fullSeconds.toFixed(3)} |`,
  );
  rmSync(dir, { recursive: true, force: true });
}
rmSync(ROOT, { recursive: true, force: true });
