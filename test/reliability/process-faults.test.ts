/**
 * Faults of whole processes, on `tsm run` (dist/cli.js) over a synthetic 60 000-object catalog
 * (~20 partitions, 6 000 spec-z): a worker thread that dies mid-run, the process killed with
 * SIGKILL at several moments (power loss), and two runs writing to the same folder. Each time
 * the previous output must stay intact or be replaced by a complete one, never by a file that
 * looks finished but is not; the next run must start clean.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readParquetFile } from '../../compute/io/parquet-file';
import { PROJECT_ROOT } from '../fixtures';
import {
  finished,
  makeSyntheticCatalogs,
  partialsUnder,
  runCli,
  snapshot,
  spawnCli,
  tempDir,
  type SyntheticCatalogs,
} from './helpers';

const { dir, cleanup } = tempDir('tsm-rel-faults-');
afterAll(cleanup);
let cats: SyntheticCatalogs;

beforeAll(async () => {
  cats = await makeSyntheticCatalogs(dir, {
    photometricRows: 60_000,
    speczEvery: 10,
    partitionRows: 3_000,
    seed: 9,
  });
}, 120_000);

const runArgs = (out: string, workers = 2) => [
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
  '3',
  '--out',
  out,
  '--workers',
  String(workers),
  '--progress',
  'json',
];

/** Rows of a finished output (throws on a corrupt or half-written file). */
async function outputRows(path: string): Promise<number> {
  return (await readParquetFile(path)).numRows;
}

