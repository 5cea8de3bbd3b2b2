import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../compute/errors';
import { RemoteFileChangedError } from '../../../compute/hats/http-errors';
import { HttpSession, type HttpSessionInput } from '../../../compute/hats/http-session';
import { HttpStore } from '../../../compute/hats/http-store';
import { LSDB_DATA } from '../../fixtures';
import { refusedUrl, startFixtureServer } from '../../helpers/fixture-server';
import { serveFixtures } from '../../helpers/served-fixtures';

const served = serveFixtures('tsm-http-faults-');

const REL = 'small_sky_source/dataset/Norder=1/Dir=0/Npix=47.parquet';

function open(options: HttpSessionInput = {}) {
  const cacheDir = served.newCacheDir();
  const session = new HttpSession({
    cacheDir,
    blockBytes: 4096,
    retries: 3,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    ...options,
  });
  const store = new HttpStore(served.server.urlFor(LSDB_DATA), session);
  return { session, store, cacheDir, url: store.url(REL) };
}

/**
 * Checks every cache entry on disk independently of the cache code: no temp file is left, and
 * each block file is `TSMBLK1\n` + SHA-256(data) + data. Returns the number of blocks.
 */
async function checkCacheIntact(cacheDir: string): Promise<number> {
  let blocks = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        expect(e.name.endsWith('.tmp'), p).toBe(false);
        if (e.name.endsWith('.blk')) {
          const buf = await readFile(p);
          expect(buf.subarray(0, 8).toString()).toBe('TSMBLK1\n');
          const digest = createHash('sha256').update(buf.subarray(40)).digest();
          expect(digest.equals(buf.subarray(8, 40)), p).toBe(true);
          blocks++;
        }
      }
    }
  };
  await walk(cacheDir);
  return blocks;
}

