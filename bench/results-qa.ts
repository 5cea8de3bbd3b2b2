/**
 * Benchmark: the Results page's answers for a finished run, the quality plots' data
 * (main/engine/results.ts: the unmatched spec-z sample and computeQa over the output) and the
 * table's first page of 100 rows, timed, with the process's peak resident memory.
 *   node bench/results-qa.mjs <run folder with record.json> <app data folder> [repeat=1]
 * With TSM_QA_JSON=<file> set, the last round's data is written there (to compare versions).
 * Each round first deletes the run folder's qa-cache.json (the plots' data an opening keeps), so
 * it reads the output as a first opening does; TSM_QA_CACHED=1 keeps it (a later opening).
 * For example, a run of the app over `bench/data/scale` (10M x 1M rows, 949,855 rows out).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createResultsEngine } from '../main/engine/results';
import type { RunRecord } from '../preload/api';

const [runDir, dataDir, repeatText] = process.argv.slice(2);
if (!runDir || !dataDir) {
  console.error('usage: node bench/results-qa.mjs <run folder> <app data folder> [repeat]');
  process.exit(2);
}
const run = JSON.parse(readFileSync(join(runDir, 'record.json'), 'utf8')) as RunRecord;
const repeat = Number(repeatText ?? 1);
console.log(
  `Results QA: ${run.outputPath} (${run.counts?.rowsOut ?? '?'} rows) — nproc ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
console.log(
  "| round | plots' data s | first table page s | peak RSS MiB | matched points | unmatched count |",
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (let round = 1; round <= repeat; round++) {
  // a fresh engine each round: the engine caches a run's QA
  const engine = createResultsEngine(async () => dataDir);
  if (process.env.TSM_QA_CACHED !== '1') rmSync(join(runDir, 'qa-cache.json'), { force: true });
  const t0 = performance.now();
  const qa = await engine.qa(run);
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const page = await engine.page(run, 0, 100);
  const pageSeconds = (performance.now() - t1) / 1000;
  if (page.total !== run.counts?.rowsOut) throw new Error(`page total ${page.total}`);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `| ${round} | ${seconds.toFixed(2)} | ${pageSeconds.toFixed(2)} | ${peak.toFixed(0)} | ${qa.sky.matched.length} | ${qa.sky.unmatchedCount ?? '-'} |`,
  );
  if (process.env.TSM_QA_JSON) writeFileSync(process.env.TSM_QA_JSON, JSON.stringify(qa));
}
