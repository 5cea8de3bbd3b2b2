/**
 * Shared tools of the reliability tests: temporary folders, a snapshot of a folder tree (to prove
 * that nothing was written or changed), synthetic catalogs of any size, the `tsm` CLI as a child
 * process, and small file systems that are full or read-only (tmpfs, when this user may mount).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Dirent,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tableFromArrays, type Table } from 'apache-arrow';
import { Prng } from '../../compute/demo/surveys/prng';
import { writeHatsCatalog } from '../../compute/io/hats-writer';
import { tableToParquetBytes } from '../../compute/io/parquet-file';
import { PROJECT_ROOT } from '../fixtures';
import { tempDir as sharedTempDir } from '../helpers/temp-dir';

export const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

/** test/helpers/temp-dir.ts's tempDir, named tsm-rel-* by default. */
export function tempDir(prefix = 'tsm-rel-'): { dir: string; cleanup: () => void } {
  return sharedTempDir(prefix);
}

/** Every file under `dir` (relative path -> sha256 of its bytes), and every folder (-> 'dir'). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (e.isDirectory()) {
        out[rel + '/'] = 'dir';
        walk(p);
      } else {
        out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * Names in `dir` (recursively) that end with `.partial` (a writer's unfinished output). Reads
 * names only, and lets files and folders vanish while it looks (it is called while a run writes
 * and deletes files there, e.g. its write check); a missing `dir` has none.
 */
export function partialsUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const rel = relative(dir, join(d, e.name)) + (e.isDirectory() ? '/' : '');
      if (/\.partial\/?$/.test(rel) || rel.includes('.partial/')) found.push(rel);
      if (e.isDirectory()) walk(join(d, e.name));
    }
  };
  walk(dir);
  return found.sort();
}

/** Seeded uniform deviates in [0, 1): compute/demo/surveys/prng.ts (mulberry32) as a function. */
export function prng(seed: number): () => number {
  const generator = new Prng(seed);
  return () => generator.next();
}

export interface SyntheticOptions {
  photometricRows: number;
  /** One spec-z row per `speczEvery` photometric rows (0.1" away), plus `speczFar` rows far away. */
  speczEvery: number;
  speczFar?: number;
  partitionRows?: number;
  seed?: number;
  /** Rows per generated batch (the catalog is streamed into the writer). */
  batchRows?: number;
}

export interface SyntheticCatalogs {
  /** HATS catalog folder: id (int64), ra, dec, mag_r (float64). */
  photometry: string;
  /** Parquet spec-z file: id, ra, dec, z. */
  specz: string;
  photometricRows: number;
  speczRows: number;
  /** Spec-z rows with a counterpart 0.1" away. */
  speczMatched: number;
}

/** Region of the synthetic sky: ra 150..160 deg, dec -5..5 deg. */
const RA0 = 150;
const DEC0 = -5;
const SIDE = 10;

/**
 * Writes a synthetic photometric HATS catalog and a spec-z Parquet file under `dir`. Objects are
 * uniform in a 10x10 deg patch; every `speczEvery`-th has a spec-z 0.1" north of it, so an inner
 * join at 1" matches exactly those (objects are ~10" apart at 10^6 rows, far more than 1").
 */
export async function makeSyntheticCatalogs(
  dir: string,
  options: SyntheticOptions,
): Promise<SyntheticCatalogs> {
  const rand = prng(options.seed ?? 1);
  const batchRows = options.batchRows ?? 500_000;
  const speczRa: number[] = [];
  const speczDec: number[] = [];
  const n = options.photometricRows;
  async function* batches(): AsyncGenerator<Table> {
    for (let start = 0; start < n; start += batchRows) {
      const len = Math.min(batchRows, n - start);
      const id = new BigInt64Array(len);
      const ra = new Float64Array(len);
      const dec = new Float64Array(len);
      const mag = new Float64Array(len);
      for (let i = 0; i < len; i++) {
        id[i] = BigInt(start + i);
        ra[i] = RA0 + SIDE * rand();
        dec[i] = DEC0 + SIDE * rand();
        mag[i] = 18 + 6 * rand();
        if ((start + i) % options.speczEvery === 0) {
          speczRa.push(ra[i]);
          speczDec.push(dec[i] + 0.1 / 3600);
        }
      }
      yield tableFromArrays({ id, ra, dec, mag_r: mag });
    }
  }
  const photometry = join(dir, 'photometry');
  await writeHatsCatalog(photometry, batches(), {
    name: 'synthetic',
    partitionRows: options.partitionRows ?? 20_000,
  });
  const matched = speczRa.length;
  for (let i = 0; i < (options.speczFar ?? 0); i++) {
    speczRa.push(30 + 10 * rand());
    speczDec.push(40 + 10 * rand());
  }
  const rows = speczRa.length;
  const specz = join(dir, 'specz.parquet');
  const z = Float64Array.from({ length: rows }, () => 0.01 + 2 * rand());
  await writeFile(
    specz,
    tableToParquetBytes(
      tableFromArrays({
        id: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)),
        ra: Float64Array.from(speczRa),
        dec: Float64Array.from(speczDec),
        z,
      }),
    ),
  );
  return { photometry, specz, photometricRows: n, speczRows: rows, speczMatched: matched };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` to the end. */
export function runCli(
  args: string[],
  options: { cwd?: string; cli?: string; env?: NodeJS.ProcessEnv; uid?: number } = {},
): Promise<CliResult> {
  const child = spawnCli(args, options);
  return finished(child);
}

/** Starts `node dist/cli.js ...args` (stdout/stderr collected on the child). */
export function spawnCli(
  args: string[],
  options: { cwd?: string; cli?: string; env?: NodeJS.ProcessEnv; uid?: number } = {},
): ChildProcess & { out: string[]; err: string[] } {
  const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { ...process.env, ...options.env },
    uid: options.uid,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { out: string[]; err: string[] };
  child.out = [];
  child.err = [];
  child.stdout!.setEncoding('utf8').on('data', (s: string) => child.out.push(s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => child.err.push(s));
  return child;
}

/** Waits for a spawned CLI to exit. */
export function finished(
  child: ChildProcess & { out: string[]; err: string[] },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout: child.out.join(''), stderr: child.err.join('') }),
    );
  });
}

/** True when this process may mount a tmpfs (root in a container that allows it). */
export function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'tsm-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs at `dir` (options e.g. 'size=64k' or 'ro'); returns the unmount function. */
export function mountTmpfs(dir: string, options: string): () => void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  return () => execFileSync('umount', [dir], { stdio: 'ignore' });
}

/** Fills the file system holding `dir` until a write fails with ENOSPC. */
export function fillUp(dir: string): void {
  const block = Buffer.alloc(4096, 1);
  for (let k = 0; k < 1_000_000; k++) {
    try {
      writeFileSync(join(dir, `filler-${k}`), block);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw err;
    }
  }
  throw new Error(`${dir}: could not fill the file system`);
}

/** Size of a file, or -1 when it does not exist. */
export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}
