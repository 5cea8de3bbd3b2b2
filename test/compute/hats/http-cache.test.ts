import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OfflineMissingError } from '../../../compute/hats/http-errors';
import { HttpSession, type HttpSessionInput } from '../../../compute/hats/http-session';
import { HttpStore } from '../../../compute/hats/http-store';
import { LSDB_DATA } from '../../fixtures';
import { serveFixtures } from '../../helpers/served-fixtures';

const served = serveFixtures('tsm-http-cache-');

const FILES = [
  'small_sky_source/dataset/Norder=1/Dir=0/Npix=47.parquet', // 109645 bytes
  'small_sky_source/dataset/Norder=2/Dir=0/Npix=185.parquet', // 133813 bytes
  'small_sky_xmatch/partition_info.csv',
];
const { newCacheDir } = served;

function store(cacheDir: string, options: HttpSessionInput = {}) {
  const session = new HttpSession({ cacheDir, blockBytes: 8192, retries: 0, ...options });
  return { session, store: new HttpStore(served.server.urlFor(LSDB_DATA), session) };
}

async function readAll(s: HttpStore): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const rel of FILES) {
    const src = s.open(rel);
    out.push(Buffer.from(await src.read(0, await src.size())));
  }
  return out;
}

async function blockFiles(cacheDir: string): Promise<string[]> {
  const root = join(cacheDir, 'v1', 'blocks');
  const out: string[] = [];
  for (const sub of await readdir(root)) {
    for (const name of await readdir(join(root, sub))) out.push(join(root, sub, name));
  }
  return out;
}

const local = () => Promise.all(FILES.map((rel) => readFile(join(LSDB_DATA, rel))));
const totalBytes = (bufs: Buffer[]) => bufs.reduce((n, b) => n + b.length, 0);

