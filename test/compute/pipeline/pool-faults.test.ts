/**
 * A worker thread that dies while running a task (process.exit, an uncaught error, out of
 * memory): the pool runs the task once more on a fresh thread; a second death fails the task
 * with a UserError. Faults are injected with the selftest task's `die` option (worker-fault.ts).
 */
import type { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { WorkerPool, type PoolOptions } from '../../../compute/pipeline/pool';
import type { SelftestTask } from '../../../compute/pipeline/tasks';

const pools: WorkerPool[] = [];
const newPool = (options: PoolOptions) => {
  const p = new WorkerPool(options);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
});

const task = (value: number, die?: SelftestTask['die']): SelftestTask => ({
  kind: 'selftest',
  spinMs: 20,
  value,
  die,
});

async function collect(pool: WorkerPool, tasks: SelftestTask[], retry = {}): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of pool.runOrdered(tasks, { retry })) out.push(v);
  return out;
}

describe('WorkerPool when a worker thread dies', () => {
  it.each(['exit', 'throw'] as const)(
    '%s on the first attempt: the task is run again on a fresh thread, results in order',
    async (how) => {
      const pool = newPool({ workers: 2 });
      const retried: number[] = [];
      const got = await collect(
        pool,
        [
          task(1),
          task(2, { how, when: 'first' }),
          task(3),
          task(4, { how, when: 'first' }),
          task(5),
        ],
        { onRetry: (t: SelftestTask) => retried.push(t.value as number) },
      );
      expect(got).toEqual([1, 2, 3, 4, 5]);
      expect(retried.sort()).toEqual([2, 4]); // in whichever order the threads died
      // the pool keeps working
      expect(await collect(pool, [task(6)])).toEqual([6]);
    },
  );

  it('exit on every attempt: fails with a UserError saying the thread stopped, after one retry', async () => {
    const pool = newPool({ workers: 2 });
    let retries = 0;
    const err = await collect(pool, [task(1), task(2, { how: 'exit', when: 'always' }), task(3)], {
      onRetry: () => retries++,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      "a 'selftest' task failed: its worker thread stopped (worker exited with code: 70). Free some memory or run with fewer workers.",
    );
    expect(retries).toBe(1);
  });

  it('an uncaught error on every attempt: the error given by `fail`, naming the task', async () => {
    const pool = newPool({ workers: 1 });
    const err = await collect(pool, [task(7, { how: 'throw', when: 'always' })], {
      fail: (t: SelftestTask, cause: Error) =>
        new UserError(`task ${String(t.value)}: ${cause.message}`),
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'task 7: its worker thread stopped (injected uncaught error in a worker thread)',
    );
  });

  it('out of memory (worker heap limit) on every attempt: fails, and the process survives', async () => {
    const pool = newPool({ workers: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const err = await collect(pool, [task(8, { how: 'oom', when: 'always' })]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      /^a 'selftest' task failed: its worker thread stopped \(.*memory limit/,
    );
    expect(await collect(pool, [task(9)])).toEqual([9]);
  }, 60_000);

  it('a task whose buffers were moved is not resubmitted without `rebuild` (they are gone)', async () => {
    const pool = newPool({ workers: 1 });
    const buffer = new ArrayBuffer(16);
    const t = { ...task(10, { how: 'exit', when: 'first' }), payload: buffer };
    let retries = 0;
    const err = await (async () => {
      for await (const v of pool.runOrdered([t], {
        transferList: () => [buffer],
        retry: { onRetry: () => retries++ },
      }))
        void v;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(retries).toBe(0);
    // with `rebuild`, a fresh task (fresh buffers) is submitted and succeeds
    const fresh = () => ({
      ...task(11, { how: 'exit', when: 'first' }),
      payload: new ArrayBuffer(16),
    });
    const first = fresh();
    const got: unknown[] = [];
    for await (const v of pool.runOrdered([first], {
      transferList: (x) => [(x as typeof first).payload],
      retry: { rebuild: () => fresh() },
    }))
      got.push(v);
    expect(got).toEqual([11]);
  });

  it("a thread's death piscina reports with no task left (a retired pool's thread dying as it is stopped) is not the process's uncaught exception", async () => {
    const pool = newPool({ workers: 1 });
    expect(await collect(pool, [task(1)])).toEqual([1]);
    // every piscina the pool makes, the retired ones included (WorkerPool.newPiscina)
    const piscina = (pool as unknown as { piscina: EventEmitter }).piscina;
    const died = new Error('injected uncaught error in a worker thread');
    // without a listener, EventEmitter throws it: under vitest an "Unhandled error" failing the run
    expect(() => piscina.emit('error', died)).not.toThrow();
    expect(await collect(pool, [task(2)])).toEqual([2]);
  });
});
