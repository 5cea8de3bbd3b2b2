/**
 * Limits benchmark (by hand, not part of npm test): a spec-z catalog of 5 million rows against a
 * photometric HATS catalog of 20 million rows, through `tsm run` (dist/cli.js) in a child
 * process; reports wall time and peak memory (VmHWM, the peak RSS of the whole process, worker
 * threads included).
 *
 *   node bench/limits.mjs [speczRows=5000000] [photometricRows=20000000] [workDir=/tmp/tsm-limits]
 *
 * The catalogs are generated once (test/reliability/helpers.ts makeSyntheticCatalogs: objects
 * uniform in 10x10 deg, every k-th with a spec-z 0.1" away) and kept in workDir for re-runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeSyntheticCatalogs } from '../test/reliability/helpers';

const speczRows = Number(process.argv[2] ?? 5_000_000);
const photometricRows = Number(process.argv[3] ?? 20_000_000);
const workDir = resolve(process.argv[4] ?? '/tmp/tsm-limits');
const root = resolve(import.meta.dirname ?? '.', '..');
const cli = join(root, 'dist', 'cli.js');

interface Measured {
  code: number | null;
  wallS: number;
  maxRssMb: number;
  stderrTail: string;
}

/**
 * Runs `node args` and measures its peak RSS: VmHWM of /proc/<pid>/status (Linux), sampled every
 * 200 ms (it is a high-water mark, so the last sample before exit is the peak).
 */
function measure(args: string[], cwd: string): Promise<Measured> {
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'inherit', 'pipe'] });
    let peakKb = 0;
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0));
      } catch {
        // exited
      }
    }, 200);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      if (err.length > 200_000) err = err.slice(-100_000);
    });
    child.on('close', (code) => {
      clearInterval(sample);
      done({
        code,
        wallS: (Date.now() - t0) / 1000,
        maxRssMb: peakKb / 1024,
        stderrTail: err
          .split('\n')
          .filter((l) => /tsm|rror/.test(l))
          .slice(-5)
          .join('\n'),
      });
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  const speczEvery = Math.max(1, Math.round(photometricRows / speczRows));
  const tag = `${speczRows}-${photometricRows}`;
  const data = join(workDir, `data-${tag}`);
  const meta = join(data, 'catalogs.json');
  if (!existsSync(meta)) {
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
    const t0 = Date.now();
    const cats = await makeSyntheticCatalogs(data, {
      photometricRows,
      speczEvery,
      partitionRows: 500_000,
      seed: 1,
      batchRows: 1_000_000,
    });
    writeFileSync(meta, JSON.stringify({ ...cats, generatedS: (Date.now() - t0) / 1000 }));
    console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const cats = JSON.parse(readFileSync(meta, 'utf8'));
  const out = join(workDir, `out-${tag}`);
  rmSync(out, { recursive: true, force: true });
  const run = await measure(
    [
      cli,
      'run',
      '--specz',
      cats.specz,
      '--photometry',
      cats.photometry,
      '--id',
      'id',
      '--dereddening',
      'none',
      '--seed',
      '1',
      '--out',
      out,
      '--workers',
      '2',
      '--progress',
      'none',
    ],
    workDir,
  );
  const outFile = join(out, 'tsm.parquet');
  const result = {
    speczRows: cats.speczRows,
    photometricRows: cats.photometricRows,
    exitCode: run.code,
    wallS: Math.round(run.wallS),
    peakRssMb: Math.round(run.maxRssMb),
    outputMb: existsSync(outFile) ? Math.round(statSync(outFile).size / 2 ** 20) : null,
    rowsWritten: existsSync(join(out, 'run.json'))
      ? JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).counts?.written
      : null,
    node: process.version,
    note: run.code === 0 ? undefined : run.stderrTail,
  };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(join(workDir, `result-${tag}.json`), JSON.stringify(result, null, 2));
}

await main();