describe('HTTP disk cache', () => {
  it('serves a second run from the cache with one revalidation (304) per file', async () => {
    const cacheDir = newCacheDir();
    const expected = await local();
    const first = store(cacheDir);
    expect(await readAll(first.store)).toEqual(expected);
    // The first request of a file is its last 8 KiB: the part before the last aligned block is
    // kept in memory and joined to the rest of its block, so no byte is downloaded twice.
    expect(first.session.stats()).toMatchObject({
      bytesDownloaded: totalBytes(expected),
      bytesFromCache: 0,
    });
    served.server.log.length = 0;

    const second = store(cacheDir);
    expect(await readAll(second.store)).toEqual(expected);
    expect(served.server.log.map((r) => r.status)).toEqual([304, 304, 304]);
    expect(served.server.log.every((r) => r.ifNoneMatch?.startsWith('"'))).toBe(true);
    const stats = second.session.stats();
    expect(stats).toMatchObject({ requests: 3, bytesDownloaded: 0, retries: 0, missing: [] });
    expect(stats.bytesFromCache).toBe(totalBytes(expected));
    expect(stats.urls.map((u) => u.url)).toEqual(FILES.map((f) => second.store.url(f)));
  });

  it('trusts a recently confirmed version without any request when revalidateAfterMs allows it', async () => {
    const cacheDir = newCacheDir();
    const expected = await local();
    await readAll(store(cacheDir).store);
    served.server.log.length = 0;
    const trusted = store(cacheDir, { revalidateAfterMs: 60_000 });
    expect(await readAll(trusted.store)).toEqual(expected);
    expect(served.server.log).toHaveLength(0);
    expect(trusted.session.stats()).toMatchObject({
      requests: 0,
      bytesFromCache: totalBytes(expected),
    });
    // A file changed since: its missing blocks are asked for with If-Match → a clear error, never a mix.
    const rel = 'small_sky_source/dataset/Norder=2/Dir=0/Npix=176.parquet';
    const original = await readFile(join(LSDB_DATA, rel));
    const first = store(cacheDir).store.open(rel);
    await first.read(original.length - 10, original.length);
    served.server.setFile(`lsdb-tests/tests/data/${rel}`, Buffer.from(original).fill(1, 0, 10));
    try {
      const later = store(cacheDir, { revalidateAfterMs: 60_000 }).store;
      await expect(later.open(rel).read(0, 10)).rejects.toThrow(
        `${later.url(rel)} changed on the server during the run (HTTP 412`,
      );
    } finally {
      served.server.setFile(`lsdb-tests/tests/data/${rel}`, original);
    }
  });

  it('runs offline from the cache with no request, and names the files that are missing', async () => {
    const cacheDir = newCacheDir();
    const expected = await local();
    await readAll(store(cacheDir).store);
    // Only the footer region of a third file was read online.
    const partial = 'small_sky_source/dataset/Norder=2/Dir=0/Npix=176.parquet';
    const online = store(cacheDir).store.open(partial);
    const size = await online.size();
    served.server.log.length = 0;

    const offline = store(cacheDir, { offline: true });
    expect(await readAll(offline.store)).toEqual(expected);
    expect(served.server.log).toHaveLength(0);
    expect(await offline.store.open(partial).read(size - 100, size)).toHaveLength(100);
    const missingFile = offline.store.url('small_sky_xmatch/hats.properties');
    await expect(offline.store.readText('small_sky_xmatch/hats.properties')).rejects.toThrow(
      `Offline mode: ${missingFile} is not in the cache (never downloaded). Run once online`,
    );
    const err = await offline.store
      .open(partial)
      .read(0, 10)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineMissingError);
    expect((err as Error).message).toContain(
      `${offline.store.url(partial)} is not in the cache (bytes 0-8191 of ${size})`,
    );
    expect(offline.session.stats()).toMatchObject({
      requests: 0,
      bytesDownloaded: 0,
      missing: [missingFile, offline.store.url(partial)],
    });
    expect(served.server.log).toHaveLength(0);
  });

  it('remembers a 404 for offline exists() checks', async () => {
    const cacheDir = newCacheDir();
    const online = store(cacheDir).store;
    expect(await online.exists('small_sky/hats.properties')).toBe(true);
    expect(await online.exists('small_sky/collection.properties')).toBe(false);
    const offline = store(cacheDir, { offline: true }).store;
    expect(await offline.exists('small_sky/hats.properties')).toBe(true);
    expect(await offline.exists('small_sky/collection.properties')).toBe(false);
  });

  it('detects a corrupted block on read: refetches it online, reports it missing offline', async () => {
    const cacheDir = newCacheDir();
    const rel = FILES[0];
    const expected = await readFile(join(LSDB_DATA, rel));
    await store(cacheDir).store.open(rel).read(0, expected.length);
    const blocks = await blockFiles(cacheDir);
    expect(blocks).toHaveLength(14); // ceil(109645 / 8192)
    for (const path of blocks) {
      const buf = await readFile(path);
      buf[buf.length - 1] ^= 0x01;
      await writeFile(path, buf);
    }
    const offline = store(cacheDir, { offline: true }).store;
    await expect(offline.open(rel).read(0, 10)).rejects.toThrow(/not in the cache \(bytes 0-8191/);
    served.server.log.length = 0;
    const again = store(cacheDir);
    const got = await again.store.open(rel).read(0, expected.length);
    expect(Buffer.from(got).equals(expected)).toBe(true);
    // Block 0 was deleted by the offline check; the other 13 were found corrupt and refetched too.
    expect(again.session.stats().bytesFromCache).toBe(0);
    expect(served.server.log.map((r) => r.range)).toEqual(['bytes=-8192', 'bytes=0-109644']);
  });

  it('evicts least recently used blocks above the size limit', async () => {
    const cacheDir = newCacheDir();
    const limit = 64 * 1024;
    const { store: s } = store(cacheDir, { cacheMaxBytes: limit });
    const expected = await local();
    expect(await readAll(s)).toEqual(expected);
    const files = await blockFiles(cacheDir);
    const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
    const onDisk = sizes.reduce((a, b) => a + b, 0);
    expect(onDisk).toBeLessThanOrEqual(limit);
    expect(onDisk).toBeGreaterThan(0);
    // The last file read (partition_info.csv, 27 bytes) is the most recent block: it survived.
    served.server.log.length = 0;
    const offline = store(cacheDir, { offline: true });
    expect(await offline.store.readText(FILES[2])).toBe('Norder,Npix\n1,44\n1,45\n1,46\n');
  });

  it('reads a file that changed between runs as the new version, never mixing the two', async () => {
    const cacheDir = newCacheDir();
    const rel = FILES[1];
    const original = await readFile(join(LSDB_DATA, rel));
    await store(cacheDir).store.open(rel).read(0, original.length);
    const changed = Buffer.from(original);
    changed.fill(7, 0, 20000);
    served.server.setFile(`lsdb-tests/tests/data/${rel}`, changed);
    try {
      served.server.log.length = 0;
      const next = store(cacheDir);
      const got = await next.store.open(rel).read(0, changed.length);
      expect(Buffer.from(got).equals(changed)).toBe(true);
      expect(served.server.log.map((r) => r.status)).toEqual([206, 206]);
      expect(next.session.stats().bytesFromCache).toBe(0);
    } finally {
      served.server.setFile(`lsdb-tests/tests/data/${rel}`, original);
    }
  });
});
