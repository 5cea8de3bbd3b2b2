import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { CancelledError, UserError } from '../errors';
import type { PoolTask } from './tasks';
import type { WorkerReply } from './worker';
import { workerPath } from './worker-path';

export interface PoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  workers?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Buffers inside the task to move to the worker instead of copying. */
  transferList?: ArrayBuffer[];
}

export interface RunOrderedOptions {
  signal?: AbortSignal;
  /** Tasks submitted but not yet consumed, at most (bounds memory). Default 2 x workers. */
  maxInFlight?: number;
  /** Buffers of a task to move to the worker. */
  transferList?: (task: PoolTask) => ArrayBuffer[] | undefined;
}

/**
 * A piscina pool running the tasks of `compute/pipeline/tasks.ts` in `dist/worker.js`. Results
 * come back in plan order whatever order the workers finish in, so 1 and N workers give the same
 * output; cancelling the signal aborts running tasks (piscina terminates their workers).
 */
export class WorkerPool {
  readonly workers: number;
  private readonly piscina: Piscina;

  constructor(options: PoolOptions = {}) {
    const n = options.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) {
      throw new UserError(`workers must be an integer >= 1 (got ${n})`);
    }
    this.workers = n;
    this.piscina = new Piscina({
      filename: workerPath(),
      minThreads: 0,
      maxThreads: n,
      idleTimeout: 2000,
    });
  }

  /** Runs one task; rejects with the task's error (UserError kept) or CancelledError. */
  async run<R>(task: PoolTask, options: RunOptions = {}): Promise<R> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled(signal);
    let reply: unknown;
    try {
      reply = await this.piscina.run(task, {
        signal: signal ?? null,
        transferList: options.transferList,
      });
    } catch (err) {
      if (signal?.aborted) throw cancelled(signal);
      throw err;
    }
    if (reply instanceof ArrayBuffer) return reply as R;
    const r = reply as WorkerReply;
    if (r.ok) return r.value as R;
    throw rebuildError(r);
  }

  /**
   * Runs tasks with at most `maxInFlight` submitted and unconsumed, yielding results in task
   * order. Stopping early (break) or a failure aborts the tasks still running.
   */
  async *runOrdered<R>(
    tasks: Iterable<PoolTask>,
    options: RunOrderedOptions = {},
  ): AsyncGenerator<R> {
    const maxInFlight = Math.max(1, options.maxInFlight ?? 2 * this.workers);
    const inner = new AbortController();
    const outer = options.signal;
    const onAbort = () => inner.abort(outer?.reason);
    if (outer?.aborted) throw cancelled(outer);
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
        const p = this.run<R>(next.value, {
          signal: inner.signal,
          transferList: options.transferList?.(next.value),
        });
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
      if (outer?.aborted) throw cancelled(outer);
      throw err;
    } finally {
      outer?.removeEventListener('abort', onAbort);
      if (queue.length > 0 || !exhausted) inner.abort(new CancelledError('stopped'));
    }
  }

  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
}

function cancelled(signal: AbortSignal): CancelledError {
  const reason: unknown = signal.reason;
  return reason instanceof CancelledError ? reason : new CancelledError();
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
