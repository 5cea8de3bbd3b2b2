/**
 * `tsm run --data-dir DIR` records its run in DIR/runs/<run id>/record.json as the app records
 * its own, so the app's Runs page lists it and its Results page shows it (checked through the
 * web bridge, `node dist/web.js --data-dir DIR`); the output stays in --out. Oracle: the run's
 * own run.json beside the output, and the output file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunManager } from '../../../main/run-manager';
import { readParquetFile } from '../../../compute/io/parquet-file';
import type { QaData, RunRecord, RunResults, TablePage } from '../../../preload/api';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../../fixtures';
import { startBridge, stopBridges } from '../../reliability/bridge';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');

let dir: string;
let home: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-cli-run-record-'));
  home = join(dir, 'home');
  mkdirSync(home);
});
afterAll(() => {
  stopBridges();
  rmSync(dir, { recursive: true, force: true });
});

/** `tsm run` (dist/cli.js) with HOME in the test folder (its default data folder is there). */
function tsmRun(args: string[]) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist', 'cli.js'), 'run', ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const common = (out: string) => [
  '--specz',
  SPECZ,
  '--id',
  'id',
  '--dereddening',
  'none',
  '--seed',
  '4',
  '--progress',
  'none',
  '--workers',
  '0',
  '--out',
  out,
];

/** The records under DIR/runs (one folder per run, holding record.json and its log only). */
function records(dataDir: string): RunRecord[] {
  const runs = join(dataDir, 'runs');
  return readdirSync(runs).map((id) => {
    expect(readdirSync(join(runs, id)).filter((f) => f !== 'log.jsonl')).toEqual(['record.json']);
    return JSON.parse(readFileSync(join(runs, id, 'record.json'), 'utf8')) as RunRecord;
  });
}

