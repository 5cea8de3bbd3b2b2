/**
 * Write throughput of our table writers: `node io-write-bench.mjs <format> <rows> <outDir>`
 * streams <rows> x 40 columns (int64 id, float64 ra/dec, 36 float32 flux/error columns, int32
 * flag; seeded PRNG) in batches of 100 000 rows to one format and prints one JSON line: rows per
 * second (time inside write/close only, data generation excluded) and peak RSS of the process.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector, type Vector } from 'apache-arrow';
import { Prng } from '../compute/demo/surveys/prng';
import { OUTPUT_EXTENSIONS, createTableWriter } from '../compute/io/create-table-writer';
import type { OutputFormat } from '../compute/io/table-writer';

const BATCH = 100_000;

/** Seeded uniform deviates in [0, 1) (mulberry32), so every run writes the same values. */
function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

function batch(start: number, n: number, random: () => number): Table {
  const id = new BigInt64Array(n);
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  const flag = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = BigInt(start + i) + 1_000_000_000_000n;
    ra[i] = random() * 360;
    dec[i] = Math.asin(2 * random() - 1) * (180 / Math.PI);
    flag[i] = (random() * 4) | 0;
  }
  const columns: Record<string, Vector> = {
    id: makeVector(id),
    ra: makeVector(ra),
    dec: makeVector(dec),
  };
  for (let b = 0; b < 18; b++) {
    const flux = new Float32Array(n);
    const err = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      flux[i] = random() * 1e4;
      err[i] = random() * 10;
    }
    columns[`flux_${b}`] = makeVector(flux);
    columns[`flux_err_${b}`] = makeVector(err);
  }
  columns.flag = makeVector(flag);
  return new Table(columns);
}

async function main(): Promise<void> {
  const format = process.argv[2] as OutputFormat;
  const rows = Number(process.argv[3] ?? 1_000_000);
  const outDir = process.argv[4] ?? 'bench/data/io';
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `bench${OUTPUT_EXTENSIONS[format]}`);
  rmSync(path, { recursive: true, force: true });
  const random = rng(7);
  const writer = createTableWriter(format, path, {
    metadata: { bench: 'io-write-bench' },
    hats: { name: 'bench', partitionRows: 1_000_000 },
  });
  let writeMs = 0;
  for (let s = 0; s < rows; s += BATCH) {
    const t = batch(s, Math.min(BATCH, rows - s), random);
    const t0 = performance.now();
    await writer.write(t);
    writeMs += performance.now() - t0;
  }
  const t0 = performance.now();
  const res = await writer.close();
  writeMs += performance.now() - t0;
  console.log(
    JSON.stringify({
      tool: 'tsm',
      format,
      rows,
      columns: 40,
      seconds: +(writeMs / 1000).toFixed(2),
      rowsPerSecond: Math.round(rows / (writeMs / 1000)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      bytes: res.bytes,
      machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    }),
  );
  rmSync(path, { recursive: true, force: true });
}

await main();
