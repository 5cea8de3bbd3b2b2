/**
 * The app's cache-size setting reaches the engine (main/engine/run-engine.ts -> runTrainingSet's
 * `remote` -> compute/hats DiskCache in the main thread and the worker): a run against an http
 * catalog (test/helpers/fixture-server.ts) with a 1 MB setting evicts the old 2 MB block of an
 * over-full disk cache and stays under the limit; with 0 (the engine's default, 2 GiB) nothing is evicted;
 * the same holds when a remote catalog is added (describeHats) and when a remote spec-z catalog is
 * previewed and registered; and the setting wins over
 * TSM_CACHE_MAX_BYTES. Oracle: the cache folder's files on disk.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultProject, type Project } from '../../../compute/pipeline/project';
import { createEngine } from '../../../main/engine';
import { remoteSettings, runWithEngine } from '../../../main/engine/run-engine';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';
import { TSM_EXAMPLE } from '../../fixtures';
import { skySpeczAndCatalogs } from '../../helpers/sky-catalogs';

let dir: string;
let server: FixtureServer;
let url: string;
let speczFile: string;
const savedEnv = { dir: process.env.TSM_CACHE_DIR, max: process.env.TSM_CACHE_MAX_BYTES };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-app-cache-'));
  const made = await skySpeczAndCatalogs(dir);
  speczFile = made.speczFile;
  const catalogs = made.catalogs;
  server = await startFixtureServer({ root: dir });
  url = server.urlFor(catalogs.find((c) => c.survey === 'lsst-dp1')!.path);
}, 120_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const [key, value] of [
    ['TSM_CACHE_DIR', savedEnv.dir],
    ['TSM_CACHE_MAX_BYTES', savedEnv.max],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** An old 2 MB block (the least recently used) in a fresh cache folder. */
function overfullCache(name: string): { cacheDir: string; stale: string[] } {
  const cacheDir = join(dir, name);
  const sub = join(cacheDir, 'v1', 'blocks', '00');
  mkdirSync(sub, { recursive: true });
  const day = Date.now() / 1000 - 86_400;
  const stale = [join(sub, `${'0'.repeat(64)}.blk`)];
  for (const path of stale) {
    rmSync(path, { force: true });
    writeFileSync(path, Buffer.alloc(2_000_000, 7));
    utimesSync(path, day, day);
  }
  return { cacheDir, stale };
}

function blockBytes(cacheDir: string): number {
  const root = join(cacheDir, 'v1', 'blocks');
  let total = 0;
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub))) {
      if (!name.endsWith('.tmp')) total += statSync(join(root, sub, name)).size;
    }
  }
  return total;
}

async function runRemote(folder: string, cacheSizeMb: number) {
  const base = defaultProject();
  const project: Project = {
    ...base,
    name: 'remote set',
    specz: { ...base.specz, path: speczFile, columns: { ...base.specz.columns, id: 'id' } },
    photometry: { ...base.photometry, location: url, dereddening: { map: 'none', scale: 1 } },
    split: { ...base.split, seed: 2 },
    output: { format: 'parquet', folder: join(dir, folder) },
  };
  const outcome = await runWithEngine(project, {
    signal: new AbortController().signal,
    onProgress: () => undefined,
    workers: 1,
    dataDir: dir,
    dustMapDir: '',
    cacheSizeMb,
    stallSeconds: null,
  });
  const runJson = JSON.parse(await readFile(join(dir, folder, 'run.json'), 'utf8')) as {
    remote: { bytesDownloaded: number; settings: unknown } | null;
  };
  return { outcome, remote: runJson.remote! };
}

