import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../compute/errors';
import { defaultProject } from '../../compute/pipeline/project';
import {
  PROCESS_TOKEN,
  RECORD_REFRESH_MS,
  RECORD_STALE_MS,
} from '../../compute/pipeline/app-record';
import type { RunProgress } from '../../compute/pipeline/progress';
import { ARG_SCHEMAS } from '../../main/api-schemas';
import { APP_CLOSED_REASON, RunManager, type RunEngine } from '../../main/run-manager';
import { runWithEngine } from '../../main/engine/run-engine';
import { SettingsStore } from '../../main/settings-store';
import type { RunRecord } from '../../preload/api';
import { PROJECT_ROOT } from '../fixtures';

let dir: string;
let progress: [string, RunProgress][];
let finished: RunRecord[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-runs-'));
  progress = [];
  finished = [];
});
// a run still going when its test ends may append to its log file during the removal: tried again
afterEach(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));

const settings = async () => ({
  dataDir: dir,
  dustMapDir: '',
  workers: 1,
  cacheSizeMb: 0,
  stallSeconds: null,
});
const events = {
  runProgress: (id: string, p: RunProgress) => progress.push([id, p]),
  runFinished: (r: RunRecord) => finished.push(r),
};
const project = (name = 'My set') => ({
  ...defaultProject(),
  name,
  specz: { ...defaultProject().specz, catalogId: 'sz-1' },
  photometry: { ...defaultProject().photometry, location: '/cats/dp1' },
});
const step = (pixelsDone: number): RunProgress => ({
  stage: 'crossmatch',
  pixelsDone,
  pixelsTotal: 2,
  rowsMatched: pixelsDone * 5,
  bytesRead: 100,
  elapsedMs: 1,
});

/** An engine that reports two pixels, then waits for `release` or the abort signal. */
function controllableEngine() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const seen: { folder?: string } = {};
  const engine: RunEngine = async (p, options) => {
    seen.folder = p.output.folder;
    options.onProgress(step(1));
    await Promise.race([
      gate,
      new Promise((_, reject) =>
        options.signal.addEventListener('abort', () => reject(options.signal.reason as Error)),
      ),
    ]);
    options.onProgress(step(2));
    writeFileSync(join(p.output.folder, 'my_set.parquet'), 'rows');
    return {
      outputPath: join(p.output.folder, 'my_set.parquet'),
      counts: {
        rowsIn: 40,
        matched: 10,
        unmatched: 30,
        duplicatesResolved: 0,
        train: 7,
        test: 3,
        rowsOut: 10,
      },
      seed: 16125422,
    };
  };
  return { engine, release, seen };
}

