/**
 * Remote crossmatch benchmark: the same crossmatch of LSDB test catalogs served by a local HTTP
 * server (test/helpers/fixture-server.ts, 127.0.0.1), run by this engine (cold cache, warm cache,
 * offline) and by LSDB (`lsdb.open_catalog(url)` + `crossmatch`, bench/remote_lsdb.py), with the
 * requests and bytes counted by the server. Run: `node bench/remote-crossmatch.mjs`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossmatch } from '../compute/crossmatch/crossmatch';
import { openHats, type HatsCatalog } from '../compute/hats';
import { HttpSession } from '../compute/hats/http-session';
import { HttpStore } from '../compute/hats/http-store';
import { LSDB_DATA, PROJECT_ROOT } from '../test/fixtures';
import { startFixtureServer, type FixtureServer } from '../test/helpers/fixture-server';

interface Case {
  name: string;
  left: string;
  right: string;
  margin: string;
  radiusArcsec: number;
  nNeighbors: number;
}

const CASES: Case[] = [
  {
    name: 'small_sky x small_sky_xmatch (+margin), r=7200", k=3',
    left: 'small_sky',
    right: 'small_sky_xmatch',
    margin: 'small_sky_xmatch_margin',
    radiusArcsec: 7200,
    nNeighbors: 3,
  },
  {
    name: 'small_sky x small_sky_order3_source (+margin), r=1000", k=1',
    left: 'small_sky',
    right: 'small_sky_order3_source',
    margin: 'small_sky_order3_source_margin',
    radiusArcsec: 1000,
    nNeighbors: 1,
  },
];

interface Measure {
  run: string;
  rows: number;
  seconds: number;
  requests: number;
  bytesDownloaded: number;
  bytesFromCache?: number;
}

function serverCounts(server: FixtureServer): { requests: number; bytes: number } {
  return { requests: server.log.length, bytes: server.log.reduce((n, r) => n + r.bytes, 0) };
}

async function oursOnce(
  server: FixtureServer,
  c: Case,
  session: HttpSession,
  run: string,
): Promise<Measure> {
  server.log.length = 0;
  const t0 = performance.now();
  const open = async (name: string): Promise<HatsCatalog> => {
    const opened = await openHats(new HttpStore(server.urlFor(join(LSDB_DATA, name)), session));
    if (opened.kind !== 'catalog') throw new Error(`${name} is not a catalog`);
    return opened;
  };
  const [left, right, margin] = await Promise.all([open(c.left), open(c.right), open(c.margin)]);
  let rows = 0;
  const options = {
    radiusArcsec: c.radiusArcsec,
    nNeighbors: c.nNeighbors,
    rightMargin: margin,
    workers: 0,
  };
  for await (const t of crossmatch(left, right, options)) rows += t.numRows;
  const seconds = (performance.now() - t0) / 1000;
  const stats = session.stats();
  const counted = serverCounts(server);
  if (counted.requests !== stats.requests || counted.bytes !== stats.bytesDownloaded) {
    throw new Error(`stats disagree with the server log: ${JSON.stringify({ counted, stats })}`);
  }
  return {
    run,
    rows,
    seconds,
    requests: stats.requests,
    bytesDownloaded: stats.bytesDownloaded,
    bytesFromCache: stats.bytesFromCache,
  };
}

async function lsdbOnce(
  server: FixtureServer,
  c: Case,
): Promise<Measure | { run: string; error: string }> {
  const python = join(PROJECT_ROOT, 'bench', '.venv', 'bin', 'python');
  if (!existsSync(python))
    return {
      run: 'lsdb',
      error: 'bench/.venv missing: python3 -m venv bench/.venv && bench/.venv/bin/pip install lsdb',
    };
  server.log.length = 0;
  const url = (name: string) => server.urlFor(join(LSDB_DATA, name));
  const args = [
    join(PROJECT_ROOT, 'bench', 'remote_lsdb.py'),
    url(c.left),
    url(c.right),
    url(c.margin),
    String(c.radiusArcsec),
    String(c.nNeighbors),
  ];
  const t0 = performance.now();
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(python, args, {
      encoding: 'utf8',
      env: { ...process.env, PYTHONWARNINGS: 'ignore' },
      maxBuffer: 1 << 24,
    }));
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? err);
    return { run: 'lsdb', error: stderr.trim().split('\n').slice(-3).join(' | ') };
  }
  const seconds = (performance.now() - t0) / 1000;
  const res = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    rows: number;
    seconds: number;
    lsdb: string;
  };
  const counted = serverCounts(server);
  return {
    run: `lsdb ${res.lsdb} (python ${res.seconds}s inside, process ${seconds.toFixed(2)}s)`,
    rows: res.rows,
    seconds: res.seconds,
    requests: counted.requests,
    bytesDownloaded: counted.bytes,
  };
}

async function main(): Promise<void> {
  const server = await startFixtureServer();
  const results: { case: string; measures: (Measure | { run: string; error: string })[] }[] = [];
  for (const c of CASES) {
    const cacheDir = await mkdtemp(join(tmpdir(), 'tsm-bench-remote-'));
    const measures: (Measure | { run: string; error: string })[] = [];
    try {
      measures.push(await oursOnce(server, c, new HttpSession({ cacheDir }), 'tsm cold cache'));
      measures.push(
        await oursOnce(
          server,
          c,
          new HttpSession({ cacheDir }),
          'tsm warm cache (304 revalidation)',
        ),
      );
      measures.push(
        await oursOnce(server, c, new HttpSession({ cacheDir, offline: true }), 'tsm offline'),
      );
      measures.push(
        await oursOnce(
          server,
          c,
          new HttpSession({ cacheDir, revalidateAfterMs: 3_600_000 }),
          'tsm warm cache, revalidateAfterMs=1h',
        ),
      );
      measures.push(
        await oursOnce(
          server,
          c,
          new HttpSession({ cacheDir: false, blockBytes: 32 * 1024 }),
          'tsm no cache, 32 KiB blocks',
        ),
      );
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
    measures.push(await lsdbOnce(server, c));
    results.push({ case: c.name, measures });
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`;
  for (const r of results) {
    console.log(`\n${r.case}`);
    console.table(r.measures);
  }
  console.log(`machine: ${machine}`);
  await server.close();
  const file = join(PROJECT_ROOT, 'bench', 'remote-crossmatch-results.json');
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
  console.log(`written ${file}`);
}

await main();
