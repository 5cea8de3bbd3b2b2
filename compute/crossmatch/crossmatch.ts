import type { Table } from 'apache-arrow';
import { ipcBuffer, unpackTable } from '../arrow/packed-table';
import { CancelledError, UserError } from '../errors';
import { HatsCatalog } from '../hats/catalog';
import type { PixelCatalog } from '../hats/types';
import { WorkerPool, defaultWorkers } from '../pipeline/pool';
import { InMemoryCatalog } from './in-memory';
import { resolveOptions, type CrossmatchOptions, type ResolvedCrossmatchOptions } from './options';
import { planOutputColumns, type OutputColumns } from './output';
import { crossmatchPixel, type PixelMatch, type PixelTaskSpec } from './pixel-task';
import { loadMoc } from './moc';
import { planCrossmatch, type CatalogMocs } from './plan';
import type { CatalogRef, CrossmatchReply, CrossmatchTask } from './worker-task';

/** A planned crossmatch: its aligned pixels and output columns, before any partition is read. */
export interface CrossmatchPlan {
  tasks: PixelTaskSpec[];
  options: ResolvedCrossmatchOptions;
  columns: OutputColumns;
}

/** Checks the options and plans the tasks (no partition data is read). */
export function planCrossmatchRun(
  left: PixelCatalog,
  right: PixelCatalog,
  options: CrossmatchOptions,
  mocs: CatalogMocs = {},
): CrossmatchPlan {
  const resolved = resolveOptions(left, right, options);
  const margin = options.rightMargin ?? null;
  for (const [cat, side] of [
    [left, 'left'],
    [right, 'right'],
  ] as const) {
    if (!cat.raColumn || !cat.decColumn) {
      throw new UserError(
        `${cat.location}: the ${side} catalog has no ra/dec columns (hats_col_ra/hats_col_dec)`,
      );
    }
  }
  const tasks = planCrossmatch(left, right, margin, resolved, mocs);
  if (tasks.length === 0 && resolved.how === 'inner') {
    throw new UserError(
      `Catalogs do not overlap: ${left.location} and ${right.location} share no sky area within ` +
        `${resolved.radiusArcsec} arcsec; check that you picked the right catalogs`,
    );
  }
  const pick = (cat: PixelCatalog, wanted: string[] | undefined, side: string): string[] => {
    const names = cat.schema.fields.map((f) => f.name);
    if (!wanted) return names;
    for (const c of wanted) {
      if (!names.includes(c)) {
        throw new UserError(
          `${cat.location}: ${side} column '${c}' not found. Available columns: ${names.join(', ')}`,
        );
      }
    }
    return names.includes(cat.healpixColumn) && !wanted.includes(cat.healpixColumn)
      ? [cat.healpixColumn, ...wanted]
      : wanted;
  };
  const columns = planOutputColumns(
    pick(left, resolved.columns.left, 'left'),
    pick(right, resolved.columns.right, 'right'),
    left.healpixColumn,
    right.healpixColumn,
    resolved.suffixes,
    resolved.suffixMethod,
  );
  return { tasks, options: resolved, columns };
}

/**
 * Crossmatches two partitioned catalogs exactly as lsdb `Catalog.crossmatch` with
 * `KdTreeCrossmatch` (hats-lsdb.md §3): for each left row, up to `nNeighbors` nearest right rows
 * with `minRadius < d < radius`. Yields one Arrow table per aligned pixel, in breadth-first pixel
 * order (identical for any number of workers). Options are validated before this returns.
 * Beyond lsdb, with `borderRows: 'auto'` and no usable right margin, rows of neighbouring right
 * partitions near each pixel are read so that no pair across a partition border is missed.
 */
