import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { CancelledError, cancellationOf, UserError } from '../errors';
import type { PoolTask } from './tasks';
import type { WorkerReply } from './worker';
import { workerEntryPath } from './worker-path';

/**
 * Worker threads by default: one per core but one, as the main thread is busy too (it merges the
 * pixels' rows, decides unique galaxies and the split, and writes). On 2 cores 1 worker was as fast
 * as 2 and used ~100 MB less (README, Performance). A run nobody chose the workers of may take one
 * more (auto-workers.ts).
 */
export function defaultWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * Tasks given to a worker thread at once: it runs them one after another (worker.ts), and the next
 * is there the moment one ends. With one, a thread sat idle ~10% of a 10M x 1M run until the main
 * thread, busy encoding the output, answered its reply with the next task: 0.4-0.5 s of a 3.6 s
 * crossmatch (bench 10M x 1M); with 4, ~0.3 s, most of it at the start and the end.
 */
const TASKS_PER_THREAD = 4;

export interface PoolOptions {
  /** Worker threads; default `defaultWorkers()`. */
  workers?: number;
  /** Heap limits of each worker thread (node:worker_threads `resourceLimits`). */
  resourceLimits?: ResourceLimits;
  /**
   * Start every thread now, so they load the worker code while the caller still prepares the
   * tasks (default: each thread starts with the first task that needs it).
   */
  eager?: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Buffers inside the task to move to the worker instead of copying. */
  transferList?: ArrayBuffer[];
}

export interface RunOrderedOptions {
  signal?: AbortSignal;
  /**
   * Tasks submitted but not yet consumed, at most (bounds memory). Default: a full hand for each
   * thread (TASKS_PER_THREAD) and 2 more, so the threads keep busy while the consumer takes a while
   * over one result (a Parquet row group is encoded every ~6 pixels of a run).
   */
  maxInFlight?: number;
  /** Buffers of a task to move to the worker. */
  transferList?: (task: PoolTask) => ArrayBuffer[] | undefined;
  /** What to do when the worker thread running a task dies; see {@link RetryOptions}. */
  retry?: RetryOptions;
}

/**
 * A task whose worker thread dies (process.exit, an uncaught error, out of memory) is submitted
 * once more, to a fresh worker thread; if that one dies too, the run fails with `fail`'s error.
 */
export interface RetryOptions {
  /**
   * The task to submit again. A task whose buffers were moved to the dead worker must be built
   * again (they are gone); without `rebuild` such a task is not retried.
   */
  rebuild?: (task: PoolTask) => PoolTask;
  /** The error of a task that failed twice (default: a UserError naming the task kind). */
  fail?: (task: PoolTask, cause: WorkerFaultError) => Error;
  /** Called before a task is submitted again. */
  onRetry?: (task: PoolTask, cause: WorkerFaultError) => void;
}

/** The worker thread running a task died before answering (not an error the task returned). */
export class WorkerFaultError extends Error {
  constructor(override readonly cause: Error) {
    super(`its worker thread stopped (${cause.message})`);
    this.name = 'WorkerFaultError';
  }
}

/**
 * A piscina pool running the tasks of `compute/pipeline/tasks.ts` in `dist/worker.js`. Results
 * come back in plan order whatever order the workers finish in, so 1 and N workers give the same
 * output; cancelling the signal aborts running tasks (piscina terminates their workers).
 */
export class WorkerPool {
  readonly workers: number;
  private piscina: Piscina;
  private readonly resourceLimits?: ResourceLimits;
  private readonly eager: boolean;
  /** Pools given up after a thread died in them, still being destroyed. */
  private readonly retired: Promise<void>[] = [];
  private destroyed: Promise<void> | undefined;

  constructor(options: PoolOptions = {}) {
    const n = options.workers ?? defaultWorkers();
    if (!Number.isInteger(n) || n < 1) {
      throw new UserError(`workers must be an integer >= 1 (got ${n})`);
    }
    this.workers = n;
    this.resourceLimits = options.resourceLimits;
    this.eager = options.eager ?? false;
    this.piscina = this.newPiscina();
  }

  private newPiscina(maxThreads = this.workers): Piscina {
    const piscina = new Piscina({
      filename: workerEntryPath(),
      minThreads: this.eager ? maxThreads : 0,
      maxThreads,
      idleTimeout: 2000,
      concurrentTasksPerWorker: TASKS_PER_THREAD,
      resourceLimits: this.resourceLimits,
    });
    // piscina emits a thread's death as its own 'error' event when the thread holds no task any
    // more: one of a pool being destroyed (retire) whose task was already failed, dying before it
    // is stopped. The tasks' own rejections already report every death that matters (runOn);
    // without a listener that event would be the whole process's uncaught exception (seen in the
    // pool-fault tests under load).
    piscina.on('error', () => undefined);
    return piscina;
  }

  /**
   * Swaps in a new piscina pool after a thread of `broken` died. piscina stops starting threads
   * for good when a thread dies before it reported ready ("fails during bootstrap"), which under
   * load includes a thread killed by its first task; the tasks still queued there would then
   * wait forever. Destroying the old pool rejects them, and runRetrying runs them again.
   */
  private retire(broken: Piscina): void {
    if (this.piscina !== broken) return; // already replaced
    this.piscina = this.newPiscina();
    this.retired.push(broken.destroy().catch(() => undefined));
  }

