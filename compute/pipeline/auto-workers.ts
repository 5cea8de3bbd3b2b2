/**
 * How many worker threads a run gets when nobody chose: one per core but one (the main thread
 * takes each pixel's rows, decides and encodes the output), or one per core when the run reads
 * far more photometric rows than it writes, so the main thread would mostly wait. Bench on 2 cores
 * (README, Performance; 1 / 2 workers, seconds): 10M photometric rows x 10k spec-z 1.8 / 1.4, x 100k
 * 2.1 / 1.9, x 1M 4.2 / 4.5; 3M x 100k 1.3 / 1.4; 1M x 100k 1.2 / 1.3; 1M x 10k 0.7 / 0.7. Reading
 * 100 or more photometric rows per output row paid for the second worker thread, 30 or fewer did
 * not, nor did a read of 1M rows (a thread's start and its compiling cost ~0.3 s of CPU). With
 * more workers the main thread gets their rows faster, so the ratio scales with them.
 */
import { availableParallelism } from 'node:os';
import { defaultWorkers } from './pool';
import type { RunPlan } from './run-plan';

/** Photometric rows read per output row, per worker, from which every core gets a worker. */
export const ROWS_READ_PER_ROW_OUT = 50;
/** Photometric rows a run reads at least for every core to get a worker. */
export const MIN_ROWS_READ = 2_000_000;

export interface RunSize {
  /** Photometric rows the run reads (NaN when unknown). */
  photometricRows: number;
  /** Rows the run can write at most (NaN when unknown). */
  outputRows: number;
}

/** The worker threads for a run of `size` on `cores` cores. */
export function autoWorkers(size: RunSize, cores = availableParallelism()): number {
  const usual = defaultWorkers(cores);
  const perRow = size.photometricRows / size.outputRows;
  const readMostly =
    size.photometricRows >= MIN_ROWS_READ && perRow >= ROWS_READ_PER_ROW_OUT * usual;
  return readMostly ? Math.max(1, cores) : usual;
}

/**
 * The size of a planned run: the photometric catalog's rows in the partitions it reads (from the
 * catalog's total, as partitions hold about the same number of rows), and its spec-z rows times
 * the neighbours kept.
 */
export function runSize(plan: RunPlan): RunSize {
  const read = new Set<string>();
  for (const task of plan.tasks)
    if (task.right) read.add(`${task.right.order}/${task.right.pixel}`);
  const catalog = plan.photometry;
  const total = catalog.properties.totalRows ?? NaN;
  const photometricRows =
    catalog.partitions.length > 0 ? (total * read.size) / catalog.partitions.length : NaN;
  return { photometricRows, outputRows: plan.specz.rowsIn * plan.options.nNeighbors };
}