describe('the cache size setting of remote catalogs', () => {
  it('maps MB to the engine option (1 MB = 10^6 bytes; 0 = the engine default)', () => {
    expect(remoteSettings(1024)).toEqual({ cacheMaxBytes: 1_024_000_000 });
    expect(remoteSettings(1)).toEqual({ cacheMaxBytes: 1_000_000 });
    expect(remoteSettings(0)).toEqual({});
  });

  it('maps the stall timeout in seconds to the engine option in ms (null = the engine default)', () => {
    expect(remoteSettings(0, 120)).toEqual({ timeoutMs: 120_000 });
    expect(remoteSettings(1, 0.2)).toEqual({ cacheMaxBytes: 1_000_000, timeoutMs: 200 });
    expect(remoteSettings(0, 0.0001)).toEqual({ timeoutMs: 1 });
    expect(remoteSettings(0, null)).toEqual({});
  });

  it('1 MB: the run evicts the least recently used block and stays under 1 MB', async () => {
    const { cacheDir, stale } = overfullCache('cache-1mb');
    process.env.TSM_CACHE_DIR = cacheDir;
    delete process.env.TSM_CACHE_MAX_BYTES;
    const { outcome, remote } = await runRemote('out-1mb', 1);
    expect(outcome.counts.rowsOut).toBeGreaterThan(0);
    expect(remote.bytesDownloaded).toBeGreaterThan(0);
    expect(remote.settings).toEqual({ cacheMaxBytes: 1_000_000 });
    expect(stale.filter((p) => existsSync(p))).toEqual([]);
    expect(blockBytes(cacheDir)).toBeGreaterThan(0);
    expect(blockBytes(cacheDir)).toBeLessThanOrEqual(1_000_000);
  }, 120_000);

  it('0 MB keeps the engine default: nothing is evicted', async () => {
    const { cacheDir, stale } = overfullCache('cache-default');
    process.env.TSM_CACHE_DIR = cacheDir;
    delete process.env.TSM_CACHE_MAX_BYTES;
    const { remote } = await runRemote('out-default', 0);
    expect(remote.bytesDownloaded).toBeGreaterThan(0);
    expect(remote.settings).toEqual({});
    expect(stale.filter((p) => existsSync(p))).toEqual(stale);
    expect(blockBytes(cacheDir)).toBeGreaterThan(2_000_000);
  }, 120_000);

  it('adding a remote catalog (describeHats) keeps to the setting too', async () => {
    const { cacheDir, stale } = overfullCache('cache-describe');
    process.env.TSM_CACHE_DIR = cacheDir;
    delete process.env.TSM_CACHE_MAX_BYTES;
    const engine = createEngine(async () => ({ dustMapDir: '', dataDir: dir, cacheSizeMb: 1 }));
    const described = await engine.catalogs.describeHats(url);
    expect(described.profile?.id).toBe('lsst-dp1');
    expect(described.partitions).toBeGreaterThan(1);
    expect(stale.filter((p) => existsSync(p))).toEqual([]);
    expect(blockBytes(cacheDir)).toBeGreaterThan(0);
    expect(blockBytes(cacheDir)).toBeLessThanOrEqual(1_000_000);
  }, 60_000);

  it('previewing and registering a remote spec-z catalog keeps to the setting too', async () => {
    const specz = await startFixtureServer({ root: TSM_EXAMPLE });
    try {
      const { cacheDir, stale } = overfullCache('cache-specz');
      process.env.TSM_CACHE_DIR = cacheDir;
      delete process.env.TSM_CACHE_MAX_BYTES;
      const engine = createEngine(async () => ({ dustMapDir: '', dataDir: dir, cacheSizeMb: 1 }));
      const speczUrl = specz.urlFor(join(TSM_EXAMPLE, 'specz_collection'));
      const preview = await engine.catalogs.previewSpecz(speczUrl);
      expect(preview.format).toBe('hats');
      const registered = await engine.catalogs.registerSpecz({
        path: speczUrl,
        dataDir: join(dir, 'registered'),
        name: 'remote spec-z',
        mapping: preview.mapping,
        skipInvalidRows: false,
      });
      expect(registered.report.rowsRead).toBeGreaterThan(0);
      expect(stale.filter((p) => existsSync(p))).toEqual([]);
      expect(blockBytes(cacheDir)).toBeGreaterThan(0);
      expect(blockBytes(cacheDir)).toBeLessThanOrEqual(1_000_000);
    } finally {
      await specz.close();
    }
  }, 60_000);

  it('the app setting wins over TSM_CACHE_MAX_BYTES', async () => {
    const { cacheDir, stale } = overfullCache('cache-env');
    process.env.TSM_CACHE_DIR = cacheDir;
    process.env.TSM_CACHE_MAX_BYTES = '1000000';
    await runRemote('out-env', 50);
    expect(stale.filter((p) => existsSync(p))).toEqual(stale);
  }, 120_000);
});