describe('RunManager', () => {
  it('gives a run an id the requests accept, whatever its name', async () => {
    const { engine, release } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    for (const name of ['Café set / DP1 #1', '训练集 (v2)', 'x'.repeat(300)]) {
      const run = await runs.start(project(name));
      release();
      await runs.whenFinished(run.id);
      // a '#' in the id made every later request about the run (its results) invalid
      expect(ARG_SCHEMAS.getRunResults.safeParse([run.id]).success, run.id).toBe(true);
      expect(run.name).toBe(name);
    }
    expect((await runs.list()).map((r) => r.id.replace(/-\d{8}T\d{6}-\w+$/, ''))).toEqual(
      expect.arrayContaining(['Cafe_set_DP1_1', 'v2_', 'x'.repeat(80)]),
    );
  });

  it('records the seed the run used (drawn when the project left it empty)', async () => {
    const { engine, release } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    expect(run.project.split.seed).toBeNull();
    release();
    await runs.whenFinished(run.id);
    expect((await runs.get(run.id)).seed).toBe(16125422);
    expect(finished[0].seed).toBe(16125422);
  });

  it("refuses a relative output folder that leads out of the run's folder, starting nothing", async () => {
    const { engine } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const escaping = { ...project(), output: { ...project().output, folder: '../../escape' } };
    await expect(runs.start(escaping)).rejects.toThrow(
      new UserError(
        "output.folder: '../../escape' leads out of the run's own folder; give an absolute path for a folder elsewhere",
      ),
    );
    expect(await runs.list()).toEqual([]);
    expect(existsSync(join(dir, 'escape'))).toBe(false);
    // inside it, or absolute, is fine
    const inside = { ...project(), output: { ...project().output, folder: 'sub/../out' } };
    const started = await runs.start(inside);
    expect(started.status).toBe('running');
    // a run left going rewrote its record.json after the test's folder was removed
    await runs.cancel(started.id);
  });

  it('runs in the background, relays progress and records the finished run', async () => {
    const { engine, release, seen } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    expect(run.status).toBe('running');
    expect(run.outputDir).toBe(join(dir, 'runs', run.id));
    expect(seen.folder).toBe(run.outputDir);
    expect(run.project.output.folder).toBe('.');
    release();
    await runs.whenFinished(run.id);
    expect(progress.map(([id, p]) => [id, p.pixelsDone])).toEqual([
      [run.id, 1],
      [run.id, 2],
    ]);
    expect(finished[0]).toMatchObject({
      id: run.id,
      status: 'done',
      counts: { matched: 10, rowsOut: 10 },
    });
    expect(finished[0].lastProgress?.pixelsDone).toBe(2);
    expect(finished[0].warnings).toEqual([]);
    // the output's time, to tell a later overwrite (output-stamp.ts)
    expect(finished[0].outputWrittenMs).toBe(
      statSync(join(run.outputDir, 'my_set.parquet')).mtimeMs,
    );
    const listed = await runs.list();
    expect(listed.map((r) => [r.id, r.status])).toEqual([[run.id, 'done']]);
    expect(existsSync(join(dir, 'runs', run.id, 'record.json'))).toBe(true);
  });

  it('keeps the log lines and latest progress of its runs, for a page that opens late', async () => {
    const { engine, release } = controllableEngine();
    const messages: RunEngine = (p, options) =>
      engine(p, {
        ...options,
        onProgress: (prog) =>
          options.onProgress({ ...prog, message: `pixel ${prog.pixelsDone} of 2` }),
      });
    const runs = new RunManager(settings, messages, events);
    const run = await runs.start(project());
    // the first pixel was reported before anyone asked
    expect(runs.log(run.id)).toEqual({
      progress: { ...step(1), message: 'pixel 1 of 2' },
      lines: [{ elapsedMs: 1, message: 'pixel 1 of 2' }],
    });
    release();
    await runs.whenFinished(run.id);
    expect(runs.log(run.id).lines.map((l) => l.message)).toEqual(['pixel 1 of 2', 'pixel 2 of 2']);
    expect(runs.log(run.id).progress?.pixelsDone).toBe(2);
    // a run of another session (or none) has no log here
    expect(runs.log('not-a-run')).toEqual({ progress: null, lines: [] });
    expect(ARG_SCHEMAS.getRunLog.safeParse([run.id]).success).toBe(true);
  });

  it("keeps the engine's warnings and output column names with the finished run: event, record.json, list and get", async () => {
    const warnings = [
      'No cross matches were found: no spec-z row of /a/specz has a photometric object of /cats/dp1 within 1 arcsec.',
      'Pixel Norder=3 Npix=42: the worker thread died (out of memory); the task ran again in a fresh thread.',
    ];
    const engine: RunEngine = async (p) => ({
      outputPath: join(p.output.folder, 'my_set.parquet'),
      counts: {
        rowsIn: 3,
        matched: 0,
        unmatched: 3,
        duplicatesResolved: 0,
        train: 0,
        test: 0,
        rowsOut: 0,
      },
      warnings,
      speczColumns: { ra: 'ra', dec: 'dec', z: 'redshift' },
    });
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    await runs.whenFinished(run.id);
    expect(finished[0]).toMatchObject({ status: 'done', warnings });
    const stored = JSON.parse(
      readFileSync(join(dir, 'runs', run.id, 'record.json'), 'utf8'),
    ) as RunRecord;
    expect(stored.warnings).toEqual(warnings);
    // the output's spec-z column names, which the results page reads (main/engine/results.ts)
    expect(stored.speczColumns).toEqual({ ra: 'ra', dec: 'dec', z: 'redshift' });
    expect((await runs.list())[0].warnings).toEqual(warnings);
    expect((await runs.get(run.id)).warnings).toEqual(warnings);
  });

  it('reads back a record.json whose warnings are not texts with one warning naming the file', async () => {
    const file = join(dir, 'runs', 'odd-run', 'record.json');
    mkdirSync(join(dir, 'runs', 'odd-run'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        id: 'odd-run',
        name: 'odd',
        status: 'done',
        startedAt: '2026-01-01T00:00:00.000Z',
        project: project(),
        outputDir: '/x',
        warnings: [{ text: 'not a string' }],
      }),
    );
    const runs = new RunManager(settings, controllableEngine().engine, events);
    const expected = [
      `${file}: "warnings" is not a list of texts; the run's warnings cannot be shown.`,
    ];
    expect((await runs.get('odd-run')).warnings).toEqual(expected);
    expect((await runs.list())[0].warnings).toEqual(expected);
  });

  it('cancels a running run and records it as cancelled', async () => {
    const { engine } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    await runs.cancel(run.id);
    expect(finished[0].status).toBe('cancelled');
    expect(finished[0].error).toBeUndefined();
    expect((await runs.get(run.id)).status).toBe('cancelled');
    expect(runs.isActive(run.id)).toBe(false);
  });

  it('records a run cancelled by the app closing with that reason, not as cancelled by the user', async () => {
    const { engine } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    await runs.cancelAll();
    expect(finished[0].status).toBe('cancelled');
    // it read "Cancelled by the user" in the log and said nothing more in the history
    expect(finished[0].error).toBe('Cancelled because the app was closed during the run');
    expect((await runs.get(run.id)).error).toBe(APP_CLOSED_REASON);
  });

  it('removes the new absolute output folder it made when the run is cancelled, keeping one that was there', async () => {
    const { engine } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const fresh = join(dir, 'elsewhere', 'new-out');
    const withFolder = (folder: string) => {
      const p = project();
      return { ...p, output: { ...p.output, folder } };
    };
    const run = await runs.start(withFolder(fresh));
    expect(existsSync(fresh)).toBe(true);
    await runs.cancel(run.id);
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    expect((await runs.get(run.id)).status).toBe('cancelled');
    const kept = join(dir, 'kept');
    mkdirSync(kept);
    const again = await runs.start(withFolder(kept));
    await runs.cancel(again.id);
    expect(existsSync(kept)).toBe(true);
  });

  it('records a failed run with the engine message', async () => {
    const engine: RunEngine = async () => {
      throw new UserError('No cross matches were found: check that the catalogs overlap');
    };
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    await runs.whenFinished(run.id);
    expect(finished[0]).toMatchObject({
      status: 'failed',
      error: 'No cross matches were found: check that the catalogs overlap',
    });
  });

  it('says to add a moved photometric catalog again, where the engine says to check the path', async () => {
    // the real engine, on a catalog folder that was there when added and is gone now
    const moved = join(dir, 'hats', 'dp02_object');
    const runs = new RunManager(settings, runWithEngine, events);
    const p = project();
    const run = await runs.start({ ...p, photometry: { ...p.photometry, location: moved } });
    await runs.whenFinished(run.id);
    expect(finished[0]).toMatchObject({
      status: 'failed',
      error: `${moved}: no such folder (moved or deleted?). A catalog's location cannot be changed: on the Catalogs page, delete the catalog and add it again from its new place`,
    });
  });

  it('treats a CancelledError from the engine as a cancel', async () => {
    const runs = new RunManager(settings, async () => Promise.reject(new CancelledError()), events);
    const run = await runs.start(project());
    await runs.whenFinished(run.id);
    expect(finished[0].status).toBe('cancelled');
  });

  it('refuses an invalid project before starting, naming the fields', async () => {
    const runs = new RunManager(settings, controllableEngine().engine, events);
    await expect(runs.start(defaultProject())).rejects.toThrow(/^name: This field is required/);
    expect(await runs.list()).toEqual([]);
  });

  it('lists runs newest first and marks runs orphaned by a crash as failed', async () => {
    const old = {
      id: 'old-run',
      name: 'old',
      status: 'running',
      startedAt: '2026-01-01T00:00:00.000Z',
      project: project(),
      outputDir: '/x',
    };
    mkdirSync(join(dir, 'runs', 'old-run'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'old-run', 'record.json'), JSON.stringify(old));
    const { engine, release } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project('new'));
    const listed = await runs.list();
    expect(listed.map((r) => [r.id, r.status])).toEqual([
      [run.id, 'running'],
      ['old-run', 'failed'],
    ]);
    expect(listed[1].error).toMatch(/app closed while this run was in progress/);
    release();
    await runs.whenFinished(run.id);
  });
});

