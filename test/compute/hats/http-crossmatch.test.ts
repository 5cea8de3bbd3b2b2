import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossmatch } from '../../../compute/crossmatch/crossmatch';
import { openHats, type HatsCatalog } from '../../../compute/hats';
import { HttpSession } from '../../../compute/hats/http-session';
import { HttpStore } from '../../../compute/hats/http-store';
import { LSDB_DATA } from '../../fixtures';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';

let server: FixtureServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startFixtureServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'tsm-http-xmatch-'));
});
afterAll(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const NAMES = ['small_sky', 'small_sky_xmatch', 'small_sky_xmatch_margin'] as const;

async function open(location: string | HttpStore): Promise<HatsCatalog> {
  const opened = await openHats(location);
  if (opened.kind !== 'catalog') throw new Error('expected a catalog');
  return opened;
}

async function run(cats: HatsCatalog[]): Promise<Table[]> {
  const [left, right, margin] = cats;
  const out: Table[] = [];
  // workers: 0 keeps every read in this thread, on the test's HTTP session.
  const options = { radiusArcsec: 7200, nNeighbors: 3, rightMargin: margin, workers: 0 };
  for await (const t of crossmatch(left, right, options)) out.push(t);
  return out;
}

/** (left id, right id) pairs of the golden CSV of lsdb (hats-lsdb.md §4). */
async function goldenPairs(): Promise<string[]> {
  const csv = await readFile(
    join(LSDB_DATA, 'raw/xmatch_expected/xmatch_correct_3n_2t.csv'),
    'utf8',
  );
  const rows = csv.trim().split('\n').slice(1);
  return rows.map((r) => {
    const [, ss, xm] = r.split(',');
    return `${Number(ss)}:${Number(xm)}`;
  });
}

describe('crossmatch over HTTP', () => {
  it('small_sky × small_sky_xmatch + margin (3 neighbours, 7200″) over HTTP equals the local run and lsdb', async () => {
    const local = await run(await Promise.all(NAMES.map((n) => open(join(LSDB_DATA, n)))));
    const session = new HttpSession({ cacheDir, blockBytes: 64 * 1024 });
    const remoteCats = await Promise.all(
      NAMES.map((n) => open(new HttpStore(server.urlFor(join(LSDB_DATA, n)), session))),
    );
    const remote = await run(remoteCats);
    expect(remote.map((t) => t.numRows)).toEqual(local.map((t) => t.numRows));
    remote.forEach((t, i) => {
      expect(Buffer.from(tableToIPC(t)).equals(Buffer.from(tableToIPC(local[i])))).toBe(true);
    });
    const pairs = remote.flatMap((t) => {
      const ids = t.getChild('id_small_sky')!.toArray();
      const rids = t.getChild('id_small_sky_xmatch')!.toArray();
      return Array.from(ids, (id, k) => `${Number(id)}:${Number(rids[k])}`);
    });
    expect(pairs.sort()).toEqual((await goldenPairs()).sort());
    expect(pairs).toHaveLength(190);
    const stats = session.stats();
    expect(stats.retries).toBe(0);
    expect(stats.bytesFromCache).toBe(0);
    expect(stats.urls.every((u) => u.url.startsWith(server.url))).toBe(true);

    // A second run on a new session reads every byte from the disk cache.
    server.log.length = 0;
    const again = new HttpSession({ cacheDir, blockBytes: 64 * 1024 });
    const second = await run(
      await Promise.all(
        NAMES.map((n) => open(new HttpStore(server.urlFor(join(LSDB_DATA, n)), again))),
      ),
    );
    expect(second.map((t) => t.numRows)).toEqual(local.map((t) => t.numRows));
    expect(again.stats().bytesDownloaded).toBe(0);
    expect(again.stats().bytesFromCache).toBeGreaterThan(0);
    expect(server.log.every((r) => r.status === 304 || r.status === 404)).toBe(true);

    // Offline: no request at all, same result.
    server.log.length = 0;
    const offline = new HttpSession({ cacheDir, blockBytes: 64 * 1024, offline: true });
    const third = await run(
      await Promise.all(
        NAMES.map((n) => open(new HttpStore(server.urlFor(join(LSDB_DATA, n)), offline))),
      ),
    );
    expect(third.map((t) => t.numRows)).toEqual(local.map((t) => t.numRows));
    expect(server.log).toHaveLength(0);
  });

  it('runs in worker threads that reopen the catalogs by URL (default session, cache from TSM_CACHE_DIR)', async () => {
    const local = await run(await Promise.all(NAMES.map((n) => open(join(LSDB_DATA, n)))));
    const workerCache = join(cacheDir, 'workers');
    const saved = process.env.TSM_CACHE_DIR;
    process.env.TSM_CACHE_DIR = workerCache; // worker threads copy the environment when they start
    try {
      server.log.length = 0;
      const cats = await Promise.all(NAMES.map((n) => open(server.urlFor(join(LSDB_DATA, n)))));
      const [left, right, margin] = cats;
      const tables: Table[] = [];
      const options = { radiusArcsec: 7200, nNeighbors: 3, rightMargin: margin, workers: 2 };
      for await (const t of crossmatch(left, right, options)) tables.push(t);
      expect(tables.map((t) => t.numRows)).toEqual(local.map((t) => t.numRows));
      tables.forEach((t, i) => {
        expect(Buffer.from(tableToIPC(t)).equals(Buffer.from(tableToIPC(local[i])))).toBe(true);
      });
      // The workers fetched leaf files over HTTP into the shared disk cache.
      expect(server.log.some((r) => r.path.endsWith('Npix=44.parquet'))).toBe(true);
      expect((await readdir(join(workerCache, 'v1', 'blocks'))).length).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.TSM_CACHE_DIR;
      else process.env.TSM_CACHE_DIR = saved;
    }
  });
});