describe('a worker thread that dies mid-run', () => {
  it('each thread dying on its 3rd pixel: every pixel is retried once on a fresh thread, the output is the same as a normal run', async () => {
    // dist/cli.js beside a worker.js that kills its thread on its 3rd training-set task (a fresh
    // thread starts counting again, so the retried pixel succeeds).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
    copyFileSync(join(PROJECT_ROOT, 'dist', 'cli.js'), join(bin, 'cli.js'));
    copyFileSync(join(PROJECT_ROOT, 'dist', 'worker-entry.cjs'), join(bin, 'worker-entry.cjs'));
    writeFileSync(
      join(bin, 'worker.js'),
      [
        `import real from ${JSON.stringify(join(PROJECT_ROOT, 'dist', 'worker.js'))};`,
        'let n = 0;',
        'export default async function (task) {',
        "  if (task.kind === 'trainingset' && ++n === 3) process.exit(7);",
        '  return real(task);',
        '}',
      ].join('\n'),
    );
    const good = await runCli(runArgs(join(dir, 'worker-good')));
    expect(good.code).toBe(0);
    const out = join(dir, 'worker-death');
    const r = await runCli(runArgs(out), { cli: join(bin, 'cli.js') });
    expect(r.code).toBe(0);
    const retries = r.stdout.match(/running it again on a fresh worker thread/g) ?? [];
    console.log(`  worker deaths retried: ${retries.length / 2}`); // each is in the log and the result
    expect(retries.length).toBeGreaterThan(0);
    expect(
      (await readParquetFile(join(out, 'tsm.parquet'))).toArray().map((x) => x.toJSON()),
    ).toEqual(
      (await readParquetFile(join(dir, 'worker-good', 'tsm.parquet')))
        .toArray()
        .map((x) => x.toJSON()),
    );
    expect(partialsUnder(out)).toEqual([]);
  });

  it('a thread dying on the same pixel twice: exit 2 naming the pixel; the previous output is intact, nothing partial', async () => {
    const out = join(dir, 'worker-twice');
    const good = await runCli(runArgs(out));
    expect(good.code).toBe(0);
    const before = snapshot(out);
    // the first pixel of the plan (progress JSON does not say which; the plan's order is fixed)
    const { planRun } = await import('../../compute/pipeline/run-plan');
    const { parseProject } = await import('../../compute/pipeline/project');
    const plan = await planRun(
      parseProject(
        {
          version: 1,
          name: 'tsm',
          specz: { path: cats.specz },
          photometry: { location: cats.photometry, dereddening: { map: 'none' } },
        },
        'p',
      ),
    );
    const a = plan.tasks[1].aligned;
    const r = await runCli(runArgs(out), {
      env: { TSM_TEST_WORKER_FAULT: `exit:${a.order}/${a.pixel}:always` },
    });
    console.log(`  worker death twice: ${r.stderr.trim()}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `tsm run: The worker thread crossmatching pixel Norder=${a.order} Npix=${a.pixel} stopped twice (worker exited with code: 70), so the run stopped and wrote nothing.`,
    );
    expect(r.stderr).toContain(cats.photometry);
    expect(snapshot(out)).toEqual(before);
    expect(partialsUnder(out)).toEqual([]);
  });
});

describe('power loss: SIGKILL during the run', () => {
  it('killed at the crossmatch, the split and the write: the previous output stays intact (or complete), the next run starts clean', async () => {
    const moments: [string, (l: { stage?: string }) => boolean][] = [
      ['crossmatch', (l) => l.stage === 'crossmatch'],
      ['split', (l) => l.stage === 'split'],
      ['write', (l) => l.stage === 'write'],
    ];
    const out = join(dir, 'kill');
    const first = await runCli(runArgs(out));
    expect(first.code).toBe(0);
    const kills: string[] = [];
    for (const [label, when] of moments) {
      const before = snapshot(out);
      const child = spawnCli(runArgs(out));
      let buffered = '';
      child.stdout!.on('data', (s: string) => {
        buffered += s;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (when(JSON.parse(line))) child.kill('SIGKILL');
      });
      const killed = await finished(child);
      kills.push(`${label}: ${killed.signal ?? `exit ${killed.code}`}`);
      // Killed before the end at least when the kill came during the crossmatch.
      if (label === 'crossmatch') expect(killed.signal).toBe('SIGKILL');
      const after = snapshot(out);
      const finals = ['tsm.parquet', 'run.json', 'config.yml'];
      const previous = finals.every((name) => after[name] === before[name]);
      if (killed.signal === 'SIGKILL' && !previous) {
        // The kill landed after the run had committed its set (a loaded machine reads the
        // progress line late, and a small run writes in milliseconds): a complete new set, or an
        // interrupted commit that its journal names (the next run, below, must start clean).
        kills[kills.length - 1] += ' (after its commit began)';
        expect(partialsUnder(out)).toEqual([]);
        if (!('run.commit.json' in after))
          for (const name of finals) expect(after[name]).toBeDefined();
      } else if (killed.signal === 'SIGKILL') {
        // Everything that looks finished is the previous run's, byte for byte.
        for (const name of finals) expect(after[name]).toBe(before[name]);
      }
      expect(await outputRows(join(out, 'tsm.parquet'))).toBe(cats.speczMatched);
    }
    console.log(`  kills: ${kills.join(', ')}`);
    // The next run succeeds and leaves nothing partial behind.
    const next = await runCli(runArgs(out));
    expect(next.code).toBe(0);
    expect(partialsUnder(out)).toEqual([]);
    expect(Object.keys(snapshot(out)).sort()).toEqual(['config.yml', 'run.json', 'tsm.parquet']);
    expect(await outputRows(join(out, 'tsm.parquet'))).toBe(cats.speczMatched);
  });
});

describe('power loss while saving: SIGKILL between the renames of the output, config.yml and run.json', () => {
  // compute/pipeline/run-commit.ts: the steps after which TSM_TEST_KILL_IN_COMMIT kills the run
  const steps = [
    [1, 'the journal written'],
    [2, 'the old run.json removed'],
    [3, 'the output renamed'],
    [4, 'config.yml renamed'],
    [5, 'run.json renamed'],
  ] as const;
  // Twelve runs of tsm (two references, then a killed run and the next run per step). On the
  // 60 000-row catalog of the other tests, one after another, they took 17 s alone and went past
  // the 60 s timeout under load. The steps are renames of whole files after the write, which no
  // catalog size changes, so these runs read a 6 000-row catalog of 2 partitions (600 spec-z: two
  // seeds still split them differently) in the main thread (--workers 0: no threads to start),
  // and the five steps run at once, each in a copy of the previous set (which is what the next
  // run of the step before left there when they ran one after another): 17 s under a load of 12
  // on 2 cores, mostly each process loading dist/cli.js.
  let small: SyntheticCatalogs;
  beforeAll(async () => {
    mkdirSync(join(dir, 'commit-catalogs'));
    small = await makeSyntheticCatalogs(join(dir, 'commit-catalogs'), {
      photometricRows: 6_000,
      speczEvery: 10,
      partitionRows: 3_000,
      seed: 9,
    });
  }, 120_000);
  const smallArgs = (out: string) =>
    runArgs(out, 0).map((a) =>
      a === cats.specz ? small.specz : a === cats.photometry ? small.photometry : a,
    );
  const withSeed = (args: string[], seed: number) =>
    args.map((a, i) => (args[i - 1] === '--seed' ? String(seed) : a));
  const seeds = (out: string) => {
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      split: { seed: number };
      warnings: string[];
    };
    const config = parse(readFileSync(join(out, 'config.yml'), 'utf8')) as {
      split: { seed: number };
    };
    return { record: record.split.seed, config: config.split.seed, warnings: record.warnings };
  };

  it('leaves the previous set, or a set without run.json beside run.commit.json, or the new set; the next run says so and replaces it', async () => {
    const base = join(dir, 'commit');
    const reference = join(dir, 'commit-reference');
    const [first, ref] = await Promise.all([
      runCli(withSeed(smallArgs(base), 3)),
      runCli(withSeed(smallArgs(reference), 4)),
    ]);
    expect([first.code, ref.code]).toEqual([0, 0]);
    const outputOf = { 3: snapshot(base)['tsm.parquet'], 4: snapshot(reference)['tsm.parquet'] };
    expect(outputOf[3]).not.toBe(outputOf[4]);
    const step = async ([step, label]: (typeof steps)[number]) => {
      const out = join(dir, `commit-${step}`);
      cpSync(base, out, { recursive: true });
      const killed = await runCli(withSeed(smallArgs(out), 4), {
        env: { TSM_TEST_KILL_IN_COMMIT: String(step) },
      });
      expect(killed.signal, label).toBe('SIGKILL');
      const after = snapshot(out);
      if (after['run.json'] === undefined) {
        // nothing there looks finished, and the journal says what was being replaced
        expect(step === 2 || step === 3 || step === 4, label).toBe(true);
        expect(JSON.parse(readFileSync(join(out, 'run.commit.json'), 'utf8'))).toEqual({
          tsmCommit: 1,
          output: 'tsm.parquet',
          files: ['tsm.parquet', 'config.yml', 'run.json'],
        });
      } else {
        // a whole set: the output, config.yml and run.json of one run
        const seed = step === 5 ? 4 : 3;
        expect(step === 1 || step === 5, label).toBe(true);
        expect(after['tsm.parquet'], label).toBe(outputOf[seed]);
        expect(seeds(out), label).toMatchObject({ record: seed, config: seed });
      }
      const next = await runCli(withSeed(smallArgs(out), 3));
      expect(next.code, `${label}: ${next.stderr}`).toBe(0);
      expect(Object.keys(snapshot(out)).sort(), label).toEqual([
        'config.yml',
        'run.json',
        'tsm.parquet',
      ]);
      expect(snapshot(out)['tsm.parquet'], label).toBe(outputOf[3]);
      const { record, config, warnings } = seeds(out);
      expect([record, config], label).toEqual([3, 3]);
      const interrupted = `An earlier run was killed while saving tsm.parquet, config.yml, run.json in ${out} (it left run.commit.json and no run.json), so the files there may be from different runs; this run replaces them.`;
      if (after['run.json'] === undefined) expect(warnings, label).toContain(interrupted);
      else expect(warnings, label).not.toContain(interrupted);
    };
    await Promise.all(steps.map(step));
  });
});

describe('what a killed run left beside its output', () => {
  it("is removed by the next run of that training set, which says so; another training set's stays", async () => {
    const out = join(dir, 'leftovers');
    mkdirSync(out);
    // what power loss during a run of 'tsm' leaves: a half-written output and the rows' spill
    // (a run this small writes its output in one piece at the end, so a real kill leaves none)
    writeFileSync(join(out, 'tsm.parquet.partial'), 'PAR1 half-written');
    writeFileSync(join(out, 'tsm.parquet.rows.partial'), Buffer.alloc(1000));
    // another training set's half-written file in the same folder: its run may still be going
    writeFileSync(join(out, 'other.csv.partial'), 'ra,dec\n');
    const next = await runCli(runArgs(out));
    expect(next.code).toBe(0);
    expect(partialsUnder(out)).toEqual(['other.csv.partial']);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      warnings: string[];
    };
    expect(record.warnings).toEqual([
      `Removed tsm.parquet.partial, tsm.parquet.rows.partial from ${out}: an earlier run writing tsm.parquet there stopped before it finished and left them.`,
    ]);
    expect(await outputRows(join(out, 'tsm.parquet'))).toBe(cats.speczMatched);
  });
});

describe('two runs writing to the same folder at once', () => {
  // compute/pipeline/output-lock.ts: the second run is refused with a UserError naming the
  // output file while the first holds the lock.
  it('are refused (exit 2, naming the folder) or serialised; the output is complete', async () => {
    const out = join(dir, 'twice');
    const [a, b] = await Promise.all([runCli(runArgs(out, 1)), runCli(runArgs(out, 1))]);
    const codes = [a.code, b.code].sort();
    expect(codes[0]).toBe(0);
    expect([0, 2]).toContain(codes[1]);
    if (codes[1] === 2) expect(a.stderr + b.stderr).toContain(out);
    expect(partialsUnder(out)).toEqual([]);
    expect(await outputRows(join(out, 'tsm.parquet'))).toBe(cats.speczMatched);
  });
});