describe('RunManager: run records that cannot be saved (a full disk, a read-only data folder)', () => {
  it("a finished run whose record.json cannot be written still finishes: told, listed as done, with a warning (the app's process stopped on the unhandled rejection)", async () => {
    const { engine, release } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    const run = await runs.start(project());
    // the final write fails (here a folder in the place of its .partial)
    mkdirSync(join(dir, 'runs', run.id, 'record.json.partial'));
    release();
    await runs.whenFinished(run.id);
    expect(finished.map((r) => [r.id, r.status])).toEqual([[run.id, 'done']]);
    const note = `Its record could not be saved, so the Runs page will not show how it ended after the app restarts: EISDIR: illegal operation on a directory, open '${join(dir, 'runs', run.id, 'record.json.partial')}'`;
    expect(finished[0].warnings).toEqual([note]);
    expect((await runs.get(run.id)).status).toBe('done');
    expect((await runs.list()).map((r) => [r.status, r.warnings])).toEqual([['done', [note]]]);
  });

  it('a run whose first record cannot be written does not start, and the output folder made for it goes', async () => {
    const { engine } = controllableEngine();
    const runs = new RunManager(settings, engine, events);
    writeFileSync(join(dir, 'runs'), 'a file in the place of the runs folder');
    const out = join(dir, 'new-out');
    const p = { ...project(), output: { ...project().output, folder: out } };
    await expect(runs.start(p)).rejects.toThrow(/runs/);
    expect(existsSync(out)).toBe(false);
    expect(finished).toEqual([]);
  });
});

