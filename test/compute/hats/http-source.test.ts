import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileSource } from '../../../compute/hats/byte-source';
import { HttpSession } from '../../../compute/hats/http-session';
import { HttpStore } from '../../../compute/hats/http-store';
import { openStore, storeStats } from '../../../compute/hats/store';
import { LSDB_DATA } from '../../fixtures';
import { startFixtureServer } from '../../helpers/fixture-server';
import { serveFixtures } from '../../helpers/served-fixtures';

const served = serveFixtures('tsm-http-source-');

const freshCache = served.newCacheDir;

/** Every file under a folder, as paths relative to it. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** mulberry32: a small seeded PRNG so the random ranges are the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('HttpStore / HttpSource', () => {
  it('reads every file of three catalogs byte for byte like the local files', async () => {
    for (const catalog of ['small_sky', 'small_sky_xmatch', 'small_sky_xmatch_margin']) {
      const local = join(LSDB_DATA, catalog);
      const store = openStore(served.server.urlFor(local), {
        cacheDir: freshCache(),
        blockBytes: 4096,
      });
      for (const rel of await walk(local)) {
        const expected = await readFile(join(local, rel));
        const source = store.open(rel);
        expect(await source.size(), rel).toBe(expected.length);
        expect(Buffer.from(await source.read(0, expected.length)).equals(expected), rel).toBe(true);
      }
    }
  });

  it('returns the same bytes as LocalFileSource for 300 random ranges across 4 KiB blocks', async () => {
    const rel =
      'small_sky_order1_source_collection/small_sky_order1_source/dataset/Norder=1/Dir=0/Npix=46.parquet';
    const local = new LocalFileSource(join(LSDB_DATA, rel));
    const store = openStore(served.server.urlFor(LSDB_DATA), { cacheDir: false, blockBytes: 4096 });
    const remote = store.open(rel);
    const size = await local.size();
    expect(await remote.size()).toBe(247976);
    const rand = prng(42);
    for (let k = 0; k < 300; k++) {
      const a = Math.floor(rand() * size);
      const b = Math.min(size, a + Math.floor(rand() * 20000));
      expect(Buffer.from(await remote.read(a, b)).equals(await local.read(a, b)), `${a}-${b}`).toBe(
        true,
      );
    }
    await expect(remote.read(0, size + 1)).rejects.toThrow(/outside the file \(247976 bytes\)/);
  });

  it('sends no request until a file is read, then one tail request for a small file', async () => {
    const store = openStore(served.server.urlFor(join(LSDB_DATA, 'small_sky')), {
      cacheDir: false,
    });
    const source = store.open('hats.properties');
    store.open('partition_info.csv');
    expect(served.server.log).toHaveLength(0);
    const text = await store.readText('hats.properties');
    expect(text).toContain('obs_collection=small_sky');
    expect(await source.size()).toBe(420);
    expect(served.server.log.map((r) => [r.path, r.range, r.status])).toEqual([
      ['/lsdb-tests/tests/data/small_sky/hats.properties', 'bytes=-262144', 206],
    ]);
    expect(storeStats(store)).toMatchObject({ requests: 1, bytesDownloaded: 420, retries: 0 });
  });

  it('coalesces adjacent missing blocks into one Range request and shares concurrent fetches', async () => {
    const rel =
      'small_sky_order1_source_collection/small_sky_order1_source/dataset/Norder=1/Dir=0/Npix=44.parquet';
    const store = openStore(served.server.urlFor(LSDB_DATA), { cacheDir: false, blockBytes: 4096 });
    const source = store.open(rel);
    await source.size(); // the tail request
    served.server.log.length = 0;
    const reads = await Promise.all([source.read(10_000, 30_000), source.read(12_000, 13_000)]);
    const local = new LocalFileSource(join(LSDB_DATA, rel));
    expect(Buffer.from(reads[0]).equals(await local.read(10_000, 30_000))).toBe(true);
    expect(Buffer.from(reads[1]).equals(await local.read(12_000, 13_000))).toBe(true);
    // Blocks 2..7 (8192..32767) in one request; the second read reuses block 2 and 3 in flight.
    expect(served.server.log.map((r) => r.range)).toEqual(['bytes=8192-32767']);
    expect(served.server.log[0].ifMatch).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
  });

  it('joins the block cut by the first tail read to the bytes kept from it (no byte fetched twice)', async () => {
    const rel = 'small_sky_source/dataset/Norder=1/Dir=0/Npix=47.parquet';
    const local = new LocalFileSource(join(LSDB_DATA, rel));
    const session = new HttpSession({ cacheDir: false, blockBytes: 4096 });
    const source = new HttpStore(served.server.urlFor(LSDB_DATA), session).open(rel);
    expect(await source.size()).toBe(109645); // tail: bytes 105549..109644; block 25 starts at 102400
    const got = await source.read(100_000, 106_000);
    expect(Buffer.from(got).equals(await local.read(100_000, 106_000))).toBe(true);
    expect(served.server.log.map((r) => r.range)).toEqual(['bytes=-4096', 'bytes=98304-105548']);
    expect(session.stats().bytesDownloaded).toBe(109645 - 98304);
  });

  it('falls back to one whole-file read when the server ignores Range (200)', async () => {
    const plain = await startFixtureServer({ ranges: false });
    try {
      const rel = 'small_sky_source/dataset/Norder=1/Dir=0/Npix=47.parquet';
      const expected = await readFile(join(LSDB_DATA, rel));
      const session = new HttpSession({ cacheDir: false, blockBytes: 4096 });
      const source = new HttpStore(plain.urlFor(LSDB_DATA), session).open(rel);
      const got = await source.read(expected.length - 100, expected.length);
      expect(Buffer.from(got).equals(expected.subarray(expected.length - 100))).toBe(true);
      expect(Buffer.from(await source.read(0, 1000)).equals(expected.subarray(0, 1000))).toBe(true);
      expect(plain.log.map((r) => r.status)).toEqual([200]);
      expect(session.stats()).toMatchObject({ requests: 1, bytesDownloaded: expected.length });
    } finally {
      await plain.close();
    }
  });

  it('lists a folder through an HTML index, and says partition_info.csv is needed without one', async () => {
    const store = openStore(served.server.urlFor(LSDB_DATA), { cacheDir: false });
    expect(await store.list('small_sky_xmatch/dataset/Norder=1/Dir=0')).toEqual([
      'Npix=44.parquet',
      'Npix=45.parquet',
      'Npix=46.parquet',
    ]);
    expect(await store.child('small_sky').list('')).toEqual([
      'dataset/',
      'hats.properties',
      'partition_info.csv',
      'point_map.fits',
      'properties',
      'skymap.fits',
    ]);
    const bare = await startFixtureServer({ index: false });
    try {
      const url = bare.urlFor(join(LSDB_DATA, 'small_sky', 'dataset'));
      await expect(openStore(url, { cacheDir: false, retries: 0 }).list('')).rejects.toThrow(
        new RegExp(`cannot list ${url}/: HTTP 404.*need partition_info.csv`),
      );
    } finally {
      await bare.close();
    }
  });

  it('answers exists() with false for a 404 and true for a file', async () => {
    const store = openStore(served.server.urlFor(join(LSDB_DATA, 'small_sky')), {
      cacheDir: false,
    });
    expect(await store.exists('hats.properties')).toBe(true);
    expect(await store.exists('collection.properties')).toBe(false);
    await expect(store.readText('collection.properties')).rejects.toThrow(
      `HTTP 404 Not Found for ${served.server.urlFor(join(LSDB_DATA, 'small_sky'))}/collection.properties`,
    );
  });
});
