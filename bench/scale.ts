/**
 * Scale benchmark (issue "Benchmarks at scale against LSDB and STILTS"): on seeded synthetic
 * catalogs (bench/scale-data.ts), runs in one session and on the same data
 * - ours: `tsm run` (crossmatch + photometry + Parquet) with 1 and 2 workers, `tsm xmatch`;
 * - the floor: reading and decoding every needed Parquet column of every row in full through our
 *   HATS reader (`tsm run` decodes less: the non-coordinate columns of matched rows only, so it
 *   can come close to or under it);
 * - LSDB: open_catalog + crossmatch + to_hats, default Dask settings and 2 worker processes;
 * - STILTS: tmatch2 sky best1 on the same positions (FITS).
 * Every peer's matched pairs are checked against ours before its timing counts. Prints a table
 * and writes bench/results/scale-<size>.json. Run: `npm run bench [-- --size large]`.
 * Flags: --size small|large, --cases PHOTxSPECZ,... (instead of a size), --seed N,
 * --peers a,b,..., --repeat N (N rounds of every peer, interleaved; figures are medians),
 * --profile (CPU profile of ours with 1 worker on the last case), --out FILE.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePhotometric, ensureSpecz, type ScaleCatalog } from './scale-data';
import { measure, type Measured } from './scale-measure';
import { summarizeProfiles, type ProfileSummary } from './scale-profile';
import { printTables, type CaseResult, type PeerResult } from './scale-report';

const ROOT = resolve(process.env.TSM_ROOT ?? process.cwd());
const PY = join(ROOT, 'bench', '.venv', 'bin', 'python');
const RADIUS_ARCSEC = 1;
/**
 * A private copy of dist/ taken when the bench starts: other people's `npm run build` must not
 * swap the engine between two peers of one run.
 */
const DIST = join(ROOT, 'out', 'bench-dist');

interface Case {
  phot: number;
  specz: number;
}

const SIZES: Record<string, Case[]> = {
  /** For developing the bench itself (seconds). */
  tiny: [{ phot: 200_000, specz: 5_000 }],
  small: [
    { phot: 1_000_000, specz: 10_000 },
    { phot: 1_000_000, specz: 100_000 },
  ],
  large: [
    { phot: 1_000_000, specz: 100_000 },
    { phot: 3_000_000, specz: 100_000 },
    { phot: 10_000_000, specz: 100_000 },
    { phot: 10_000_000, specz: 10_000 },
    { phot: 10_000_000, specz: 1_000_000 },
  ],
};
/** Spec-z positions are drawn from the first million photometric rows (shared by every size). */
const SPECZ_SOURCE_ROWS = 1_000_000;

const ALL_PEERS = [
  'ours-w1',
  'ours-w2',
  'ours-default',
  'xmatch-w2',
  'floor-w1',
  'floor-w2',
  'floor-coords-w2',
  'floor-wasm-w2',
  'lsdb-default',
  'lsdb-workers2',
  'stilts',
] as const;
type Peer = (typeof ALL_PEERS)[number];

function machine(): Record<string, unknown> {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  return {
    nproc: sh('nproc', []),
    cpu: cpus()[0]?.model,
    totalMemGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemGiB: +(freemem() / 2 ** 30).toFixed(1),
    freeG: sh('free', ['-g']),
    node: process.version,
    lsdb: sh(PY, ['-c', 'import lsdb,dask;print(lsdb.__version__, dask.__version__)']),
    stilts:
      sh('stilts', ['-version'])
        ?.split('\n')
        .find((l) => /version/i.test(l)) ?? null,
    loadAverage: loadavg().map((x) => +x.toFixed(2)),
  };
}

/**
 * The `tsm` command as its first line (`#!/usr/bin/env -S NAME=value... node flags...`,
 * scripts/build.mjs) starts it, on this Node: `env`, its variables, node, its flags, then `cli`
 * (and `extraNodeFlags` after the command's own), so the bench runs it as `npx tsm` does.
 */
