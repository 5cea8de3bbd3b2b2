import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../compute/errors';
import { WorkerPool } from '../../../compute/pipeline/pool';
import type { SelftestTask } from '../../../compute/pipeline/tasks';
import { workerEntryPath, workerPath } from '../../../compute/pipeline/worker-path';
import { parseTaskDelay, TASK_DELAY_ENV } from '../../../compute/pipeline/worker-fault';

const pools: WorkerPool[] = [];
const newPool = (workers: number) => {
  const p = new WorkerPool({ workers });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
});

const spin = (spinMs: number, value: unknown): SelftestTask => ({
  kind: 'selftest',
  spinMs,
  value,
});

describe('workerPath', () => {
  it('finds dist/worker.js from the TypeScript sources', () => {
    expect(workerPath()).toMatch(/dist[/\\]worker\.js$/);
  });

  it('gives the threads the CommonJS entry beside it, which import()s the bundle', async () => {
    // Node 20 aborts the process when a thread is stopped while require() instantiates an ES
    // module (scripts/build.mjs); the entry must load the bundle with import(), not require()
    const entry = workerEntryPath();
    expect(entry).toBe(join(dirname(workerPath()), 'worker-entry.cjs'));
    const source = await readFile(entry, 'utf8');
    expect(source).toContain("import(pathToFileURL(join(__dirname, 'worker.js')).href)");
    expect(source).not.toMatch(/require\([^)]*worker\.js/);
  });
});

describe('WorkerPool', () => {
  it('returns results in plan order although they finish out of order', async () => {
    const pool = newPool(2);
    const tasks = [spin(300, 'a'), spin(5, 'b'), spin(150, 'c'), spin(1, 'd'), spin(40, 'e')];
    const got: string[] = [];
    for await (const v of pool.runOrdered<string>(tasks, { maxInFlight: 3 })) {
      got.push(v);
    }
    expect(got).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('runs the tasks a thread holds one at a time, in the order they came', async () => {
    const pool = newPool(1);
    const sleep = (sleepMs: number): SelftestTask => ({ kind: 'selftest', spinMs: 0, sleepMs });
    // all handed to the one thread at once; each leaves the thread free while it waits
    const spans = await Promise.all(
      [60, 10, 40, 10].map((ms) => pool.run<{ started: number; ended: number }>(sleep(ms))),
    );
    for (let k = 1; k < spans.length; k++) {
      expect(spans[k].started).toBeGreaterThanOrEqual(spans[k - 1].ended);
    }
    expect(spans[3].ended - spans[0].started).toBeGreaterThanOrEqual(120);
  });

  it('moves ArrayBuffer results (Piscina.move) intact', async () => {
    const pool = newPool(1);
    const buf = await pool.run<ArrayBuffer>({
      kind: 'selftest',
      spinMs: 0,
      bytes: 1000,
    } as SelftestTask);
    expect(buf).toBeInstanceOf(ArrayBuffer);
    const b = new Uint8Array(buf);
    expect(b.length).toBe(1000);
    expect(b[500]).toBe(500 % 251);
  });

  it('keeps UserError messages from the worker', async () => {
    const pool = newPool(1);
    await expect(
      pool.run({ kind: 'selftest', spinMs: 0, fail: 'column x of f.csv is bad' } as SelftestTask),
    ).rejects.toThrow(UserError);
    await expect(pool.run({ kind: 'nope' })).rejects.toThrow(/unknown task kind 'nope'/);
  });

  it('cancels running CPU-bound tasks promptly', async () => {
    const pool = newPool(2);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new CancelledError('test cancel')), 300);
    const seen: unknown[] = [];
    const run = (async () => {
      for await (const v of pool.runOrdered([spin(20_000, 1), spin(20_000, 2), spin(20_000, 3)], {
        signal: controller.signal,
      })) {
        seen.push(v);
      }
    })();
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(5000); // 20 s of work were queued
    expect(seen).toEqual([]);
    // The pool still works afterwards.
    expect(await pool.run(spin(0, 'ok'))).toBe('ok');
  });

  it('bounds the tasks in flight', async () => {
    const pool = newPool(2);
    let pulled = 0;
    function* tasks() {
      for (let i = 0; i < 20; i++) {
        pulled++;
        yield spin(5, i);
      }
    }
    const it = pool.runOrdered<number>(tasks(), { maxInFlight: 3 });
    const first = await it.next();
    expect(first.value).toBe(0);
    expect(pulled).toBeLessThanOrEqual(4);
    await it.return(undefined);
  });
});

describe(`${TASK_DELAY_ENV} (tests only)`, () => {
  afterEach(() => {
    delete process.env[TASK_DELAY_ENV];
  });

  it('reads whole milliseconds up to a minute and refuses anything else', () => {
    expect(parseTaskDelay(undefined)).toBe(0);
    expect(parseTaskDelay(' 250 ')).toBe(250);
    for (const bad of ['-1', '1.5', 'soon', '60001']) {
      expect(() => parseTaskDelay(bad), bad).toThrow(/expected whole milliseconds/);
    }
  });

  it('holds every task that long in its worker thread before it runs', async () => {
    process.env[TASK_DELAY_ENV] = '200';
    const pool = newPool(1); // threads take the environment they start with
    const started = performance.now();
    const answers = await Promise.all(['a', 'b'].map((v) => pool.run<string>(spin(0, v))));
    expect(answers).toEqual(['a', 'b']);
    // the thread runs its tasks one at a time, so the two waits add up
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });
});
