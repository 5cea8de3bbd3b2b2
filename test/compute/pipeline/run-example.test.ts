import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { tableFromArrays, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { migrateProject, parseProject, type ProjectInput } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { registerSpeczCatalog } from '../../../compute/io/specz-register';
import { TSM_EXAMPLE } from '../../fixtures';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');

function rows(t: Table): Record<string, unknown>[] {
  return t.toArray().map((r) => ({ ...(r.toJSON() as Record<string, unknown>) }));
}

/** The original TSM example: 80 spec-z rows, 40 photometric objects at 40 of their positions. */
describe('runTrainingSet on the original TSM example', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-run-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const project = (out: string, extra: Partial<ProjectInput> = {}) =>
    parseProject(
      {
        version: 1,
        name: 'example set',
        specz: { path: SPECZ, columns: { id: 'id' } },
        photometry: { location: PHOTOMETRY },
        split: { seed: 1 },
        output: { folder: out },
        ...extra,
      },
      'test',
    );

  it('matches every photometric object to its spec-z row, with the original column names', async () => {
    const stages: string[] = [];
    const result = await runTrainingSet(project(join(dir, 'a')), {
      workers: 0,
      onProgress: (p) => stages.push(p.stage),
    });
    const specz = rows(await readParquetFile(SPECZ));
    const phot = rows(
      await readParquetFile(join(PHOTOMETRY, 'dataset/Norder=0/Dir=0/Npix=4.parquet')),
    );
    const out = await readParquetFile(result.outputPath);
    // tsm-domain.md §4.3: spec-z ra/dec/id clash with the photometry and keep _specz; z is bare
    expect(out.schema.fields.map((f) => f.name)).toEqual([
      '_healpix_29',
      'ra_specz',
      'dec_specz',
      'z',
      'id_specz',
      'ra',
      'dec',
      'id',
      '_dist_arcsec',
      'is_training_set',
    ]);
    // independent oracle: the photometric ids are spec-z ids at identical positions
    const byId = new Map(specz.map((r) => [r.id, r]));
    const got = rows(out);
    expect(got).toHaveLength(phot.length);
    expect(new Set(got.map((r) => r.id))).toEqual(new Set(phot.map((r) => r.id)));
    for (const r of got) {
      const s = byId.get(r.id)!;
      expect(r.id_specz).toBe(r.id);
      expect(r.z).toBe(s.z);
      expect(r.ra_specz).toBe(s.ra);
      expect(r._dist_arcsec).toBeLessThan(1e-6);
      expect([0, 1]).toContain(r.is_training_set);
    }
    expect(result.counts).toMatchObject({
      speczIn: 80,
      matchedRows: 40,
      matchedSpecz: 40,
      unmatchedSpecz: 40,
      written: 40,
    });
    expect(result.counts.train + result.counts.test).toBe(40);
    expect(stages[0]).toBe('resolve');
    expect(stages.at(-1)).toBe('done');
    expect(stages).toContain('crossmatch');
    expect((await readdir(join(dir, 'a'))).sort()).toEqual([
      'config.yml',
      'example_set.parquet',
      'run.json',
    ]);
    const record = JSON.parse(await readFile(result.runJsonPath, 'utf8'));
    expect(record.counts.written).toBe(40);
    expect(record.split.seed).toBe(1);
    // config.yml is the project as run and loads back as the same project
    const config = migrateProject(
      parseYaml(await readFile(result.configPath, 'utf8')),
      'config.yml',
    );
    expect(config).toEqual(project(join(dir, 'a')));
  });

  it('gives identical rows for the same seed, with 0 or 2 workers, and other splits for another seed', async () => {
    const a = await runTrainingSet(project(join(dir, 'b')), { workers: 0 });
    const b = await runTrainingSet(project(join(dir, 'c')), { workers: 2 });
    const ra = rows(await readParquetFile(a.outputPath));
    expect(rows(await readParquetFile(b.outputPath))).toEqual(ra);
    const c = await runTrainingSet(project(join(dir, 'd'), { split: { seed: 2 } }), { workers: 0 });
    const rc = rows(await readParquetFile(c.outputPath));
    expect(rc.map((r) => r.id)).toEqual(ra.map((r) => r.id));
    expect(rc.map((r) => r.is_training_set)).not.toEqual(ra.map((r) => r.is_training_set));
  });

  it('writes a Parquet output encoded during the crossmatch byte for byte as after the decisions', async () => {
    for (const [name, extra] of [
      ['inner', {}],
      ['left', { crossmatch: { join: 'left' as const, nNeighbors: 2 } }],
    ] as const) {
      // at the split, the early run has its columns encoded beside the output, the other not yet
      const filesAtSplit = (folder: string) => (p: { stage: string }) => {
        if (p.stage === 'split')
          seen.push(readdirSync(folder).filter((f) => f.includes('.partial')));
      };
      const seen: string[][] = [];
      const early = await runTrainingSet(project(join(dir, `early-${name}`), extra), {
        workers: 2,
        onProgress: filesAtSplit(join(dir, `early-${name}`)),
      });
      const late = await runTrainingSet(project(join(dir, `late-${name}`), extra), {
        workers: 2,
        encodeEarly: false,
        onProgress: filesAtSplit(join(dir, `late-${name}`)),
      });
      expect(seen).toEqual([['example_set.parquet.partial'], ['example_set.parquet.rows.partial']]);
      expect(early.counts).toEqual(late.counts);
      expect(early.columns).toEqual(late.columns);
      expect(early.columns.at(-1)).toBe('is_training_set');
      const bytes = await readFile(early.outputPath);
      expect(Buffer.compare(bytes, await readFile(late.outputPath))).toBe(0);
      expect(await readdir(join(dir, `early-${name}`))).toEqual([
        'config.yml',
        'example_set.parquet',
        'run.json',
      ]);
    }
  });

  it('keeps the unmatched spec-z rows with a left join', async () => {
    const result = await runTrainingSet(project(join(dir, 'e'), { crossmatch: { join: 'left' } }), {
      workers: 0,
    });
    const got = rows(await readParquetFile(result.outputPath));
    expect(got).toHaveLength(80);
    expect(got.filter((r) => r.id === null && r._dist_arcsec === null)).toHaveLength(40);
    expect(result.counts.unmatchedSpecz).toBe(40);
  });

  it('reads a HATS spec-z collection the same way as the file', async () => {
    const result = await runTrainingSet(
      project(join(dir, 'g'), {
        specz: { path: join(TSM_EXAMPLE, 'specz_collection'), columns: { id: 'id' } },
      }),
      { workers: 0 },
    );
    const fromFile = await runTrainingSet(project(join(dir, 'h')), { workers: 0 });
    const key = (r: Record<string, unknown>) => `${r.id}:${r.z}:${r.is_training_set}`;
    const a = rows(await readParquetFile(result.outputPath))
      .map(key)
      .sort();
    const b = rows(await readParquetFile(fromFile.outputPath))
      .map(key)
      .sort();
    expect(a).toEqual(b);
    expect(result.counts.speczIn).toBe(80);
  });

  it('runs on a registered catalog (tsm register) by its id', async () => {
    const dataDir = join(dir, 'data');
    await registerSpeczCatalog(SPECZ, { dataDir, name: 'example' });
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'registered',
          specz: { catalogId: 'example' },
          photometry: { location: PHOTOMETRY },
          split: { seed: 1 },
          output: { folder: join(dir, 'j') },
        },
        'test',
      ),
      { workers: 0, dataDir },
    );
    const fromFile = rows(
      await readParquetFile(
        (await runTrainingSet(project(join(dir, 'k')), { workers: 0 })).outputPath,
      ),
    );
    const got = rows(await readParquetFile(result.outputPath));
    const key = (r: Record<string, unknown>) => `${r.id}:${r.id_specz}:${r.z}:${r.is_training_set}`;
    expect(got.map(key).sort()).toEqual(fromFile.map(key).sort());
    await expect(
      runTrainingSet(
        parseProject(
          {
            version: 1,
            name: 'x',
            specz: { catalogId: 'nope' },
            photometry: { location: PHOTOMETRY },
          },
          't',
        ),
        { dataDir },
      ),
    ).rejects.toThrow(
      /no registered spec-z catalog there \(deleted, or another data folder\?\): register the file again \(the app's Catalogs page, or tsm register/,
    );
  });

  it('takes an earlier training set as its spec-z catalog (its is_training_set failed the run with an internal error)', async () => {
    const first = await runTrainingSet(project(join(dir, 'reuse-1')), { workers: 0 });
    const again = await runTrainingSet(
      project(join(dir, 'reuse-2'), {
        specz: {
          path: first.outputPath,
          columns: { ra: 'ra_specz', dec: 'dec_specz', z: 'z', id: 'id_specz' },
        },
        split: { seed: 2 },
      }),
      { workers: 0 },
    );
    const out = rows(await readParquetFile(again.outputPath));
    expect(out).toHaveLength(40);
    const names = Object.keys(out[0]);
    expect(names.filter((n) => n.startsWith('is_training_set'))).toEqual([
      'is_training_set_specz',
      'is_training_set',
    ]);
    // the earlier split is kept beside the new one
    const pairs = (rs: Record<string, unknown>[], flag: string) =>
      rs.map((r) => `${String(r.z)}:${String(r[flag])}`).sort();
    const earlier = rows(await readParquetFile(first.outputPath));
    expect(pairs(out, 'is_training_set_specz')).toEqual(pairs(earlier, 'is_training_set'));
  });

  it('takes an earlier training set written as HATS as its photometric catalog, keeping its _dist_arcsec and is_training_set as <name>_catalog (it failed: "two columns named \'_dist_arcsec\'")', async () => {
    const first = await runTrainingSet(
      project(join(dir, 'phot-1'), { output: { folder: join(dir, 'phot-1'), format: 'hats' } }),
      { workers: 0 },
    );
    const outputs: string[] = [];
    for (const workers of [0, 1]) {
      const again = await runTrainingSet(
        project(join(dir, `phot-2-${workers}`), {
          photometry: { location: first.outputPath },
          split: { seed: 2 },
        }),
        { workers },
      );
      outputs.push(again.outputPath);
    }
    const [a, b] = await Promise.all(outputs.map((p) => readFile(p)));
    expect(a.equals(b)).toBe(true);
    const out = rows(await readParquetFile(outputs[0]));
    expect(out).toHaveLength(40);
    const names = Object.keys(out[0]);
    expect(names.filter((n) => /^(_dist_arcsec|is_training_set)/.test(n))).toEqual([
      '_dist_arcsec_catalog',
      'is_training_set_catalog',
      '_dist_arcsec',
      'is_training_set',
    ]);
    // the earlier run's values, row by row (each spec-z row sits on its own object)
    const earlier = new Map<string, Record<string, unknown>>();
    const collection = join(first.outputPath, 'catalog', 'dataset');
    for (const leaf of readdirSync(collection, { recursive: true }) as string[]) {
      if (!leaf.endsWith('.parquet')) continue;
      for (const r of rows(await readParquetFile(join(collection, leaf)))) {
        earlier.set(String(r.z), r);
      }
    }
    for (const r of out) {
      expect(r.is_training_set_catalog).toBe(earlier.get(String(r.z))!.is_training_set);
      expect(r._dist_arcsec_catalog).toBe(earlier.get(String(r.z))!._dist_arcsec);
    }
  });

  it('a run that matches nothing succeeds: an empty output with the columns, and a warning', async () => {
    const lone = join(dir, 'lone.parquet');
    await writeFile(
      lone,
      tableToParquetBytes(
        tableFromArrays({
          ra: Float64Array.of(180),
          dec: Float64Array.of(60),
          z: Float64Array.of(0.5),
        }),
      ),
    );
    const out = join(dir, 'i');
    const result = await runTrainingSet(project(out, { specz: { path: lone } }), { workers: 0 });
    expect(result.warnings).toEqual([
      `No cross matches were found: no spec-z row of ${lone} has a photometric object of ${PHOTOMETRY} within 1 arcsec. Check that the catalogs overlap on the sky, or use a larger radius.`,
    ]);
    expect(result.counts).toMatchObject({ speczIn: 1, matchedRows: 0, written: 0 });
    expect((await readdir(out)).sort()).toEqual(['config.yml', 'example_set.parquet', 'run.json']);
    const table = await readParquetFile(result.outputPath);
    expect(table.numRows).toBe(0);
    // spec-z ra/dec clash with the photometry (keep _specz); z is bare, as in a matching run
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      '_healpix_29',
      'ra_specz',
      'dec_specz',
      'z',
      'ra',
      'dec',
      'id',
      '_dist_arcsec',
      'is_training_set',
    ]);
  });
});