function tsmCommand(cli: string, extraNodeFlags: string[] = []): string[] {
  const first = readFileSync(cli, 'utf8').slice(0, 200).split('\n')[0];
  const words = first.replace(/^#!/, '').trim().split(/\s+/);
  const nodeAt = words.indexOf('node');
  const variables = words.slice(0, nodeAt).filter((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  return [
    ...(variables.length > 0 ? ['/usr/bin/env', ...variables] : []),
    process.execPath,
    ...words.slice(nodeAt + 1),
    ...extraNodeFlags,
    cli,
  ];
}

function peerCommand(
  peer: Peer,
  specz: ScaleCatalog,
  phot: ScaleCatalog,
  out: string,
  extraNodeFlags: string[] = [],
): string[] {
  const node = process.execPath;
  const cli = join(DIST, 'cli.js');
  /** `tsm run`; without a worker count, the one it chooses (compute/pipeline/auto-workers.ts). */
  const run = (workers: number | null) => [
    ...tsmCommand(cli, extraNodeFlags),
    'run',
    '--specz',
    specz.hats,
    '--photometry',
    phot.hats,
    '--radius-arcsec',
    String(RADIUS_ARCSEC),
    '--n-neighbors',
    '1',
    '--dereddening',
    'sfd-lowres',
    '--format',
    'parquet',
    '--name',
    'bench',
    '--seed',
    '1',
    '--out',
    out,
    ...(workers === null ? [] : ['--workers', String(workers)]),
    '--progress',
    'none',
  ];
  switch (peer) {
    case 'ours-w1':
      return run(1);
    case 'ours-w2':
      return run(2);
    case 'ours-default':
      return run(null);
    case 'xmatch-w2':
      return [
        ...tsmCommand(cli, extraNodeFlags),
        'xmatch',
        specz.hats,
        phot.hats,
        '--radius-arcsec',
        String(RADIUS_ARCSEC),
        '--workers',
        '2',
        '--out',
        join(out, 'xmatch.parquet'),
      ];
    case 'floor-w1':
    case 'floor-w2':
    case 'floor-coords-w2':
    case 'floor-wasm-w2':
      return [
        node,
        join(ROOT, 'out', 'bench-scale-floor.mjs'),
        specz.hats,
        phot.hats,
        peer === 'floor-w1' ? '1' : '2',
        { 'floor-coords-w2': 'coords', 'floor-wasm-w2': 'wasm' }[peer as string] ?? 'all',
      ];
    case 'lsdb-default':
    case 'lsdb-workers2':
      return [
        PY,
        join(ROOT, 'bench', 'scale_lsdb.py'),
        specz.hats,
        phot.hats,
        join(out, 'lsdb'),
        String(RADIUS_ARCSEC),
        peer === 'lsdb-default' ? 'default' : 'workers2',
      ];
    case 'stilts':
      return [
        'stilts',
        'tmatch2',
        `in1=${specz.fits}`,
        'ifmt1=fits',
        `in2=${phot.fits}`,
        'ifmt2=fits',
        'matcher=sky',
        `params=${RADIUS_ARCSEC}`,
        'values1=ra dec',
        'values2=coord_ra coord_dec',
        'find=best1',
        'join=1and2',
        `out=${join(out, 'stilts.fits')}`,
        'ofmt=fits',
      ];
  }
}

/** What scale_check.py reads for a peer's output (null: the peer writes no pairs). */
async function checkEntry(
  peer: Peer,
  out: string,
): Promise<{ name: string; kind: string; path: string } | null> {
  if (peer === 'ours-w1' || peer === 'ours-w2' || peer === 'ours-default') {
    const file = (await readdir(out)).find((f) => f.endsWith('.parquet'));
    return file ? { name: peer, kind: 'ours', path: join(out, file) } : null;
  }
  if (peer === 'xmatch-w2')
    return { name: peer, kind: 'xmatch', path: join(out, 'xmatch.parquet') };
  if (peer.startsWith('lsdb')) return { name: peer, kind: 'lsdb', path: join(out, 'lsdb') };
  if (peer === 'stilts') return { name: peer, kind: 'stilts', path: join(out, 'stilts.fits') };
  return null;
}

function outputRows(peer: Peer, m: Measured): number | null {
  try {
    if (peer.startsWith('lsdb') || peer.startsWith('floor')) {
      const last = m.stdout.trim().split('\n').pop()!;
      return (JSON.parse(last) as { rows: number }).rows;
    }
    const rows = /(\d+) rows/.exec(m.stdout + m.stderr);
    return rows ? Number(rows[1]) : null;
  } catch {
    return null;
  }
}

async function runCase(
  c: Case,
  peers: Peer[],
  dataRoot: string,
  seed: number,
  repeat: number,
): Promise<CaseResult> {
  const phot = await ensurePhotometric(dataRoot, seed, c.phot);
  const specz = await ensureSpecz(dataRoot, seed, c.specz, Math.min(SPECZ_SOURCE_ROWS, c.phot));
  const label = `phot ${c.phot / 1e6}M x specz ${c.specz / 1e3}k`;
  console.error(
    `# ${label}: photometric ${phot.partitions} partitions (${phot.reused ? 'reused' : `written in ${phot.seconds.toFixed(0)} s`}), spec-z ${specz.partitions}`,
  );
  const results: PeerResult[] = [];
  const entries = [];
  const outRoot = join(dataRoot, 'out', `p${c.phot}_s${c.specz}`);
  // Rounds interleave the peers, so a slow spell of a shared machine touches every peer alike;
  // each figure is the median of a peer's runs. The last round's outputs are checked.
  const runs = new Map<Peer, Measured[]>(peers.map((p) => [p, []]));
  for (let round = 1; round <= repeat; round++) {
    for (const peer of peers) {
      const out = join(outRoot, peer);
      await rm(out, { recursive: true, force: true });
      await mkdir(out, { recursive: true });
      const m = await measure(peerCommand(peer, specz, phot, out), { timeoutMs: 3_600_000 });
      const of = repeat > 1 ? ` (run ${round}/${repeat})` : '';
      console.error(
        `  ${peer}${of}: ${m.wallSeconds.toFixed(1)} s, CPU ${m.cpuSeconds?.toFixed(1)} s, ${m.peakRssMiB.toFixed(0)} MiB, exit ${m.exitCode}`,
      );
      if (m.exitCode !== 0) console.error(m.stderr.slice(-2000));
      runs.get(peer)!.push(m);
    }
  }
  for (const peer of peers) {
    const ms = runs.get(peer)!;
    const last = ms[ms.length - 1];
    const failed = ms.find((m) => m.exitCode !== 0);
    const cpu = ms.map((m) => m.cpuSeconds);
    const wallSeconds = median(ms.map((m) => m.wallSeconds));
    results.push({
      peer,
      command: last.command,
      exitCode: failed ? failed.exitCode : 0,
      wallSeconds,
      peakRssMiB: median(ms.map((m) => m.peakRssMiB)),
      cpuSeconds: cpu.every((x) => x !== null) ? median(cpu as number[]) : null,
      rowsPerSecond: (c.phot + c.specz) / wallSeconds,
      outputRows: outputRows(peer, last),
      stdoutTail: last.stdout.trim().split('\n').slice(-3).join('\n'),
      ...(ms.length > 1 && {
        runs: ms.map((m) => ({
          wallSeconds: m.wallSeconds,
          cpuSeconds: m.cpuSeconds,
          peakRssMiB: m.peakRssMiB,
          exitCode: m.exitCode,
        })),
      }),
    });
    const entry = !failed ? await checkEntry(peer, join(outRoot, peer)) : null;
    if (entry) entries.push(entry);
  }
  let agreement: Record<string, { rows: number; pairs: number; missing?: number; extra?: number }> =
    {};
  if (entries.length > 0) {
    const text = execFileSync(
      PY,
      [join(ROOT, 'bench', 'scale_check.py'), JSON.stringify(entries)],
      { encoding: 'utf8' },
    );
    agreement = JSON.parse(text.trim().split('\n').pop()!);
  }
  const reference = entries[0]?.name;
  for (const r of results) {
    const a = agreement[r.peer];
    if (!a) continue;
    r.pairs = a.pairs;
    r.agrees = r.peer === reference ? true : a.missing === 0 && a.extra === 0;
    r.missing = a.missing;
    r.extra = a.extra;
    r.outputRows = a.rows;
  }
  await rm(outRoot, { recursive: true, force: true });
  return {
    label,
    photRows: c.phot,
    speczRows: c.specz,
    photPartitions: phot.partitions,
    reference,
    peers: results,
  };
}

async function profileOurs(c: Case, dataRoot: string, seed: number): Promise<ProfileSummary> {
  const phot = await ensurePhotometric(dataRoot, seed, c.phot);
  const specz = await ensureSpecz(dataRoot, seed, c.specz, Math.min(SPECZ_SOURCE_ROWS, c.phot));
  const dir = join(dataRoot, 'profile');
  const out = join(dataRoot, 'out', 'profile');
  await rm(dir, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const m = await measure(
    peerCommand('ours-w1', specz, phot, out, ['--cpu-prof', `--cpu-prof-dir=${dir}`]),
  );
  console.error(`  profile run: ${m.wallSeconds.toFixed(1)} s, exit ${m.exitCode}`);
  await rm(out, { recursive: true, force: true });
  return summarizeProfiles(dir);
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** `--cases 3000000x100000,10000000x100000`: photometric x spec-z rows, instead of a size. */
function parseCases(text: string): Case[] {
  return text.split(',').map((item) => {
    const [phot, specz] = item.split('x').map(Number);
    if (!(phot > 0 && specz > 0)) throw new Error(`--cases: '${item}' is not PHOTxSPECZ`);
    return { phot, specz };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' },
      seed: { type: 'string', default: '20261125' },
      peers: { type: 'string' },
      profile: { type: 'boolean', default: false },
      cases: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      data: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const cases = values.cases ? parseCases(values.cases) : SIZES[values.size!];
  if (!cases) throw new Error(`--size must be small or large (got ${values.size})`);
  const peers = (values.peers ? values.peers.split(',') : [...ALL_PEERS]) as Peer[];
  for (const p of peers)
    if (!ALL_PEERS.includes(p))
      throw new Error(`unknown peer ${p}; peers: ${ALL_PEERS.join(', ')}`);
  if (!existsSync(join(ROOT, 'dist', 'cli.js')))
    throw new Error('dist/cli.js missing: npm run build');
  await rm(DIST, { recursive: true, force: true });
  await cp(join(ROOT, 'dist'), DIST, { recursive: true });
  const seed = Number(values.seed);
  const dataRoot = resolve(values.data ?? join(ROOT, 'bench', 'data', 'scale'));
  const started = new Date().toISOString();
  const machineBefore = machine();
  const results: CaseResult[] = [];
  const repeat = Number(values.repeat);
  if (!(Number.isInteger(repeat) && repeat >= 1)) {
    throw new Error(`--repeat must be a whole number >= 1 (got ${values.repeat})`);
  }
  for (const c of cases) results.push(await runCase(c, peers, dataRoot, seed, repeat));
  const profile = values.profile
    ? await profileOurs(cases[cases.length - 1], dataRoot, seed)
    : undefined;
  const report = {
    benchmark: 'scale',
    size: values.cases ? `cases ${values.cases}` : values.size,
    seed,
    radiusArcsec: RADIUS_ARCSEC,
    repeat,
    started,
    finished: new Date().toISOString(),
    machine: machineBefore,
    loadAverageAfter: loadavg().map((x) => +x.toFixed(2)),
    cases: results,
    profile,
  };
  printTables(report);
  const file = resolve(
    values.out ??
      join(ROOT, 'bench', 'results', `scale-${values.cases ? 'custom' : values.size}.json`),
  );
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, JSON.stringify(report, null, 1) + '\n');
  console.log(`\nresults: ${file}`);
}

await main();