export function crossmatch(
  left: PixelCatalog,
  right: PixelCatalog,
  options: CrossmatchOptions,
): AsyncIterable<Table> {
  // Checks everything now (partitions as MOCs: a superset of the final plan)...
  planCrossmatchRun(left, right, options);
  const margin = options.rightMargin ?? null;
  const workers = options.workers ?? defaultWorkers();
  const reopenable =
    right instanceof HatsCatalog &&
    (margin === null || margin instanceof HatsCatalog) &&
    (left instanceof HatsCatalog || left instanceof InMemoryCatalog);
  // ...then plans with the catalogs' MOCs (point_map.fits), as lsdb does, when iterated.
  async function* run(): AsyncGenerator<Table> {
    const mocs = { left: await loadMoc(left), right: await loadMoc(right) };
    let plan: CrossmatchPlan;
    try {
      plan = planCrossmatchRun(left, right, options, mocs);
    } catch (err) {
      if (err instanceof UserError && /do not overlap/.test(err.message)) return;
      throw err;
    }
    yield* workers > 0 && reopenable
      ? runInPool(left, right, margin, plan, workers, options)
      : runInProcess(left, right, margin, plan, options);
  }
  return { [Symbol.asyncIterator]: run };
}

/**
 * Counts the rows without a position of each pixel's reply: the left rows of every task, the
 * right partition's once (several aligned pixels may read one), told to `onNoPosition` at the end.
 */
class NoPositionCount {
  private left = 0;
  private readonly right = new Map<string, number>();

  add(spec: PixelTaskSpec, noPosition: PixelMatch['noPosition']): void {
    this.left += noPosition.left;
    if (spec.right) this.right.set(`${spec.right.order}/${spec.right.pixel}`, noPosition.right);
  }

  tell(options: CrossmatchOptions): void {
    let right = 0;
    for (const n of this.right.values()) right += n;
    options.onNoPosition?.({ left: this.left, right });
  }
}

async function* runInProcess(
  left: PixelCatalog,
  right: PixelCatalog,
  margin: PixelCatalog | null,
  plan: CrossmatchPlan,
  options: CrossmatchOptions,
): AsyncGenerator<Table> {
  const { signal, onProgress } = options;
  let rowsMatched = 0;
  let done = 0;
  const noPosition = new NoPositionCount();
  for (const spec of plan.tasks) {
    if (signal?.aborted) throw new CancelledError();
    const match = await crossmatchPixel(
      { left, right, margin },
      spec,
      plan.options,
      plan.columns,
      signal,
    );
    noPosition.add(spec, match.noPosition);
    rowsMatched += match.table.numRows;
    onProgress?.({ pixelsDone: ++done, pixelsTotal: plan.tasks.length, rowsMatched });
    yield match.table;
  }
  noPosition.tell(options);
}

async function* runInPool(
  left: PixelCatalog,
  right: PixelCatalog,
  margin: PixelCatalog | null,
  plan: CrossmatchPlan,
  workers: number,
  options: CrossmatchOptions,
): AsyncGenerator<Table> {
  const { signal, onProgress } = options;
  const pool = new WorkerPool({ workers: Math.min(workers, Math.max(1, plan.tasks.length)) });
  try {
    // User-file rows travel with the task, serialised lazily as the pool asks for more work.
    const ref = (spec: PixelTaskSpec): CatalogRef =>
      left instanceof InMemoryCatalog
        ? { info: left.info(), rowsIpc: ipcBuffer(left.partitionRows(spec.left)) }
        : { location: left.location };
    function* tasks(): Generator<CrossmatchTask> {
      for (const spec of plan.tasks) {
        yield {
          kind: 'crossmatch',
          left: ref(spec),
          right: { location: right.location },
          margin: margin && plan.options.useMargin ? { location: margin.location } : null,
          spec,
          options: plan.options,
          columns: plan.columns,
          remote: options.remote,
        };
      }
    }
    let rowsMatched = 0;
    let done = 0;
    const noPosition = new NoPositionCount();
    for await (const reply of pool.runOrdered<CrossmatchReply>(tasks(), {
      signal,
      transferList: (t) => {
        const ref = (t as CrossmatchTask).left;
        return 'rowsIpc' in ref ? [ref.rowsIpc] : undefined;
      },
    })) {
      // replies come in the order of the tasks
      noPosition.add(plan.tasks[done], reply.noPosition);
      const table = unpackTable(reply.rows);
      rowsMatched += table.numRows;
      onProgress?.({ pixelsDone: ++done, pixelsTotal: plan.tasks.length, rowsMatched });
      yield table;
    }
    noPosition.tell(options);
  } finally {
    await pool.destroy();
  }
}
