/**
 * Runs one command and measures its wall time and the peak resident memory of its whole process
 * tree (the command plus every descendant, e.g. Dask worker processes or a JVM), sampled from
 * /proc every `sampleMs` (Linux only; a spike shorter than the interval can be missed).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  command: string;
  exitCode: number | null;
  wallSeconds: number;
  /** Peak of the summed RSS of the process tree, in MiB. */
  peakRssMiB: number;
  /** User + system CPU seconds of the command and its waited-for children (GNU time). */
  cpuSeconds: number | null;
  /** GNU time's maximum RSS of the largest single process, in MiB (a cross-check). */
  maxRssSingleMiB: number | null;
  samples: number;
  stdout: string;
  stderr: string;
}

const PAGE_BYTES = 4096;

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    } catch {
      // the thread ended
    }
  }
  return out;
}

function rssBytes(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return Number(fields[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/** Summed RSS (bytes) of `root` and all its descendants right now. */
export function treeRssBytes(root: number): number {
  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rssBytes(pid);
    stack.push(...childrenOf(pid));
  }
  return total;
}

const GNU_TIME = '/usr/bin/time';

function readGnuTime(file: string): { cpu: number; maxRssMiB: number } | null {
  try {
    const last = readFileSync(file, 'utf8').trim().split('\n').pop()!;
    const [user, sys, maxKiB] = last.split(' ').map(Number);
    return Number.isFinite(user + sys) ? { cpu: user + sys, maxRssMiB: maxKiB / 1024 } : null;
  } catch {
    return null;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Runs `argv` (no shell) with `env` added under GNU time (`/usr/bin/time -f '%U %S %M'`, for
 * the CPU seconds), and measures it.
 */
export function measure(
  argv: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    sampleMs?: number;
    timeoutMs?: number;
  } = {},
): Promise<Measured> {
  const sampleMs = options.sampleMs ?? 50;
  return new Promise((resolve, reject) => {
    const timeFile = join(
      tmpdir(),
      `scale-time-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const wrapped = [GNU_TIME, '-o', timeFile, '-f', '%U %S %M', ...argv];
    const t0 = performance.now();
    const child = spawn(wrapped[0], wrapped.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    let samples = 0;
    const timer = setInterval(() => {
      if (child.pid === undefined) return;
      peak = Math.max(peak, treeRssBytes(child.pid));
      samples++;
    }, sampleMs);
    const killer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs)
      : undefined;
    child.on('error', (err) => {
      clearInterval(timer);
      if (killer) clearTimeout(killer);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (killer) clearTimeout(killer);
      const gnu = readGnuTime(timeFile);
      resolve({
        cpuSeconds: gnu?.cpu ?? null,
        maxRssSingleMiB: gnu?.maxRssMiB ?? null,
        command: argv.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' '),
        exitCode: code,
        wallSeconds: (performance.now() - t0) / 1000,
        peakRssMiB: peak / 2 ** 20,
        samples,
        stdout,
        stderr,
      });
    });
  });
}
