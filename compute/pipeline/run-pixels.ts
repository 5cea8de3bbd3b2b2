/**
 * Runs the planned pixels: one 'trainingset' task per aligned pixel in the piscina pool (or in
 * this thread with `workers: 0`), results in plan order so 1 and N workers give the same rows.
 * Also estimates the bytes read per task from the partition files' sizes (the readers do not
 * count them), each partition's files once.
 */
import type { Table } from 'apache-arrow';
import { unpackTable } from '../arrow/packed-table';
import type { PixelCatalog, Pixel } from '../hats/types';
import type { ByteSource } from '../hats/byte-source';
import { UserError } from '../errors';
import { WorkerPool, type WorkerFaultError } from './pool';
import type { RunPlan } from './run-plan';
import type { HttpStats } from '../hats/http-options';
import {
  runTrainingSetTask,
  type TrainingSetReply,
  type TrainingSetTask,
} from './trainingset-task';

export interface PixelDone {
  /** The task's rows. */
  table: Table;
  /** Its spec-z rows with at least one match. */
  leftRowsMatched: number;
  /**
   * Its spec-z rows, and the rows of its photometric partition `rightPartition`, whose ra or dec
   * is NaN or infinite (never matched; pixel-task.ts PixelMatch).
   */
  noPosition: { left: number; right: number };
  /** `order/pixel` of the photometric partition the task read (null: none); tasks may share one. */
  rightPartition: string | null;
  /** Size of the partition files the task read (left, right, margin, border partitions). */
  bytesRead: number;
  /**
   * What a worker fetched from http(s) catalogs for this task (absent for local catalogs and for
   * tasks run in this thread, whose reads the main thread's session counts).
   */
  remote?: HttpStats;
}

const partitionKey = (task: TrainingSetTask): string | null =>
  task.spec.right ? `${task.spec.right.order}/${task.spec.right.pixel}` : null;

type WithLeaves = PixelCatalog & { leafFiles?: (p: Pixel) => Promise<ByteSource[]> };

/** Sizes of partition files, cached; 0 when the catalog cannot tell. */
class PartitionSizes {
  private readonly cache = new Map<string, Promise<number>>();

  /**
   * The size of a partition's files the first time it is asked for, 0 after: a partition several
   * tasks share (a coarse spec-z one under finer photometric pixels) is read once and kept
   * (compute/crossmatch readCached), so it counted again and again (a 15 MB spec-z catalog gave
   * ~170 MB read).
   */
  once(catalog: PixelCatalog | null, pixel: Pixel | null): Promise<number> {
    const c = catalog as WithLeaves | null;
    if (!c || !pixel) return Promise.resolve(0);
    const key = `${c.location}\u0000${pixel.order}/${pixel.pixel}`;
    if (this.counted.has(key)) return Promise.resolve(0);
    this.counted.add(key);
    return this.of(catalog, pixel);
  }

  private readonly counted = new Set<string>();

  of(catalog: PixelCatalog | null, pixel: Pixel | null): Promise<number> {
    const c = catalog as WithLeaves | null;
    if (!c || !pixel || typeof c.leafFiles !== 'function') return Promise.resolve(0);
    if (!c.partitions.some((p) => p.order === pixel.order && p.pixel === pixel.pixel))
      return Promise.resolve(0);
    const key = `${c.location}\u0000${pixel.order}/${pixel.pixel}`;
    let size = this.cache.get(key);
    if (!size) {
      size = c
        .leafFiles(pixel)
        .then(async (files) =>
          (await Promise.all(files.map((f) => f.size()))).reduce((a, b) => a + b, 0),
        )
        .catch(() => 0);
      this.cache.set(key, size);
    }
    return size;
  }
}

function tasksOf(plan: RunPlan): TrainingSetTask[] {
  return plan.tasks.map((spec) => ({
    kind: 'trainingset',
    left: plan.specz.ref(spec),
    right: { location: plan.photometry.location },
    margin: plan.margin && plan.options.useMargin ? { location: plan.margin.location } : null,
    spec,
    options: plan.options,
    columns: plan.columns,
    photometry: plan.taskPhotometry,
    remote: plan.remote,
  }));
}