describe('HTTP fault handling', () => {
  it('fails on a refused connection with a message naming the URL, after the retries', async () => {
    const base = await refusedUrl();
    const session = new HttpSession({ cacheDir: false, retries: 2, backoffBaseMs: 1 });
    const store = new HttpStore(base, session);
    await expect(store.readText('hats.properties')).rejects.toThrow(
      `Could not download ${base}hats.properties: network error ECONNREFUSED (3 attempts)`,
    );
    expect(session.stats()).toMatchObject({ requests: 3, retries: 2, bytesDownloaded: 0 });
  });

  it('retries a burst of 503s (and a 429) and then reads the right bytes', async () => {
    const { session, store } = open();
    served.server.faults.failNext = { count: 2, status: 503, retryAfterSec: 0 };
    const expected = await readFile(join(LSDB_DATA, REL));
    const source = store.open(REL);
    expect(await source.size()).toBe(expected.length);
    served.server.faults.failNext = { count: 1, status: 429 };
    expect(Buffer.from(await source.read(0, 5000)).equals(expected.subarray(0, 5000))).toBe(true);
    expect(served.server.log.map((r) => r.status)).toEqual([503, 503, 206, 429, 206]);
    expect(session.stats()).toMatchObject({ requests: 5, retries: 3 });
  });

  it('gives up on a 503 that does not end, naming the URL and the status', async () => {
    const { store, url, cacheDir } = open({ retries: 2 });
    served.server.faults.failNext = { count: 100, status: 503 };
    await expect(store.open(REL).size()).rejects.toThrow(
      `Could not download ${url}: HTTP 503 Service Unavailable (3 attempts)`,
    );
    expect(await checkCacheIntact(cacheDir)).toBe(0);
  });

  it('times out a response that is slow to start and retries it', async () => {
    const { session, store } = open({ timeoutMs: 500, retries: 5 });
    served.server.faults.slowNext = { count: 1, ms: 3000, match: /Npix=47/ };
    expect(await store.open(REL).size()).toBe(109645);
    expect(session.stats().retries).toBeGreaterThanOrEqual(1); // 1 unless the machine is slower than 500 ms
  });

  it('times out a body that stalls halfway and retries it', async () => {
    const { session, store } = open({ timeoutMs: 500, retries: 5 });
    const expected = await readFile(join(LSDB_DATA, REL));
    served.server.faults.slowNext = { count: 1, ms: 3000, midBody: true };
    const got = await store.open(REL).read(0, expected.length);
    expect(Buffer.from(got).equals(expected)).toBe(true);
    expect(session.stats().retries).toBeGreaterThanOrEqual(1); // 1 unless the machine is slower than 500 ms
  });

  it('retries a truncated body, and never caches part of one', async () => {
    const expected = await readFile(join(LSDB_DATA, REL));
    const a = open();
    served.server.faults.truncateNext = { count: 1 };
    const got = await a.store.open(REL).read(0, expected.length);
    expect(Buffer.from(got).equals(expected)).toBe(true);
    expect(a.session.stats().retries).toBe(1);
    expect(await checkCacheIntact(a.cacheDir)).toBe(27); // 109645 bytes = 27 blocks of 4 KiB

    const b = open({ retries: 1 });
    await b.store.open(REL).size(); // tail block cached
    served.server.faults.truncateNext = { count: 100 };
    await expect(b.store.open(REL).read(0, 9000)).rejects.toThrow(
      new RegExp(
        `Could not download ${b.url}: connection lost after 6144 of 12288 bytes \\(UND_ERR_SOCKET; truncated body\\) \\(2 attempts\\)`,
      ),
    );
    expect(await checkCacheIntact(b.cacheDir)).toBe(1);
  });

  it('detects a file that changed between requests (If-Match → 412) and names the URL', async () => {
    const { store, cacheDir } = open();
    const rel = 'small_sky_source/dataset/Norder=2/Dir=0/Npix=185.parquet';
    const original = await readFile(join(LSDB_DATA, rel));
    const source = store.open(rel);
    await source.read(original.length - 10, original.length);
    try {
      const changed = Buffer.from(original);
      changed[100] ^= 0xff;
      served.server.setFile(`lsdb-tests/tests/data/${rel}`, changed);
      const err = await source.read(0, 100).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteFileChangedError);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(
        new RegExp(`^${store.url(rel)} changed on the server during the run \\(HTTP 412`),
      );
      expect(served.server.log.at(-1)).toMatchObject({ status: 412, range: 'bytes=0-4095' });
      expect(await checkCacheIntact(cacheDir)).toBe(1); // only the first version's tail block
    } finally {
      served.server.setFile(`lsdb-tests/tests/data/${rel}`, original);
    }
  });

  it('detects a changed ETag even when the server ignores If-Match', async () => {
    const lax = await startFixtureServer({ conditionals: false });
    const rel = 'small_sky_source/dataset/Norder=2/Dir=0/Npix=185.parquet';
    const original = await readFile(join(LSDB_DATA, rel));
    try {
      const session = new HttpSession({ cacheDir: false, blockBytes: 4096, retries: 0 });
      const store = new HttpStore(lax.urlFor(LSDB_DATA), session);
      const src = store.open(rel);
      await src.read(original.length - 10, original.length);
      const firstEtag = `"${original.length.toString(16)}-`;
      lax.setFile(`lsdb-tests/tests/data/${rel}`, Buffer.concat([original, Buffer.from('x')]));
      const err = await src.read(0, 10).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteFileChangedError);
      expect((err as Error).message).toContain(
        `${store.url(rel)} changed on the server during the run (ETag ${firstEtag}`,
      );
      expect((err as Error).message).toContain('→ "v1-');
      expect(lax.log.at(-1)).toMatchObject({ status: 206, range: 'bytes=0-4095' });
    } finally {
      await lax.close();
    }
  });

  it('detects a size change on a server that sends no ETag or Last-Modified', async () => {
    const bare = await startFixtureServer({ validators: false });
    const rel = 'small_sky_source/dataset/Norder=2/Dir=0/Npix=185.parquet';
    const original = await readFile(join(LSDB_DATA, rel));
    try {
      const session = new HttpSession({ cacheDir: false, blockBytes: 4096, retries: 0 });
      const store = new HttpStore(bare.urlFor(LSDB_DATA), session);
      const src = store.open(rel);
      expect(Buffer.from(await src.read(0, 5000)).equals(original.subarray(0, 5000))).toBe(true);
      expect(bare.log.every((r) => r.ifMatch === undefined)).toBe(true);
      bare.setFile(`lsdb-tests/tests/data/${rel}`, original.subarray(0, 100_000));
      await expect(src.read(50_000, 50_010)).rejects.toThrow(
        `${store.url(rel)} changed on the server during the run (size 133813 → 100000 bytes)`,
      );
    } finally {
      await bare.close();
    }
  });

  it('cancels in-flight requests with CancelledError when the signal fires', async () => {
    const controller = new AbortController();
    const { store } = open({ signal: controller.signal });
    served.server.faults.slowNext = { count: 1, ms: 2000 };
    const pending = store.open(REL).size();
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('a server that stalls', () => {
  it('fails a server that trickles a byte at a time, after one retry, naming the URL and what to do', async () => {
    // a byte every 20 ms is 50 bytes/s: under 100 bytes/s over each 300 ms window
    const { session, store, url, cacheDir } = open({ timeoutMs: 300, retries: 4 });
    served.server.faults.trickleNext = { count: 100, ms: 20, match: /Npix=47/ };
    const started = Date.now();
    const err = await store
      .open(REL)
      .size()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Could not download ${url}: the server stalled: \\d+ bytes in 0\\.3 s \\(under 100 bytes/s\\) \\(2 attempts\\)\\. The server may be overloaded or the link slow: try again later, or allow a slower link more time with TSM_STALL_SECONDS`,
      ),
    );
    // two windows of 300 ms and a backoff of at most 5 ms, not the 1 MB announced at 50 bytes/s
    expect(Date.now() - started).toBeLessThan(3000);
    expect(session.stats()).toMatchObject({ requests: 2, retries: 1 });
    expect(served.server.log.filter((r) => /Npix=47/.test(r.path)).every((r) => r.bytes > 0)).toBe(
      true,
    );
    expect(await checkCacheIntact(cacheDir)).toBe(0);
  });

  it('fails a server that accepts the connection and sends nothing', async () => {
    const { session, store, url } = open({ timeoutMs: 200, retries: 4 });
    served.server.faults.trickleNext = { count: 100, ms: 0, silent: true };
    await expect(store.readText('small_sky_source/hats.properties')).rejects.toThrow(
      `Could not download ${url.replace(REL, 'small_sky_source/hats.properties')}: the server stalled: no data for 0.2 s (2 attempts). The server may be overloaded`,
    );
    expect(session.stats()).toMatchObject({ requests: 2, retries: 1, bytesDownloaded: 0 });
  });

  it('still reads a body that pauses for less than the stall time', async () => {
    // half the body, then a pause shorter than the window: slow, not stalled
    const { store } = open({ timeoutMs: 300, minBytesPerSecond: 100, retries: 0 });
    served.server.faults.slowNext = { count: 1, ms: 250, midBody: true, match: /Npix=47/ };
    expect(await store.open(REL).size()).toBe(109645);
  });

  it('stops waiting on a stalled server as soon as the run is cancelled', async () => {
    const controller = new AbortController();
    const { store } = open({ signal: controller.signal, timeoutMs: 60_000 });
    served.server.faults.trickleNext = { count: 100, ms: 0, silent: true };
    const started = Date.now();
    const pending = store.open(REL).size();
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('cancels a request still waiting for a free slot behind stalled ones', async () => {
    const controller = new AbortController();
    const { session, store } = open({
      signal: controller.signal,
      timeoutMs: 60_000,
      concurrency: 1,
    });
    served.server.faults.trickleNext = { count: 100, ms: 0, silent: true };
    const first = store.open(REL).size();
    const second = store.open('small_sky_source/dataset/Norder=2/Dir=0/Npix=185.parquet').size();
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    // the second never went out: cancelled while it waited for the first's slot
    expect(session.stats().requests).toBe(1);
  });

  it('takes the stall time from TSM_STALL_SECONDS, and refuses a bad value naming it', () => {
    const before = process.env.TSM_STALL_SECONDS;
    try {
      process.env.TSM_STALL_SECONDS = '120';
      expect(new HttpSession({ cacheDir: false }).options.timeoutMs).toBe(120_000);
      expect(new HttpSession({ cacheDir: false, timeoutMs: 5000 }).options.timeoutMs).toBe(5000);
      process.env.TSM_STALL_SECONDS = 'soon';
      expect(() => new HttpSession({ cacheDir: false })).toThrow(
        "TSM_STALL_SECONDS must be a number of seconds above 0, at most 86400 (got 'soon')",
      );
      delete process.env.TSM_STALL_SECONDS;
      expect(new HttpSession({ cacheDir: false }).options).toMatchObject({
        timeoutMs: 30_000,
        minBytesPerSecond: 100,
      });
    } finally {
      if (before === undefined) delete process.env.TSM_STALL_SECONDS;
      else process.env.TSM_STALL_SECONDS = before;
    }
  });
});
