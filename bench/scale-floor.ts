/**
 * The read-and-decode floor of the scale benchmark: reads every partition of the spec-z catalog
 * and of the photometric catalog and its margin (all columns, as the run keeps them all) through
 * the project's HATS reader (compute/hats `HatsCatalog.readPartition`, hyparquet) and does
 * nothing else. Partitions are dealt round-robin to N worker threads, like a run with N workers.
 * With `coords`, only the photometric position columns are read (what a crossmatch needs before
 * it knows which rows matched): the floor of a run that reads the other columns of matched rows only.
 * With `wasm`, the same files are read with parquet-wasm instead (compute/io `readParquetFile`),
 * to compare decoders. Usage (bundled by bench/run.mjs):
 * node out/bench-scale-floor.mjs <specz> <photometry> <workers> [all|coords|wasm]
 * Prints one JSON line: {rows, partitions, seconds}.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { openObjectCatalog, type HatsCatalog } from '../compute/hats';
import { readParquetFile } from '../compute/io/parquet-file';

interface Job {
  specz: string;
  photometry: string;
  worker: number;
  workers: number;
  coordsOnly: boolean;
  wasm: boolean;
}

async function readShare(job: Job): Promise<{ rows: number; partitions: number }> {
  const specz = (await openObjectCatalog(job.specz, { margin: 'none' })).catalog;
  const { catalog, margin } = await openObjectCatalog(job.photometry);
  const all: [HatsCatalog, (typeof catalog.partitions)[number]][] = [];
  for (const c of [specz, catalog, margin].filter((x): x is HatsCatalog => x !== undefined)) {
    for (const p of c.partitions) all.push([c, p]);
  }
  let rows = 0;
  let partitions = 0;
  for (let i = job.worker; i < all.length; i += job.workers) {
    const [cat, pixel] = all[i];
    const columns =
      job.coordsOnly && cat !== specz
        ? [cat.raColumn, cat.decColumn, cat.healpixColumn]
        : undefined;
    const table = job.wasm
      ? await readParquetFile(cat.partitionPath(pixel))
      : await cat.readPartition(pixel, { columns });
    rows += table.numRows;
    partitions++;
  }
  return { rows, partitions };
}

async function main(): Promise<void> {
  const [specz, photometry, workersText, what] = process.argv.slice(2);
  const coordsOnly = what === 'coords';
  const wasm = what === 'wasm';
  const workers = Math.max(1, Number(workersText ?? 1));
  const t0 = performance.now();
  const self = fileURLToPath(import.meta.url);
  const results = await Promise.all(
    Array.from(
      { length: workers },
      (_, worker) =>
        new Promise<{ rows: number; partitions: number }>((resolve, reject) => {
          const w = new Worker(self, {
            workerData: { specz, photometry, worker, workers, coordsOnly, wasm } satisfies Job,
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const rows = results.reduce((n, r) => n + r.rows, 0);
  const partitions = results.reduce((n, r) => n + r.partitions, 0);
  console.log(JSON.stringify({ rows, partitions, seconds: (performance.now() - t0) / 1000 }));
}

if (isMainThread) {
  await main();
} else {
  parentPort!.postMessage(await readShare(workerData as Job));
}