/** Where a task's pixel is, for messages: the aligned pixel and the partitions it reads. */
function pixelWhere(plan: RunPlan, task: TrainingSetTask): { pixel: string; files: string } {
  const { aligned, left, right } = task.spec;
  const part = (p: Pixel) => `Norder=${p.order} Npix=${p.pixel}`;
  return {
    pixel: `pixel ${part(aligned)}`,
    files:
      `spec-z ${plan.specz.catalog.location} ${part(left)}, photometric catalog ` +
      `${plan.photometry.location} ${right ? part(right) : '(no partition)'}`,
  };
}

/**
 * The error of a pixel whose worker thread died twice (pool.ts retries it once): names the pixel,
 * the catalogs' partitions it reads, and what to do.
 */
export function pixelFault(
  plan: RunPlan,
  task: TrainingSetTask,
  cause: WorkerFaultError,
): UserError {
  const where = pixelWhere(plan, task);
  return new UserError(
    `The worker thread crossmatching ${where.pixel} stopped twice (${cause.cause.message}), so the run stopped and wrote nothing. ` +
      `The pixel reads ${where.files}. It may need more memory than a worker thread has, or one of those files may be damaged: ` +
      'check them, free some memory, or run with fewer workers (--workers 1).',
  );
}

/** Yields each task's result in plan order. */
export async function* runPixels(
  plan: RunPlan,
  options: {
    workers: number;
    signal?: AbortSignal;
    /** A pixel whose worker thread died is retried once on a fresh thread: this says so. */
    onRetry?: (message: string) => void;
    /** The pool to run on (started early by the caller), destroyed at the end like our own. */
    pool?: WorkerPool;
  },
): AsyncGenerator<PixelDone> {
  const sizes = new PartitionSizes();
  const bytesOf = async (t: TrainingSetTask) => {
    const parts = [
      sizes.once(plan.specz.kind === 'hats' ? plan.specz.catalog : null, t.spec.left),
      sizes.once(plan.photometry, t.spec.right),
      sizes.once(t.margin ? plan.margin : null, t.spec.right),
      ...(t.spec.border?.partitions ?? []).map((p) => sizes.once(plan.photometry, p)),
    ];
    return (await Promise.all(parts)).reduce((a, b) => a + b, 0);
  };
  // Tasks are built lazily so file-based spec-z rows are serialised only when submitted.
  const specs = plan.tasks;
  let built = 0;
  const lazyTasks: Iterable<TrainingSetTask> = {
    *[Symbol.iterator]() {
      for (; built < specs.length; built++) yield tasksOf({ ...plan, tasks: [specs[built]] })[0];
    },
  };
  if (options.workers === 0) {
    await options.pool?.destroy();
    for (const task of lazyTasks) {
      options.signal?.throwIfAborted();
      const { table, leftRowsMatched, noPosition } = await runTrainingSetTask(task);
      yield {
        table,
        leftRowsMatched,
        noPosition,
        rightPartition: partitionKey(task),
        bytesRead: await bytesOf(task),
      };
    }
    return;
  }
  const pool = options.pool ?? new WorkerPool({ workers: options.workers });
  const submitted: TrainingSetTask[] = [];
  const tracked: Iterable<TrainingSetTask> = {
    *[Symbol.iterator]() {
      for (const t of lazyTasks) {
        submitted.push(t);
        yield t;
      }
    },
  };
  try {
    let k = 0;
    for await (const reply of pool.runOrdered<TrainingSetReply>(tracked, {
      signal: options.signal,
      transferList: (t) => {
        const left = (t as TrainingSetTask).left;
        return 'rowsIpc' in left ? [left.rowsIpc] : undefined;
      },
      retry: {
        // the spec-z rows were moved to the dead thread: serialise them again
        rebuild: (t) => tasksOf({ ...plan, tasks: [(t as TrainingSetTask).spec] })[0],
        fail: (t, cause) => pixelFault(plan, t as TrainingSetTask, cause),
        onRetry: (t, cause) =>
          options.onRetry?.(
            `${pixelWhere(plan, t as TrainingSetTask).pixel}: ${cause.message}; running it again on a fresh worker thread`,
          ),
      },
    })) {
      const task = submitted[k];
      submitted[k++] = undefined as never; // let the task's rows be collected
      const table = unpackTable(reply.rows);
      yield {
        table,
        leftRowsMatched: reply.leftRowsMatched,
        noPosition: reply.noPosition,
        rightPartition: partitionKey(task),
        bytesRead: await bytesOf(task),
        remote: reply.remote,
      };
    }
  } finally {
    await pool.destroy();
  }
}
