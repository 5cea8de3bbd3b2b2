/**
 * A training set against an http catalog (test/helpers/fixture-server.ts on 127.0.0.1): the
 * workers re-open the catalog with the run's remote settings (cache folder, offline), send their
 * transfer counters back, and run.json lists every URL with its requests and bytes. Oracles: the
 * local run's rows, and the server's own log of requests and body bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedCatalog } from '../../../compute/demo/surveys';
import { CancelledError } from '../../../compute/errors';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { parseProject, type Project } from '../../../compute/pipeline/project';
import type { RunProgress } from '../../../compute/pipeline/progress';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { summaryLines } from '../../../compute/pipeline/run-summary';
import { formatBytes } from '../../../compute/pipeline/progress-printer';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';
import { skySpeczAndCatalogs } from '../../helpers/sky-catalogs';
import { PROJECT_ROOT } from '../../fixtures';

const exec = promisify(execFile);

type Row = Record<string, unknown>;
const rowsOf = (t: Table): Row[] => t.toArray().map((r) => ({ ...(r.toJSON() as Row) }));

interface UrlRecord {
  url: string;
  requests: number;
  bytesDownloaded: number;
  bytesFromCache: number;
}
interface RemoteRecord {
  requests: number;
  bytesDownloaded: number;
  bytesFromCache: number;
  urls: UrlRecord[];
  missing: string[];
  settings: { cacheDir?: string; offline?: boolean } | null;
}

describe('runTrainingSet on an http(s) photometric catalog', () => {
  let dir: string;
  let cacheDir: string;
  let server: FixtureServer;
  let des: GeneratedCatalog;
  let speczFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-run-remote-'));
    cacheDir = join(dir, 'http-cache');
    // spread over the sky, so the catalog has several partitions (several tasks, both workers)
    const made = await skySpeczAndCatalogs(dir);
    speczFile = made.speczFile;
    const catalogs = made.catalogs;
    des = catalogs.find((c) => c.survey === 'des-dr2')!;
    server = await startFixtureServer({ root: dir });
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const project = (location: string, folder: string): Project =>
    parseProject(
      {
        version: 1,
        name: 'remote set',
        specz: { path: speczFile, columns: { id: 'id' } },
        photometry: { location, dereddening: { map: 'none' } },
        split: { seed: 3 },
        output: { folder: join(dir, folder) },
      },
      'test',
    );

  const runJson = async (folder: string) =>
    JSON.parse(await readFile(join(dir, folder, 'run.json'), 'utf8')) as {
      remote: RemoteRecord | null;
    };

  // the run went on until every retry of the hung request had failed (~2.5 minutes)
  it('stops while a hung server is still being asked for the catalog, when cancelled', async () => {
    const url = server.urlFor(des.path);
    server.log.length = 0;
    server.faults.slowNext = { count: 1000, ms: 120_000, match: /properties$/ };
    const controller = new AbortController();
    const asked = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server.log.length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const stages: string[] = [];
    const run = runTrainingSet(project(url, 'hung'), {
      workers: 0,
      remote: { cacheDir: join(dir, 'hung-cache') },
      signal: controller.signal,
      onProgress: (p) => stages.push(p.stage),
    }).catch((e: unknown) => e);
    await asked;
    // a sign of life while the server says nothing: an event a second, the time going on
    const beats = () => stages.length;
    const seen = beats();
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(beats() - seen).toBeGreaterThanOrEqual(2);
    const askedBefore = server.log.length;
    controller.abort();
    const outcome = await run;
    server.faults.slowNext = undefined;
    expect(outcome).toBeInstanceOf(CancelledError);
    expect(stages).not.toContain('crossmatch');
    expect(server.log.length).toBe(askedBefore); // no retry after the cancel
  }, 20_000);

  it('says what it opens and that it retries a failing server, before the crossmatch', async () => {
    const url = server.urlFor(des.path);
    server.faults.failNext = { count: 1, status: 503, retryAfterSec: 2, match: /properties$/ };
    const messages: string[] = [];
    await runTrainingSet(project(url, 'retried'), {
      workers: 0,
      remote: { cacheDir: join(dir, 'retried-cache') },
      onProgress: (p) => {
        if (p.stage === 'resolve' && p.message) messages.push(p.message);
      },
    });
    expect(messages[0]).toBe(`Opening the photometric catalog ${url}`);
    expect(messages).toContain('The server is slow or failing: 1 retry so far');
    expect(messages).toContain(`Opening the spec-z catalog ${speczFile}`);
    // the heartbeats carry no message of their own (the app's log adds a line per message)
    expect(new Set(messages).size).toBe(messages.length);
  }, 20_000);

  it('gives the local rows, and run.json lists the URLs with the bytes the server sent', async () => {
    const local = await runTrainingSet(project(des.path, 'local'), { workers: 0 });
    const want = rowsOf(await readParquetFile(local.outputPath));
    expect(want.length).toBeGreaterThan(10);
    expect(local.remote).toBeNull();
    expect((await runJson('local')).remote).toBeNull();

    const url = server.urlFor(des.path);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    server.log.length = 0;
    const events: RunProgress[] = [];
    const remote = await runTrainingSet(project(url, 'remote'), {
      workers: 2,
      remote: { cacheDir },
      onProgress: (p) => events.push(p),
    });
    expect(rowsOf(await readParquetFile(remote.outputPath))).toEqual(want);
    expect(remote.pixels).toBe(local.pixels);
    expect(remote.pixels).toBeGreaterThan(1);

    const record = (await runJson('remote')).remote!;
    // 404 answers to the layout probes (hats.properties of a collection) are not data
    const sent = server.log.filter((r) => r.status < 400).reduce((s, r) => s + r.bytes, 0);
    expect(record.settings).toEqual({ cacheDir });
    // every request and body byte the server logged, counted once (main thread + 2 workers)
    expect(record.requests).toBe(server.log.length);
    expect(record.bytesDownloaded).toBe(sent);
    expect(record.bytesDownloaded).toBeGreaterThan(0);
    expect(record.urls.reduce((s, u) => s + u.bytesDownloaded, 0)).toBe(sent);
    expect(record.urls.reduce((s, u) => s + u.requests, 0)).toBe(server.log.length);
    const leaves = record.urls.filter((u) =>
      /\/dataset\/Norder=\d+\/Dir=\d+\/Npix=\d+/.test(u.url),
    );
    expect(leaves.length).toBeGreaterThanOrEqual(remote.pixels);
    for (const u of record.urls) {
      expect(u.url.startsWith(server.url)).toBe(true);
      expect(u.requests).toBeGreaterThan(0);
    }
    for (const u of leaves) expect(u.bytesDownloaded + u.bytesFromCache).toBeGreaterThan(0);
    expect(new Set(record.urls.map((u) => u.url)).size).toBe(record.urls.length);
    // progress reports the same bytes, growing as pixels finish
    const last = events.at(-1)!;
    expect(last.stage).toBe('done');
    expect(last.bytesDownloaded).toBe(sent);
    const cross = events.filter((e) => e.stage === 'crossmatch').map((e) => e.bytesDownloaded!);
    expect(cross.length).toBe(remote.pixels);
    for (let i = 1; i < cross.length; i++) expect(cross[i]).toBeGreaterThanOrEqual(cross[i - 1]);
    expect(remote.remote!.bytesDownloaded).toBe(sent);
    expect(summaryLines(project(url, 'remote'), remote).at(-1)).toBe(
      `  remote               ${server.log.length} requests, ${formatBytes(sent)} downloaded, ${formatBytes(record.bytesFromCache)} from the cache (${record.urls.length} URLs in run.json)`,
    );
  }, 120_000);

  it('offline, the workers read everything from the same cache folder', async () => {
    const url = server.urlFor(des.path);
    const want = rowsOf(
      await readParquetFile(
        (await runTrainingSet(project(url, 'warm'), { workers: 2, remote: { cacheDir } }))
          .outputPath,
      ),
    );
    server.log.length = 0;
    const offline = await runTrainingSet(project(url, 'offline'), {
      workers: 2,
      remote: { cacheDir, offline: true },
    });
    // offline settings reached the workers: not one request, every byte from the cache
    expect(server.log).toHaveLength(0);
    expect(rowsOf(await readParquetFile(offline.outputPath))).toEqual(want);
    const record = (await runJson('offline')).remote!;
    expect(record.requests).toBe(0);
    expect(record.bytesDownloaded).toBe(0);
    expect(record.bytesFromCache).toBeGreaterThan(0);
    expect(record.missing).toEqual([]);
    expect(record.urls.every((u) => u.bytesFromCache > 0)).toBe(true);

    // the same through `tsm run --cache-dir DIR --offline`
    const out = join(dir, 'cli-offline');
    await exec(process.execPath, [
      join(PROJECT_ROOT, 'dist', 'cli.js'),
      'run',
      '--specz',
      speczFile,
      '--id',
      'id',
      '--photometry',
      url,
      '--dereddening',
      'none',
      '--seed',
      '3',
      '--cache-dir',
      cacheDir,
      '--offline',
      '--workers',
      '2',
      '--out',
      out,
      '--progress',
      'none',
    ]);
    expect(server.log).toHaveLength(0);
    expect(rowsOf(await readParquetFile(join(out, 'tsm.parquet')))).toEqual(want);
    const cli = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as {
      remote: RemoteRecord;
    };
    expect(cli.remote.settings).toEqual({ cacheDir, offline: true });
    expect(cli.remote.bytesFromCache).toBe(record.bytesFromCache);
  }, 120_000);
});
