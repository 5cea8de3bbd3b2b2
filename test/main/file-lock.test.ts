import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../compute/errors';
import { CatalogRegistry } from '../../main/catalog-registry';
import { updateJsonFile } from '../../main/json-file';
import { PROJECT_ROOT } from '../fixtures';
import { madeUpEngine } from '../helpers/made-up-engine';

let dir: string;
let child: string;
let holder: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-file-lock-'));
  const childDir = join(dir, 'child');
  mkdirSync(childDir);
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(childDir, 'node_modules'));
  child = join(childDir, 'registry-child.mjs');
  holder = join(childDir, 'lock-holder.mjs');
  for (const [entry, outfile] of [
    ['registry-child.ts', child],
    ['lock-holder.ts', holder],
  ] as const) {
    await build({
      entryPoints: [join(PROJECT_ROOT, 'test', 'helpers', entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'error',
    });
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs registry-child.ts in its own process; resolves its output when it exits with 0. */
function addInChild(dataDir: string, label: string, count: number, startAt: number) {
  return new Promise<string>((done, fail) => {
    const proc = spawn(process.execPath, [child, dataDir, label, String(count), String(startAt)]);
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`${label}: ${out}`))));
  });
}

const indexNames = (dataDir: string): string[] =>
  (
    JSON.parse(readFileSync(join(dataDir, 'catalogs', 'index.json'), 'utf8')) as {
      name: string;
    }[]
  )
    .map((c) => c.name)
    .sort();

const expectedNames = (labels: string[], count: number): string[] =>
  labels.flatMap((label) => Array.from({ length: count }, (_, i) => `${label}-${i}`)).sort();

/** What is left beside index.json: no lock, no .partial. */
const leftovers = (dataDir: string): string[] =>
  readdirSync(join(dataDir, 'catalogs')).filter((f) => f !== 'index.json');

/** A pid no process has (a child that has exited). */
function deadPid(): number {
  const gone = spawnSync(process.execPath, ['-e', '']);
  return gone.pid!;
}

describe('catalogs/index.json changed by several processes at once', () => {
  it('three processes adding 25 catalogs each at the same time: all 75 are listed (the last writer dropped the others)', async () => {
    const dataDir = join(dir, 'three');
    const labels = ['app', 'bridge', 'window'];
    const startAt = Date.now() + 1500; // after the three have started
    const outputs = await Promise.all(labels.map((l) => addInChild(dataDir, l, 25, startAt)));
    expect(outputs).toEqual(['done\n', 'done\n', 'done\n']);
    expect(indexNames(dataDir)).toEqual(expectedNames(labels, 25));
    expect(leftovers(dataDir)).toEqual([]);
  }, 60_000);

  it('three processes finding a lock left by a killed process at once: one takes it over, none is lost', async () => {
    const dataDir = join(dir, 'three-stale');
    mkdirSync(join(dataDir, 'catalogs'), { recursive: true });
    const lock = { pid: deadPid(), host: hostname(), nonce: 'left-over' };
    writeFileSync(join(dataDir, 'catalogs', 'index.json.lock'), JSON.stringify(lock));
    const labels = ['a', 'b', 'c'];
    const startAt = Date.now() + 1500;
    await Promise.all(labels.map((l) => addInChild(dataDir, l, 10, startAt)));
    expect(indexNames(dataDir)).toEqual(expectedNames(labels, 10));
    expect(leftovers(dataDir)).toEqual([]);
  }, 60_000);

  it('20 adds of one process at once (two windows, a web bridge): all 20 are listed', async () => {
    const dataDir = join(dir, 'one');
    const registry = new CatalogRegistry(async () => dataDir, madeUpEngine);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        registry.addPhotometric({ location: `/sky/w-${i}`, name: `w-${i}` }),
      ),
    );
    expect(indexNames(dataDir)).toEqual(expectedNames(['w'], 20));
    expect(leftovers(dataDir)).toEqual([]);
  });
});

describe('the lock of a JSON file (updateJsonFile)', () => {
  const append = (entry: string) => (current: unknown) => [...(current as string[]), entry];

  it('takes over the lock of a process killed (SIGKILL) while it held it', async () => {
    const file = join(dir, 'killed', 'index.json');
    mkdirSync(join(dir, 'killed'));
    writeFileSync(file, '["before"]\n');
    const proc = spawn(process.execPath, [holder, file]);
    await new Promise<void>((done) => proc.stdout.once('data', () => done()));
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toMatchObject({ pid: proc.pid });
    // while it lives, its lock is respected
    await expect(updateJsonFile(file, [], append('early'), { waitMs: 200 })).rejects.toThrow(
      `is being changed by process ${proc.pid}`,
    );
    const exited = new Promise((done) => proc.once('exit', done));
    proc.kill('SIGKILL');
    await exited;
    await updateJsonFile(file, [], append('after'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(['before', 'after']);
    expect(readdirSync(join(dir, 'killed'))).toEqual(['index.json']);
  });

  it('takes over a lock left by a process that is gone (its file naming a pid no process has)', async () => {
    const file = join(dir, 'dead', 'index.json');
    mkdirSync(join(dir, 'dead'));
    writeFileSync(file, '["before"]\n');
    const lock = { pid: deadPid(), host: hostname(), nonce: 'left-over' };
    writeFileSync(`${file}.lock`, JSON.stringify(lock));
    const started = Date.now();
    await updateJsonFile(file, [], append('after'));
    expect(Date.now() - started).toBeLessThan(1000); // no waiting for a holder that is gone
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(['before', 'after']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock older than its stale age (another host, whose process cannot be checked)', async () => {
    const file = join(dir, 'old', 'index.json');
    mkdirSync(join(dir, 'old'));
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', nonce: 'old' }));
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, minuteAgo, minuteAgo);
    await updateJsonFile(file, [], append('after'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(['after']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder, then says which file, which lock and what to do; writes nothing', async () => {
    const file = join(dir, 'held', 'index.json');
    mkdirSync(join(dir, 'held'));
    writeFileSync(file, '["before"]\n');
    // held by this (live) process under another taking, as by a request still writing
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'other' }),
    );
    const err = await updateJsonFile(file, [], append('after'), { waitMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `${file} is being changed by process ${process.pid} on ${hostname()} (its lock file ${file}.lock stayed for 0.3 s): try again; if no Training Set Maker (app, web bridge or tsm) is using this data folder, delete ${file}.lock.`,
    );
    expect(readFileSync(file, 'utf8')).toBe('["before"]\n');
    expect(existsSync(`${file}.lock`)).toBe(true); // not ours to remove
  });

  it('an update that throws writes nothing and leaves no lock', async () => {
    const file = join(dir, 'refused', 'index.json');
    mkdirSync(join(dir, 'refused'));
    writeFileSync(file, '["before"]\n');
    const refuse = () => {
      throw new UserError('no');
    };
    await expect(updateJsonFile(file, [], refuse)).rejects.toThrow('no');
    expect(readFileSync(file, 'utf8')).toBe('["before"]\n');
    expect(readdirSync(join(dir, 'refused'))).toEqual(['index.json']);
  });
});