describe('RunManager, the data folder removed during a run', () => {
  it(
    'ends the run without making the data folder again for its record, and says why it was not saved',
    { timeout: 20_000 },
    async () => {
      const data = join(dir, 'data');
      const store = new SettingsStore(join(dir, 'settings.json'), {
        dataDir: data,
        dustMapDir: '',
        workers: 1,
        cacheSizeMb: 0,
        stallSeconds: null,
      });
      const out = join(dir, 'out');
      let madeAgain: boolean | undefined;
      const engine: RunEngine = async (p) => {
        rmSync(data, { recursive: true }); // its disk unmounted while the run read
        // the record's refresh while the run goes on does not make it again either
        await delay(RECORD_REFRESH_MS + 1_500);
        madeAgain = existsSync(data);
        writeFileSync(join(p.output.folder, 'my_set.parquet'), 'rows');
        return {
          outputPath: join(p.output.folder, 'my_set.parquet'),
          counts: {
            rowsIn: 40,
            matched: 10,
            unmatched: 30,
            duplicatesResolved: 0,
            train: 7,
            test: 3,
            rowsOut: 10,
          },
        };
      };
      const runs = new RunManager(() => store.checked(), engine, events);
      const run = await runs.start({ ...project(), output: { ...project().output, folder: out } });
      await runs.whenFinished(run.id);
      // record.json was written into a new, empty data folder made at the old path
      expect(madeAgain).toBe(false);
      expect(existsSync(data)).toBe(false);
      expect(finished[0].status).toBe('done');
      expect(finished[0].warnings).toEqual([
        `Its record could not be saved, so the Runs page will not show how it ended after the app restarts: The data folder ${data} is not there any more (deleted, moved, or its disk not connected), so its catalogs and runs cannot be shown and nothing is saved there: reconnect its disk (or put the folder back) and reload, or choose another data folder in Settings.`,
      ]);
    },
  );
});