describe('tsm run --data-dir records its run for the app', () => {
  it('a run that finished: listed by the app (web bridge) as done, with its counts, results, table and plots', async () => {
    const dataDir = join(dir, 'data');
    const out = join(dir, 'out');
    const r = tsmRun([
      ...common(out),
      '--photometry',
      PHOTOMETRY,
      '--name',
      'cli batch',
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [record] = records(dataDir);
    const file = join(dataDir, 'runs', record!.id, 'record.json');
    expect(r.stdout).toContain(`Listed on the app's Runs page (data folder ${dataDir}): ${file}`);
    expect(record!.id).toMatch(/^cli_batch-\d{8}T\d{6}-[a-z0-9]+$/);

    // the oracle: the engine's run.json beside the output, and the output itself
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const output = join(out, 'cli_batch.parquet');
    const rows = (await readParquetFile(output)).numRows;
    expect(rows).toBe(runJson.counts.written);

    const bridge = await startBridge(dataDir);
    const listed = await bridge.call<RunRecord[]>('listRuns', []);
    expect(listed.map((l) => [l.id, l.name, l.status])).toEqual([
      [record!.id, 'cli batch', 'done'],
    ]);
    const run = listed[0]!;
    expect(run.outputDir).toBe(out);
    expect(run.outputPath).toBe(output);
    expect(run.counts).toEqual({
      rowsIn: runJson.counts.speczIn,
      matched: runJson.counts.matchedSpecz,
      unmatched: runJson.counts.unmatchedSpecz,
      duplicatesResolved: 0,
      train: runJson.counts.train,
      test: runJson.counts.test,
      rowsOut: rows,
    });
    expect(run.seed).toBe(4);
    expect(run.project.specz.path).toBe(SPECZ);
    expect(run.project.photometry.location).toBe(PHOTOMETRY);
    expect(run.lastProgress?.stage).toBe('done');

    const results = await bridge.call<RunResults>('getRunResults', [run.id]);
    expect(results.outputMissing).toBeUndefined();
    expect(results.outputReplaced).toBeUndefined();
    const page = await bridge.call<TablePage>('getTablePage', [run.id, 0, 5]);
    expect(page.total).toBe(rows);
    expect(page.columns).toContain('is_training_set');
    const qa = await bridge.call<QaData>('getRunQa', [run.id]);
    expect(qa.sky.matchedCount).toBe(rows);
    expect(qa.sky.unmatchedCount).toBe(runJson.counts.speczIn - runJson.counts.matchedSpecz);
  }, 120_000);

  it('a run that failed: recorded as failed with the message tsm printed', () => {
    const dataDir = join(dir, 'data-failed');
    const gone = join(dir, 'no-such-catalog');
    const r = tsmRun([
      ...common(join(dir, 'out-failed')),
      '--photometry',
      gone,
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    const [record] = records(dataDir);
    expect(record!.status).toBe('failed');
    expect(r.stderr).toBe(`tsm run: ${record!.error}\n`);
    expect(record!.error).toContain(gone);
    expect(record!.finishedAt).toBeDefined();
  });

  it('without --data-dir nothing is recorded (not even in the default ~/.tsm-data)', () => {
    const r = tsmRun([...common(join(dir, 'out-plain')), '--photometry', PHOTOMETRY]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("app's Runs page");
    expect(existsSync(join(home, '.tsm-data', 'runs'))).toBe(false);
  });

  it('a data folder where the record cannot be written: a warning naming it; the training set is written', () => {
    const dataDir = join(dir, 'data-blocked');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'runs'), 'a file where the runs folder goes');
    const out = join(dir, 'out-blocked');
    const r = tsmRun([...common(out), '--photometry', PHOTOMETRY, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `^warning: the run was not recorded in ${join(dataDir, 'runs')} \\(.+\\), so the app's Runs page will not list it; make the data folder writable to record the next runs\\.\\n$`,
      ),
    );
    expect(existsSync(join(out, 'tsm.parquet'))).toBe(true);
  });

  it('a run going on: recorded running from its start, with tsm as its owner; the app lists it running while tsm lives, failed once it is killed', async () => {
    // a photometric catalog on a server that never answers: the run stays in its first stage
    const server: Server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    const dataDir = join(dir, 'data-going');
    const tmpGoing = join(dir, 'tmp-going');
    mkdirSync(tmpGoing);
    const proc = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist', 'cli.js'),
        'run',
        ...common(join(dir, 'out-going')),
        '--photometry',
        `http://127.0.0.1:${port}/catalog`,
        '--data-dir',
        dataDir,
      ],
      // killed below, it cannot remove its output lock: a temp folder of the test's own keeps it
      { env: { ...process.env, HOME: home, TMPDIR: tmpGoing } },
    );
    const exited = new Promise((done) => proc.once('exit', done));
    try {
      const runs = join(dataDir, 'runs');
      const deadline = Date.now() + 20_000;
      while (!existsSync(runs) || readdirSync(runs).length === 0) {
        if (Date.now() > deadline) throw new Error('tsm run wrote no record');
        await new Promise((done) => setTimeout(done, 100));
      }
      const [record] = records(dataDir);
      expect(record).toMatchObject({
        status: 'running',
        owner: { pid: proc.pid, program: 'tsm run' },
        project: { photometry: { location: `http://127.0.0.1:${port}/catalog` } },
      });
      const app = new RunManager(
        async () => ({
          dataDir,
          dustMapDir: '',
          workers: 1,
          cacheSizeMb: 0,
          stallSeconds: null,
        }),
        () => new Promise(() => undefined),
        { runProgress: () => undefined, runFinished: () => undefined },
      );
      expect(await app.list()).toMatchObject([
        {
          id: record!.id,
          status: 'running',
          runningElsewhere: `Running in tsm run (pid ${proc.pid}).`,
        },
      ]);
      proc.kill('SIGKILL');
      await exited;
      expect(await app.list()).toMatchObject([
        {
          id: record!.id,
          status: 'failed',
          error: `The tsm run process (pid ${proc.pid}) stopped while this run was in progress; run it again.`,
        },
      ]);
    } finally {
      proc.kill('SIGKILL');
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);
  it('a run going on is cancelled from the app: tsm stops it as Ctrl-C does, says from where, and its record says so', async () => {
    const server: Server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    const dataDir = join(dir, 'data-cancelled');
    const out = join(dir, 'out-cancelled');
    const proc = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist', 'cli.js'),
        'run',
        ...common(out),
        '--photometry',
        `http://127.0.0.1:${port}/catalog`,
        '--data-dir',
        dataDir,
      ],
      { env: { ...process.env, HOME: home } },
    );
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => proc.once('exit', done));
    try {
      const runs = join(dataDir, 'runs');
      const deadline = Date.now() + 20_000;
      while (!existsSync(runs) || readdirSync(runs).length === 0) {
        if (Date.now() > deadline) throw new Error('tsm run wrote no record');
        await new Promise((done) => setTimeout(done, 100));
      }
      const [record] = records(dataDir);
      const app = new RunManager(
        async () => ({ dataDir, dustMapDir: '', workers: 1, cacheSizeMb: 0, stallSeconds: null }),
        () => new Promise(() => undefined),
        { runProgress: () => undefined, runFinished: () => undefined },
        'the app',
      );
      const askedAt = Date.now();
      await app.cancel(record!.id);
      // measured, not asserted (a loaded machine)
      console.log(`tsm run cancelled from the app: recorded after ${Date.now() - askedAt} ms`);
      const reason = `Cancelled from the app (pid ${process.pid})`;
      expect(await exited).toBe(130);
      expect(stderr).toContain(`tsm: ${reason}\n`);
      expect(records(dataDir)).toMatchObject([
        { id: record!.id, status: 'cancelled', error: reason },
      ]);
      expect(await app.list()).toMatchObject([{ id: record!.id, status: 'cancelled' }]);
      // no request left, and no output (the run stopped before any)
      expect(existsSync(join(runs, record!.id, 'cancel-request.json'))).toBe(false);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    } finally {
      proc.kill('SIGKILL');
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);
});