  /**
   * Runs one task; rejects with the task's error (UserError kept), CancelledError, or
   * WorkerFaultError when its worker thread died.
   */
  run<R>(task: PoolTask, options: RunOptions = {}): Promise<R> {
    return runOn<R>(this.piscina, task, options);
  }

  /**
   * Runs one task in a new thread of its own, stopped afterwards: a retry never lands on a
   * thread that already ran (and may be about to fail) other tasks.
   */
  private async runFresh<R>(task: PoolTask, options: RunOptions): Promise<R> {
    const fresh = this.newPiscina(1);
    try {
      return await runOn<R>(fresh, task, options);
    } finally {
      await fresh.destroy();
    }
  }

  /**
   * Runs tasks with at most `maxInFlight` submitted and unconsumed, yielding results in task
   * order. Stopping early (break) or a failure aborts the tasks still running.
   */
  async *runOrdered<R>(
    tasks: Iterable<PoolTask>,
    options: RunOrderedOptions = {},
  ): AsyncGenerator<R> {
    const maxInFlight = Math.max(1, options.maxInFlight ?? TASKS_PER_THREAD * this.workers + 2);
    const inner = new AbortController();
    const outer = options.signal;
    const onAbort = () => inner.abort(outer?.reason);
    if (outer?.aborted) throw cancellationOf(outer);
    outer?.addEventListener('abort', onAbort, { once: true });
    const queue: Promise<R>[] = [];
    const iterator = tasks[Symbol.iterator]();
    let exhausted = false;
    const fill = () => {
      while (!exhausted && queue.length < maxInFlight) {
        const next = iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const p = this.runRetrying<R>(next.value, inner.signal, options);
        p.catch(() => undefined); // consumed in order below; avoid unhandled rejections
        queue.push(p);
      }
    };
    try {
      fill();
      while (queue.length > 0) {
        const result = await queue.shift()!;
        fill();
        yield result;
      }
    } catch (err) {
      if (outer?.aborted) throw cancellationOf(outer);
      throw err;
    } finally {
      outer?.removeEventListener('abort', onAbort);
      if (queue.length > 0 || !exhausted) inner.abort(new CancelledError('stopped'));
    }
  }

  /** Runs a task; when its worker thread dies, runs it once more on a fresh one (RetryOptions). */
  private async runRetrying<R>(
    task: PoolTask,
    signal: AbortSignal,
    options: RunOrderedOptions,
  ): Promise<R> {
    const transferList = options.transferList?.(task);
    const pool = this.piscina;
    try {
      return await runOn<R>(pool, task, { signal, transferList });
    } catch (err) {
      if (!(err instanceof WorkerFaultError)) throw err;
      const retry = options.retry ?? {};
      const moved = transferList !== undefined && transferList.length > 0;
      if (moved && !retry.rebuild) throw retry.fail?.(task, err) ?? defaultFault(task, err);
      if (pool !== this.piscina) {
        // stopped because another task's thread died and its pool was retired: not this
        // task's fault, so it runs again on the new pool as if for the first time
        return this.runRetrying<R>(retry.rebuild ? retry.rebuild(task) : task, signal, options);
      }
      this.retire(pool);
      const again: PoolTask = { ...(retry.rebuild ? retry.rebuild(task) : task), attempt: 2 };
      retry.onRetry?.(task, err);
      try {
        return await this.runFresh<R>(again, {
          signal,
          transferList: options.transferList?.(again),
        });
      } catch (err2) {
        if (!(err2 instanceof WorkerFaultError)) throw err2;
        throw retry.fail?.(task, err2) ?? defaultFault(task, err2);
      }
    }
  }

  /** Stops every thread (again: the same promise). */
  destroy(): Promise<void> {
    this.destroyed ??= Promise.all([this.piscina.destroy(), ...this.retired]).then(() => undefined);
    return this.destroyed;
  }
}

/** Runs one task on `piscina`; see {@link WorkerPool.run}. */
async function runOn<R>(piscina: Piscina, task: PoolTask, options: RunOptions): Promise<R> {
  const { signal } = options;
  if (signal?.aborted) throw cancellationOf(signal);
  let reply: unknown;
  try {
    reply = await piscina.run(task, { signal: signal ?? null, transferList: options.transferList });
  } catch (err) {
    if (signal?.aborted) throw cancellationOf(signal);
    // Task errors come back as replies (worker.ts), so a rejection is the thread itself failing.
    throw new WorkerFaultError(err instanceof Error ? err : new Error(String(err)));
  }
  if (reply instanceof ArrayBuffer) return reply as R;
  const r = reply as WorkerReply;
  if (r.ok) return r.value as R;
  throw rebuildError(r);
}

function defaultFault(task: PoolTask, cause: WorkerFaultError): UserError {
  return new UserError(
    `a '${task.kind}' task failed: ${cause.message}. Free some memory or run with fewer workers.`,
  );
}

function rebuildError(r: { name: string; message: string; stack?: string; user: boolean }): Error {
  const err = r.user
    ? new UserError(r.message)
    : r.name === 'CancelledError'
      ? new CancelledError(r.message)
      : new Error(r.message);
  if (r.stack) err.stack = r.stack;
  return err;
}
