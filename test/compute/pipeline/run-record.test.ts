/**
 * run.json and config.yml belong to one training set per folder: a second training set written
 * into the same folder must not silently take them over (the first one's record of inputs, seed
 * and counts would be lost).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { UserError } from '../../../compute/errors';
import { parseProject } from '../../../compute/pipeline/project';
import type { OutputFormat } from '../../../compute/pipeline/project-schema';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { checkRunRecordFolder } from '../../../compute/pipeline/run-record';
import { openHats } from '../../../compute/hats/open';
import { demoDp1Catalog } from '../../helpers/sky-catalogs';

let dir: string;
let photometry: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, photometry, cleanup } = await demoDp1Catalog('tsm-record-'));
}, 60_000);
afterAll(() => cleanup());

function project(name: string, out: string, format: OutputFormat = 'parquet') {
  return parseProject(
    {
      version: 1,
      name,
      specz: { path: demoSpeczPath(), columns: { id: 'id' } },
      photometry: { location: photometry, dereddening: { map: 'sfd-lowres' } },
      split: { seed: 3 },
      output: { folder: out, format },
    },
    'test',
  );
}

async function record(folder: string): Promise<{ output: { path: string }; counts: object }> {
  return JSON.parse(await readFile(join(folder, 'run.json'), 'utf8'));
}

describe('one run record per output folder', () => {
  // both ran, and run.json kept only the second one's record
  it('refuses a second training set while another is being written into the folder', async () => {
    const out = join(dir, 'at-once');
    let second: Promise<unknown> | undefined;
    const first = await runTrainingSet(project('set a', out), {
      onProgress: (p) => {
        if (p.stage === 'crossmatch' && !second) {
          second = runTrainingSet(project('set b', out)).catch((e: unknown) => e);
        }
      },
    });
    const refused = await second;
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toBe(
      `another run (process ${process.pid}) is writing into ${out}: wait for it to finish, or choose another output folder`,
    );
    expect((await record(out)).output.path).toBe(first.outputPath);
  });

  it('refuses a second training set in the folder before the crossmatch, and keeps the first one whole', async () => {
    const out = join(dir, 'shared');
    const first = await runTrainingSet(project('set a', out));
    const before = await readFile(join(out, 'run.json'), 'utf8');
    const config = await readFile(join(out, 'config.yml'), 'utf8');
    const stages: string[] = [];
    await expect(
      runTrainingSet(project('set b', out), { onProgress: (p) => stages.push(p.stage) }),
    ).rejects.toThrow(
      `${out} already holds the training set set_a.parquet, whose run.json and config.yml this run would replace.`,
    );
    expect(stages).not.toContain('crossmatch');
    expect(await readFile(join(out, 'run.json'), 'utf8')).toBe(before);
    expect(await readFile(join(out, 'config.yml'), 'utf8')).toBe(config);
    expect((await record(out)).output.path).toBe(first.outputPath);
  }, 60_000);

  it('lets a training set be run again, and in another format with a warning', async () => {
    const out = join(dir, 'again');
    await runTrainingSet(project('set a', out));
    const again = await runTrainingSet(project('set a', out));
    expect(again.warnings).toEqual([]);
    const csv = await runTrainingSet(project('set a', out, 'csv'));
    expect(csv.warnings).toContain(
      `set_a.parquet from an earlier run of this training set stays in ${out}; run.json and config.yml there now describe set_a.csv.`,
    );
    expect((await record(out)).output.path).toBe(csv.outputPath);
    // the run.json now names set_a.csv: a set_a.parquet there is no longer one it vouches for
    await expect(runTrainingSet(project('set a', out))).rejects.toThrow(
      `${join(out, 'set_a.parquet')} already exists, and no run.json`,
    );
  }, 60_000);

  it("does not replace a file of the user's named like this training set in another format", async () => {
    const out = join(dir, 'other-format');
    await runTrainingSet(project('set a', out));
    await writeFile(join(out, 'set_a.csv'), 'my notes');
    await expect(runTrainingSet(project('set a', out, 'csv'))).rejects.toThrow(
      `${join(out, 'set_a.csv')} already exists, and no run.json of an earlier run of this training set in ${out} names it`,
    );
    expect(await readFile(join(out, 'set_a.csv'), 'utf8')).toBe('my notes');
  }, 60_000);

  it('lets another training set in once the recorded output is gone', async () => {
    const out = join(dir, 'gone');
    const first = await runTrainingSet(project('set a', out));
    await rm(first.outputPath);
    const second = await runTrainingSet(project('set b', out));
    expect((await record(out)).output.path).toBe(second.outputPath);
  }, 60_000);

  it('refuses to replace a run.json that is not a run record', async () => {
    const out = join(dir, 'foreign');
    await runTrainingSet(project('set a', out)).then(() => undefined);
    const foreign = '{"experiment": 12}\n';
    await writeFile(join(out, 'run.json'), foreign);
    const err = await checkRunRecordFolder(out, join(out, 'set_a.parquet')).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `${join(out, 'run.json')} is not a Training Set Maker run record, and this run would replace it. Choose another output folder for this training set (one folder per training set), or move run.json and config.yml out of ${out} first.`,
    );
    expect(await readFile(join(out, 'run.json'), 'utf8')).toBe(foreign);
  }, 60_000);

  it('does not replace what an exported LSDB job wrote into the folder (its run.json names exportedBy)', async () => {
    const out = join(dir, 'job');
    const first = await runTrainingSet(project('set a', out));
    // the record the exported job (compute/export/python/main.ts) writes beside its output
    const job = { status: 'done', exportedBy: '0.1.0', output: { path: first.outputPath } };
    await writeFile(join(out, 'run.json'), JSON.stringify(job));
    await expect(checkRunRecordFolder(out, first.outputPath)).rejects.toThrow(
      `${out} holds set_a.parquet and the run.json that an exported LSDB job wrote (tsm export --target lsdb); tsm run does not replace them.`,
    );
    await rm(first.outputPath);
    expect(await checkRunRecordFolder(out, first.outputPath)).toEqual([]);
  }, 60_000);

  it("never replaces a file or folder of the user's at the output name (no run record names it)", async () => {
    const out = join(dir, 'users');
    await mkdir(join(out, 'set_a.hats', 'sub'), { recursive: true });
    await writeFile(join(out, 'set_a.hats', 'sub', 'mine.txt'), 'my notes');
    await writeFile(join(out, 'set_a.parquet'), 'my own table');
    const refused = (path: string, folder = out) =>
      `${path} already exists, and no run.json of an earlier run of this training set in ${folder} names it: tsm run does not replace what it did not write. Move it out of the way, or choose another output folder or name.`;
    for (const format of ['parquet', 'hats'] as const) {
      const stages: string[] = [];
      const path = join(out, format === 'hats' ? 'set_a.hats' : 'set_a.parquet');
      await expect(
        runTrainingSet(project('set a', out, format), { onProgress: (p) => stages.push(p.stage) }),
      ).rejects.toThrow(refused(path));
      expect(stages).not.toContain('crossmatch');
    }
    expect(await readFile(join(out, 'set_a.parquet'), 'utf8')).toBe('my own table');
    expect(await readFile(join(out, 'set_a.hats', 'sub', 'mine.txt'), 'utf8')).toBe('my notes');
    // another training set's record does not make the file this one's either
    const other = join(dir, 'users-other');
    await runTrainingSet(project('set b', other));
    await writeFile(join(other, 'set_a.parquet'), 'my own table');
    await rm(join(other, 'set_b.parquet'));
    await expect(checkRunRecordFolder(other, join(other, 'set_a.parquet'))).rejects.toThrow(
      refused(join(other, 'set_a.parquet'), other),
    );
  }, 60_000);

  it("never replaces a config.yml of the user's (one without a run.json beside it)", async () => {
    const out = join(dir, 'user-config');
    await mkdir(out, { recursive: true });
    const original = 'output_dir: results\n# my original service config\n';
    await writeFile(join(out, 'config.yml'), original);
    // the advice names the one file there (it said 'move run.json and config.yml out')
    await expect(runTrainingSet(project('set a', out))).rejects.toThrow(
      new UserError(
        `${join(out, 'config.yml')} was not written by a run (no run.json beside it), and this run would replace it with the project as run. Choose another output folder for this training set (one folder per training set), or move config.yml out of ${out} first.`,
      ),
    );
    expect(await readFile(join(out, 'config.yml'), 'utf8')).toBe(original);
    // beside a run's run.json, config.yml is that run's: a re-run replaces both
    await rm(join(out, 'config.yml'));
    await runTrainingSet(project('set a', out));
    await runTrainingSet(project('set a', out));
    expect(await readFile(join(out, 'config.yml'), 'utf8')).toContain('name: set a');
  }, 60_000);

  it('runs a training set with a 300-character name (its file name cut to 200 bytes)', async () => {
    const out = join(dir, 'long-name');
    const result = await runTrainingSet(project('n'.repeat(300), out, 'hats'));
    expect(result.outputPath).toBe(join(out, `${'n'.repeat(200)}.hats`));
    expect(result.counts.written).toBeGreaterThan(0);
    // a HATS output is named after the training set (lsdb's catalog name), in catalog/
    const opened = await openHats(result.outputPath);
    if (opened.kind !== 'collection') throw new Error('expected a collection');
    expect(opened.main.name).toBe('n'.repeat(200));
    expect(opened.main.location).toBe(join(result.outputPath, 'catalog'));
  }, 60_000);

  it('treats the files a run killed while saving named in run.commit.json as its own, and says so', async () => {
    const out = join(dir, 'interrupted');
    const first = await runTrainingSet(project('set a', out));
    // killed after the old run.json was removed (compute/pipeline/run-commit.ts)
    const journal = {
      tsmCommit: 1,
      output: 'set_a.parquet',
      files: ['set_a.parquet', 'config.yml', 'run.json'],
    };
    await writeFile(join(out, 'run.commit.json'), JSON.stringify(journal));
    await rm(join(out, 'run.json'));
    // (it spoke of a run.json there was not)
    await expect(checkRunRecordFolder(out, join(out, 'set_b.parquet'))).rejects.toThrow(
      `${out} holds the training set set_a.parquet from a run killed while saving (run.commit.json names its files), which this run would replace. Choose another output folder for this training set, or move set_a.parquet, config.yml and run.commit.json out of ${out} first.`,
    );
    const again = await runTrainingSet(project('set a', out));
    expect(again.warnings).toContain(
      `An earlier run was killed while saving set_a.parquet, config.yml, run.json in ${out} (it left run.commit.json and no run.json), so the files there may be from different runs; this run replaces them.`,
    );
    expect((await record(out)).output.path).toBe(first.outputPath);
    expect(existsSync(join(out, 'run.commit.json'))).toBe(false);
    // beside a run.json the journal is stale (the set is whole): no warning
    await writeFile(join(out, 'run.commit.json'), JSON.stringify(journal));
    expect(await checkRunRecordFolder(out, first.outputPath)).toEqual([]);
  }, 60_000);

  it("refuses to replace a run.commit.json that is not a run's", async () => {
    const out = join(dir, 'foreign-journal');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'run.commit.json'), '{"commit": "abc"}');
    await expect(checkRunRecordFolder(out, join(out, 'set_a.parquet'))).rejects.toThrow(
      `${join(out, 'run.commit.json')} is not the note a Training Set Maker run writes while saving its files, and a run would replace it.`,
    );
    // nor one that names files outside the folder as the run's own
    await writeFile(
      join(out, 'run.commit.json'),
      JSON.stringify({ tsmCommit: 1, output: 'set_a.parquet', files: ['../elsewhere.csv'] }),
    );
    await expect(checkRunRecordFolder(out, join(out, 'set_a.parquet'))).rejects.toThrow(
      'is not the note a Training Set Maker run writes',
    );
  });

  it('has nothing to say about a folder without run.json', async () => {
    expect(await checkRunRecordFolder(join(dir, 'nowhere'), join(dir, 'nowhere', 'x.csv'))).toEqual(
      [],
    );
  });
});