describe('RunManager: a run another process on the data folder is running', () => {
  let childDir: string;
  let child: string;
  beforeAll(async () => {
    childDir = mkdtempSync(join(tmpdir(), 'tsm-run-owner-child-'));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(childDir, 'node_modules'));
    child = join(childDir, 'run-owner-child.mjs');
    await build({
      entryPoints: [join(PROJECT_ROOT, 'test', 'helpers', 'run-owner-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: child,
      logLevel: 'error',
    });
  }, 60_000);
  afterAll(() => rmSync(childDir, { recursive: true, force: true }));

  const recordFile = (id: string) => join(dir, 'runs', id, 'record.json');
  const stored = (id: string) => JSON.parse(readFileSync(recordFile(id), 'utf8')) as RunRecord;
  /** A record "running" of `owner`, written `ageMs` ago. */
  function writeRunning(id: string, owner: unknown, ageMs = 0): void {
    const record = {
      id,
      name: id,
      status: 'running',
      startedAt: '2026-01-01T00:00:00.000Z',
      project: project(),
      outputDir: '/x',
      owner,
    };
    mkdirSync(join(dir, 'runs', id), { recursive: true });
    writeFileSync(recordFile(id), JSON.stringify(record));
    const when = new Date(Date.now() - ageMs);
    utimesSync(recordFile(id), when, when);
  }

  /** Starts the child running a run; resolves it, its run's id, what it prints and its exit. */
  async function startChild() {
    const proc = spawn(process.execPath, [child, dir]);
    const exited = new Promise<number | null>((done) => proc.once('exit', done));
    let out = '';
    const id = await new Promise<string>((done, fail) => {
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) done(out.split('\n')[0]!.trim());
      });
      proc.stderr.on('data', (d: Buffer) => fail(new Error(d.toString())));
    });
    return { proc, exited, id, output: () => out };
  }

  it('shows it running while that process lives (with its progress), failed once it is killed; never rewrites it', async () => {
    const { proc, exited, id } = await startChild();
    try {
      expect(stored(id).owner).toMatchObject({ pid: proc.pid, host: hostname() });
      const reader = new RunManager(settings, controllableEngine().engine, events);
      const [listed] = await reader.list();
      expect(listed).toMatchObject({ id, status: 'running' });
      expect(listed!.runningElsewhere).toBe(`Running in the web bridge (pid ${proc.pid}).`);
      expect((await reader.get(id)).status).toBe('running');
      // the owner writes the record again every few seconds, with its progress so far
      const deadline = Date.now() + RECORD_REFRESH_MS + 5_000;
      while (!stored(id).lastProgress && Date.now() < deadline) await delay(200);
      expect(stored(id).lastProgress).toMatchObject({ pixelsDone: 1, pixelsTotal: 2 });
      expect((await reader.list())[0]!.runningElsewhere).toBe(
        `Running in the web bridge (pid ${proc.pid}): 1 of 2 pixels done.`,
      );
      const before = readFileSync(recordFile(id), 'utf8');
      proc.kill('SIGKILL');
      await exited;
      const [after] = await reader.list();
      expect(after).toMatchObject({
        id,
        status: 'failed',
        error: 'The app closed while this run was in progress; run it again.',
      });
      expect(after!.runningElsewhere).toBeUndefined();
      // shown failed, not written so: the file is the owner's as it left it
      expect(readFileSync(recordFile(id), 'utf8')).toBe(before);
      expect(stored(id).status).toBe('running');
    } finally {
      proc.kill('SIGKILL');
    }
  }, 30_000);

  it("follows its log: the lines so far, then each one its process writes, relayed as its own runs' are; failed once its process is killed", async () => {
    const { proc, exited, id } = await startChild();
    try {
      const relayed: string[] = [];
      const ended: RunRecord[] = [];
      const reader = new RunManager(settings, controllableEngine().engine, {
        runProgress: (runId, p) => {
          if (runId === id && p.message) relayed.push(p.message);
        },
        runFinished: (r) => ended.push(r),
      });
      // a few lines written before the page opens
      while (!existsSync(join(dir, 'runs', id, 'log.jsonl'))) await delay(50);
      await delay(700);
      const sofar = await reader.followLog(id);
      const first = sofar.lines.map((l) => l.message);
      expect(first.length).toBeGreaterThanOrEqual(2);
      expect(first).toEqual(first.map((_, k) => `line ${k + 1}`));
      expect(sofar.progress).toMatchObject({ pixelsDone: 1, pixelsTotal: 2 });
      // then every later line, once, in order, as its owner writes them (one each 300 ms)
      const deadline = Date.now() + 10_000;
      while (relayed.length < 3 && Date.now() < deadline) await delay(100);
      expect(relayed.slice(0, 3)).toEqual([1, 2, 3].map((k) => `line ${first.length + k}`));
      // its process killed: the page following it hears that the run failed, and why
      proc.kill('SIGKILL');
      await exited;
      const end = Date.now() + 10_000;
      while (ended.length === 0 && Date.now() < end) await delay(100);
      expect(ended).toMatchObject([
        {
          id,
          status: 'failed',
          error: 'The app closed while this run was in progress; run it again.',
        },
      ]);
    } finally {
      proc.kill('SIGKILL');
    }
  }, 30_000);

  it('cancels it: its process stops it as its own Cancel does, the record saying from where; the pages hear how it ended', async () => {
    const { proc, exited, id, output } = await startChild();
    try {
      const ended: RunRecord[] = [];
      const reader = new RunManager(settings, controllableEngine().engine, {
        runProgress: () => undefined,
        runFinished: (r) => ended.push(r),
      });
      await reader.followLog(id);
      const askedAt = Date.now();
      await reader.cancel(id);
      const tookMs = Date.now() - askedAt;
      // measured, not asserted (a loaded machine): fs.watch tells the owner at once
      console.log(`cancel from another process: its record said cancelled after ${tookMs} ms`);
      const reason = `Cancelled from the web bridge (pid ${process.pid})`;
      expect(stored(id)).toMatchObject({ status: 'cancelled', error: reason });
      expect(stored(id).finishedAt).toBeDefined();
      // its process ended the run and exited on its own, saying how
      expect(await exited).toBe(0);
      expect(output()).toContain(`cancelled: ${reason}\n`);
      // nothing half-written: no request, no .partial, no output folder made for it left
      expect(readdirSync(join(dir, 'runs', id)).sort()).toEqual(['log.jsonl', 'record.json']);
      const deadline = Date.now() + 5_000;
      while (ended.length === 0 && Date.now() < deadline) await delay(50);
      expect(ended).toMatchObject([{ id, status: 'cancelled', error: reason }]);
      expect((await reader.get(id)).status).toBe('cancelled');
    } finally {
      proc.kill('SIGKILL');
    }
  }, 30_000);

  it('refuses to cancel a run that ended, whose process is gone, or of another host, and writes nothing', async () => {
    const alive = { pid: process.pid, host: hostname(), token: 'another', program: 'tsm run' };
    writeRunning('dead', { ...alive, pid: deadPid() });
    writeRunning('far', { ...alive, pid: 1, host: 'elsewhere', program: 'the app' });
    writeRunning('ended', alive);
    writeFileSync(recordFile('ended'), JSON.stringify({ ...stored('ended'), status: 'done' }));
    const before = ['dead', 'far', 'ended'].map((id) => readFileSync(recordFile(id), 'utf8'));
    const runs = new RunManager(settings, controllableEngine().engine, events);
    await expect(runs.cancel('ended')).rejects.toThrow(
      'Run ended had already ended (done) when Cancel was asked: nothing was cancelled.',
    );
    await expect(runs.cancel('dead')).rejects.toThrow(
      /^The tsm run process \(pid \d+\) stopped while this run was in progress; run it again\. There is nothing to cancel: the run is listed failed, its record left as it is\.$/,
    );
    await expect(runs.cancel('far')).rejects.toThrow(
      'Run far runs in the app (pid 1 on elsewhere), on another computer: only a process on elsewhere can cancel it; cancel it there.',
    );
    expect(['dead', 'far', 'ended'].map((id) => readFileSync(recordFile(id), 'utf8'))).toEqual(
      before,
    );
    for (const id of ['dead', 'far', 'ended']) {
      expect(readdirSync(join(dir, 'runs', id))).toEqual(['record.json']);
    }
  });

  it("another RunManager's run in this process is running too, until it ends", async () => {
    const { engine, release } = controllableEngine();
    const owner = new RunManager(settings, engine, events, 'tsm run');
    const run = await owner.start(project('mine'));
    const reader = new RunManager(settings, controllableEngine().engine, events);
    expect((await reader.list())[0]).toMatchObject({
      status: 'running',
      runningElsewhere: `Running in tsm run (pid ${process.pid}).`,
    });
    release();
    await owner.whenFinished(run.id);
    const [done] = await reader.list();
    expect(done).toMatchObject({ status: 'done', owner: { pid: process.pid } });
    expect(done!.runningElsewhere).toBeUndefined();
  });

  it('judges the owner: gone, an earlier process given this pid, a stale record, another host, or not valid', async () => {
    const alive = { pid: process.pid, host: hostname(), token: PROCESS_TOKEN, program: 'tsm run' };
    writeRunning('fresh', alive);
    writeRunning('dead-pid', { ...alive, pid: deadPid() });
    writeRunning('pid-reused', { ...alive, token: 'an-earlier-process' });
    writeRunning('stale', alive, RECORD_STALE_MS + 5_000);
    writeRunning('other-host', { ...alive, pid: 1, host: 'elsewhere', program: 'the app' });
    writeRunning('other-host-stale', { ...alive, host: 'elsewhere' }, RECORD_STALE_MS + 5_000);
    writeRunning('no-owner', undefined);
    writeRunning('bad-pid', { ...alive, pid: 'one' });
    writeRunning('bad-owner', 'pid 12');
    const runs = new RunManager(settings, controllableEngine().engine, events);
    const byId = Object.fromEntries((await runs.list()).map((r) => [r.id, r]));
    const gone = 'The tsm run process (pid';
    expect(byId.fresh).toMatchObject({
      status: 'running',
      runningElsewhere: `Running in tsm run (pid ${process.pid}).`,
    });
    expect(byId['other-host']).toMatchObject({
      status: 'running',
      runningElsewhere:
        'Running in the app (pid 1 on elsewhere); cancel it on elsewhere: a run of another computer cannot be cancelled from here.',
    });
    for (const id of ['dead-pid', 'pid-reused', 'stale', 'other-host-stale']) {
      expect(byId[id], id).toMatchObject({ status: 'failed' });
      expect(byId[id]!.error, id).toContain(gone);
    }
    for (const id of ['no-owner', 'bad-pid', 'bad-owner']) {
      expect(byId[id], id).toMatchObject({
        status: 'failed',
        error: 'The app closed while this run was in progress; run it again.',
      });
    }
  });
});

/** A pid no process has: that of a child that has exited. */
function deadPid(): number {
  const gone = spawnSync(process.execPath, ['-e', '']);
  return gone.pid!;
}

const delay = (ms: number) => new Promise((done) => setTimeout(done, ms));
