import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { TSM_EXAMPLE } from '../../fixtures';
import { parse as parseYaml } from 'yaml';
import { configYmlText } from '../../../compute/pipeline/run-record';
import { canMount, fillUp, mountTmpfs } from '../../reliability/helpers';
import { UserError } from '../../../compute/errors';
import {
  ignoredKeyWarning,
  defaultProject,
  loadProject,
  parseProject,
  projectIssues,
  sanitizeName,
  saveProject,
  PROJECT_VERSION,
  type ProjectInput,
} from '../../../compute/pipeline/project';

const minimal: ProjectInput = {
  version: 1,
  name: 'My set',
  specz: { path: 'specz.parquet' },
  photometry: { location: '/data/dp1' },
};

function withField(path: string, value: unknown): Record<string, unknown> {
  const doc = structuredClone(minimal) as Record<string, unknown>;
  const keys = path.split('.');
  let at = doc;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return doc;
}

function refusal(doc: unknown): string {
  try {
    parseProject(doc, 'p.tsm.json');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('parseProject accepted the document');
}

describe('sanitizeName', () => {
  it('follows the original form: accents dropped, runs of space , - * / become _', () => {
    expect(sanitizeName('  Conjunto de treino - ção/v2*final  ')).toBe(
      'Conjunto_de_treino_cao_v2_final',
    );
    expect(sanitizeName('a,b--c')).toBe('a_b_c');
  });
  it('also removes characters no file system accepts and leading dots', () => {
    expect(sanitizeName('..a:b?c<d>e|f"g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(sanitizeName('   ')).toBe('training_set');
  });
  it('cuts a long name to 200 UTF-8 bytes, at a character boundary', () => {
    expect(sanitizeName('x'.repeat(300))).toBe('x'.repeat(200));
    // 星 is 3 bytes: 66 fit in 198, a 67th would make 201
    expect(sanitizeName('星'.repeat(100))).toBe('星'.repeat(66));
    expect(sanitizeName(`${'a'.repeat(199)}😀`)).toBe('a'.repeat(199));
  });
});

describe('defaultProject', () => {
  it('holds the form defaults and is refused until name and catalogs are set', () => {
    const p = defaultProject();
    expect(p.version).toBe(PROJECT_VERSION);
    expect(p.crossmatch).toEqual({ radiusArcsec: 1, nNeighbors: 1, join: 'inner' });
    expect(p.photometry.fluxType).toBe('auto');
    expect(p.photometry.convertToMagnitudes).toBe(true);
    expect(p.photometry.dereddening).toEqual({ map: 'sfd', scale: 1 });
    expect(p.split).toEqual({ method: 'random', trainFraction: 0.7, seed: null, zBins: 10 });
    expect(p.uniqueGalaxies).toEqual({ enabled: false, oneToOne: false });
    expect(p.output.format).toBe('parquet');
    const issues = projectIssues(p).map((i) => i.path);
    expect(issues).toEqual(['name', 'specz.path', 'photometry.location']);
    expect(refusal(p)).toContain('p.tsm.json: name: This field is required.');
    // the wizard shows these beside empty fields: words for the user, no field paths or '(got "")'
    expect(projectIssues(p).map((i) => i.message)).toEqual([
      'This field is required. Fill in the training set name.',
      'Select the Redshift Catalog for the cross-matching: a registered catalog or a spec-z file',
      'Select the Objects catalog (photometric data): give its folder or URL',
    ]);
    const noBins = { ...p, split: { ...p.split, zBins: null as unknown as number } };
    expect(projectIssues(noBins)).toContainEqual({ path: 'split.zBins', message: 'is required' });
  });
});

describe('parseProject', () => {
  it('fills every default into a minimal file', () => {
    const p = parseProject(JSON.stringify(minimal), 'p.tsm.json');
    expect(p.name).toBe('My set');
    expect(p.specz).toEqual({
      catalogId: null,
      path: 'specz.parquet',
      columns: {
        ra: 'ra',
        dec: 'dec',
        z: 'z',
        id: null,
        zFlag: null,
        zErr: null,
        survey: null,
        instrumentType: null,
      },
    });
    expect(p.crossmatch.radiusArcsec).toBe(1);
    expect(p.output.folder).toBe('.');
  });

  it('names the field, the reason and the value', () => {
    expect(refusal(withField('crossmatch.radiusArcsec', -1))).toBe(
      'p.tsm.json: crossmatch.radiusArcsec: must be > 0 (got -1)',
    );
    expect(refusal(withField('crossmatch.radiusArcsec', 90.5))).toBe(
      'p.tsm.json: crossmatch.radiusArcsec: must be at most 90 arcsec (got 90.5)',
    );
    expect(refusal(withField('crossmatch.nNeighbors', 1.5))).toBe(
      'p.tsm.json: crossmatch.nNeighbors: must be a whole number (got 1.5)',
    );
    expect(refusal(withField('crossmatch.nNeighbors', 0))).toBe(
      'p.tsm.json: crossmatch.nNeighbors: must be at least 1 (got 0)',
    );
    // one message for a whole number too large to be exact, not "must be a whole number" too
    expect(refusal(withField('split.seed', 2 ** 64))).toBe(
      'p.tsm.json: split.seed: must be at most 2^53-1 (got 18446744073709552000)',
    );
    expect(refusal(withField('split.zBins', 1e20))).toBe(
      'p.tsm.json: split.zBins: must be at most 1000 (got 100000000000000000000)',
    );
    expect(refusal(withField('split.trainFraction', 1))).toBe(
      'p.tsm.json: split.trainFraction: must satisfy 0 < f < 1 (got 1)',
    );
    expect(refusal(withField('output.format', 'votable'))).toContain(
      'output.format: Invalid option: expected one of "parquet"|"csv"|"fits"|"hdf5"|"hats" (got "votable")',
    );
    expect(refusal(withField('crossmatch.radiusArcsec', '1'))).toContain(
      'crossmatch.radiusArcsec: must be a number of arcseconds (got "1")',
    );
  });

  it('lists every problem, one line each', () => {
    const doc = withField('crossmatch.radiusArcsec', 0);
    (doc.split as unknown) = { trainFraction: 0 };
    expect(refusal(doc).split('\n')).toHaveLength(2);
  });

  it('refuses misspelt fields instead of ignoring them', () => {
    expect(refusal(withField('crossmatch.radiusArcSec', 2))).toBe(
      'p.tsm.json: crossmatch: unknown field "radiusArcSec": check the spelling or remove it',
    );
  });

  it('refuses both or neither spec-z source', () => {
    expect(refusal(withField('specz', {}))).toContain(
      'p.tsm.json: specz.path: Select the Redshift',
    );
    expect(refusal(withField('specz', { path: 'a', catalogId: 'b' }))).toContain(
      'specz: give either specz.catalogId or specz.path, not both',
    );
  });

  it('records a catalog without an id column on purpose (specz.noIdColumn), checked against columns.id', () => {
    // a project of before the field loads as before: not said, no key added
    expect(parseProject(minimal, 'p.tsm.json').specz).not.toHaveProperty('noIdColumn');
    const declined = parseProject(withField('specz.noIdColumn', true), 'p.tsm.json');
    expect(declined.specz.noIdColumn).toBe(true);
    expect(declined.specz.columns.id).toBeNull();
    expect(refusal(withField('specz.noIdColumn', 'yes'))).toBe(
      'p.tsm.json: specz.noIdColumn: must be true or false (got "yes")',
    );
    const both = withField('specz.noIdColumn', true);
    (both.specz as { columns?: object }).columns = { id: 'objid' };
    expect(refusal(both)).toBe(
      "p.tsm.json: specz.noIdColumn: is true (no id column), but specz.columns.id names the column 'objid': remove noIdColumn to use it as the id, or set specz.columns.id to null",
    );
  });

  it('refuses unknown and newer versions and bad JSON', () => {
    expect(refusal({ ...minimal, version: 7 })).toContain(
      'p.tsm.json: version: this project was saved by a newer Training Set Maker (version 7)',
    );
    expect(refusal({ ...minimal, version: 'one' })).toBe(
      'p.tsm.json: version: unknown project version (got "one"); use 1',
    );
    expect(refusal({ name: 'x' })).toBe('p.tsm.json: version: is required (use 1)');
    expect(refusal('{"version": 1,')).toMatch(/^p\.tsm\.json: is not valid JSON/);
    expect(refusal('[1]')).toBe(
      "p.tsm.json: must hold the project's fields by name (a JSON object, or YAML key: value lines), not a list",
    );
    expect(refusal('"x"')).toMatch(/, not a string$/);
    expect(refusal('null')).toMatch(/, not nothing$/);
  });

  it('reads a project saved with a byte-order mark and says where bad JSON goes wrong', () => {
    const text = JSON.stringify(minimal, null, 2);
    expect(parseProject(`\ufeff${text}`, 'p.tsm.json')).toEqual(parseProject(text, 'p.tsm.json'));
    expect(refusal('{\n  "version": 1,\n}')).toBe(
      'p.tsm.json: is not valid JSON (Expected double-quoted property name in JSON: line 3, column 1); fix the file or save the project again from the app',
    );
    expect(refusal('{"version": ')).toMatch(/\(the text ends too early \(truncated\?\)\)/);
  });
});

/** The original pipeline's defaults (config.py, tsm-domain.md §1.1), as a config.yml. */
const ORIGINAL_CONFIG = `
output_root_dir: "."
output_dir: "outputs"
output_format: null
output_name: "tsm"
executor:
  name: "local"
  args: { n_workers: 2, threads_per_worker: 2, memory_limit: "1GiB" }
inputs:
  dataset:
    path: "\${DATASETS_DIR}/mini_dataset"
    columns: { id: "id" }
  specz:
    - path: "\${DATASETS_DIR}/specz.parquet"
      format: "parquet"
      columns: { ra: "ra", dec: "dec", z: "z" }
param:
  crossmatch: { radius_arcsec: 1.0, n_neighbors: 1 }
  use_absolute_lsdb_path: false
  selected_cols: []
  flux_type: "auto"
  convert_flux_to_mag: true
  dereddening: "sfd"
  split_method: "random"
  train_fraction: 0.7
  random_seed: null
`;

describe('version 0 (the original config.yml)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-project-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('migrates the original defaults, pre-built variant path included', async () => {
    const file = join(dir, 'config.yml');
    await writeFile(file, ORIGINAL_CONFIG);
    const p = await loadProject(file, { datasetsDir: '/srv/datasets' });
    expect(p.version).toBe(PROJECT_VERSION);
    expect(p.name).toBe('tsm');
    expect(p.specz.path).toBe('/srv/datasets/specz.parquet');
    expect(p.specz.columns.ra).toBe('ra');
    // tsm-run step 6: <path>/<mag|flux>/<flux_type>/<dereddening>/catalog, already dereddened
    expect(p.photometry.location).toBe('/srv/datasets/mini_dataset/mag/auto/sfd/catalog');
    expect(p.photometry.convertToMagnitudes).toBe(false);
    expect(p.photometry.dereddening.map).toBe('none');
    expect(p.crossmatch).toEqual({ radiusArcsec: 1, nNeighbors: 1, join: 'inner' });
    expect(p.split).toMatchObject({ method: 'random', trainFraction: 0.7, seed: null });
    // output_format null = "same as the spec-z": parquet
    expect(p.output).toEqual({ format: 'parquet', folder: 'outputs' });
  });

  it('keeps an absolute dataset path, the options, the seed and "closest"', () => {
    const p = parseProject(
      {
        output_format: 'fit',
        output_root_dir: '/tmp/run',
        inputs: {
          dataset: { path: '/data/dp1' },
          specz: { path: 'a.csv', columns: { ra: 'RA', dec: 'DEC', z: 'Z', z_flag: 'Q' } },
        },
        param: {
          use_absolute_lsdb_path: true,
          dereddening: 'csfd',
          convert_flux_to_mag: false,
          random_seed: 42,
          crossmatch: { radius_arcsec: 2.5, n_neighbors: 3, output_catalog_name: 'xm' },
          duplicate_criteria: 'closest',
        },
      },
      'config.yml',
    );
    expect(p.name).toBe('xm');
    // the file is <output_name>.<ext>, as the original writes it, when the config names it
    const named = parseProject(
      {
        output_name: 'tsm',
        inputs: {
          dataset: { path: '/data/dp1' },
          specz: { path: 'a.csv', columns: { ra: 'RA', dec: 'DEC', z: 'Z' } },
        },
        param: { crossmatch: { output_catalog_name: 'tsm_cross_001' } },
      },
      'config.yml',
    );
    expect(named.name).toBe('tsm');
    expect(p.photometry.location).toBe('/data/dp1');
    expect(p.photometry.dereddening.map).toBe('csfd');
    expect(p.photometry.convertToMagnitudes).toBe(false);
    expect(p.specz.columns).toMatchObject({ ra: 'RA', dec: 'DEC', z: 'Z', zFlag: 'Q' });
    expect(p.crossmatch).toMatchObject({ radiusArcsec: 2.5, nNeighbors: 3 });
    expect(p.split.seed).toBe(42);
    expect(p.uniqueGalaxies.oneToOne).toBe(true);
    expect(p.output).toEqual({ format: 'fits', folder: '/tmp/run/outputs' });
  });

  it("reads an id given as null or empty as no id column on purpose (the original form's way), an id left out as not said", () => {
    const config = (columns: Record<string, unknown>) => ({
      inputs: {
        dataset: { path: '/data/dp1' },
        specz: { path: 'a.csv', columns: { ra: 'RA', dec: 'DEC', z: 'Z', ...columns } },
      },
    });
    for (const id of [null, '']) {
      const p = parseProject(config({ id }), 'config.yml');
      expect(p.specz.columns.id).toBeNull();
      expect(p.specz.noIdColumn).toBe(true);
    }
    expect(parseProject(config({}), 'config.yml').specz).not.toHaveProperty('noIdColumn');
    const named = parseProject(config({ id: 'ID' }), 'config.yml').specz;
    expect(named.columns.id).toBe('ID');
    expect(named).not.toHaveProperty('noIdColumn');
  });

  it('names the keys no version of the original has, which it ignores', async () => {
    const file = join(dir, 'config.yml');
    await writeFile(file, ORIGINAL_CONFIG);
    const ignored: string[] = [];
    await loadProject(file, { onIgnoredKey: (k) => ignored.push(k) });
    expect(ignored).toEqual([]);
    // the older versions' keys (tsm-domain.md §1.1) are known too
    const older = {
      output_name: 'tsm.parquet',
      inputs: {
        dataset: { path: '/d', margin_path: '/d_margin', columns: { id: 'objectId' } },
        specz: [{ path: 's.csv', columns: { ra: 'ra', dec: 'dec', z: 'z', survey: 's' } }],
      },
      param: { crossmatch: { output_catalog_name: 'x' }, duplicate_criteria: 'closest' },
    };
    parseProject(older, 'config.yml', { onIgnoredKey: (k) => ignored.push(k) });
    expect(ignored).toEqual([]);
    const misspelt = {
      ...older,
      output_fromat: 'csv',
      inputs: {
        ...older.inputs,
        specz: [
          { path: 's.csv', colums: {}, columns: { ra: 'ra', dec: 'dec', z: 'z', zflag: 'q' } },
        ],
      },
      param: { crossmatch: { radius_arcsecs: 2 }, random_sed: 1 },
    };
    const p = parseProject(misspelt, 'config.yml', { onIgnoredKey: (k) => ignored.push(k) });
    expect(ignored).toEqual([
      'inputs.specz.0.colums',
      'inputs.specz.0.columns.zflag',
      'param.crossmatch.radius_arcsecs',
      'param.random_sed',
      'output_fromat',
    ]);
    expect(p.crossmatch.radiusArcsec).toBe(1);
    expect(ignoredKeyWarning('config.yml', 'param.random_sed')).toBe(
      'config.yml: param.random_sed is not a key of the original config.yml and is ignored; check its spelling',
    );
  });

  it('refuses what the app cannot do, naming the original field', () => {
    const base = {
      inputs: {
        dataset: { path: '/d' },
        specz: [{ path: 's.csv', columns: { ra: 'ra', dec: 'dec', z: 'z' } }],
      },
    };
    expect(refusal({ ...base, output_format: 'votable' })).toBe(
      'p.tsm.json: output_format: VOTable output is not supported (nor by the original service); choose parquet, csv, fits, hdf5 or hats',
    );
    expect(refusal({ ...base, param: { split_method: 'kfold' } })).toBe(
      "p.tsm.json: param.split_method: 'kfold' is not a split method; use random",
    );
    // a missing column is named by its field, in a list or as a lone object
    const noDec = { path: 's.csv', columns: { ra: 'ra', z: 'z' } };
    for (const specz of [[noDec], noDec]) {
      expect(refusal({ inputs: { dataset: { path: '/d' }, specz } })).toBe(
        'p.tsm.json: inputs.specz.0.columns.dec: is required',
      );
    }
    expect(
      refusal({
        inputs: {
          dataset: { path: '/d' },
          specz: { path: 's.csv', columns: { ...noDec.columns, dec: '' } },
        },
      }),
    ).toBe('p.tsm.json: inputs.specz.0.columns.dec: must not be empty');
    // a value the app refuses is named by the key the config's author wrote
    expect(
      refusal({
        ...base,
        param: { train_fraction: 7, crossmatch: { radius_arcsec: -1, n_neighbors: 1.5 } },
      }).split('\n'),
    ).toEqual([
      'p.tsm.json: param.crossmatch.radius_arcsec: must be > 0 (got -1)',
      'p.tsm.json: param.crossmatch.n_neighbors: must be a whole number (got 1.5)',
      'p.tsm.json: param.train_fraction: must satisfy 0 < f < 1 (got 7)',
    ]);
    // an original config.yml without inputs is not taken for a project without a version
    expect(refusal({ output_name: 'tsm', param: { train_fraction: 0.7 } })).toBe(
      'p.tsm.json: inputs: is required in an original config.yml (inputs.dataset.path and inputs.specz with its path and ra, dec, z columns)',
    );
    expect(refusal({ name: 'x' })).toBe('p.tsm.json: version: is required (use 1)');
  });
});

describe('saveProject / loadProject', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-project-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips a project and leaves no partial file', async () => {
    const file = join(dir, 'a.tsm.json');
    const saved = await saveProject(file, { ...minimal, split: { seed: 7 } });
    expect(await loadProject(file)).toEqual(saved);
    expect(JSON.parse(await readFile(file, 'utf8')).split.seed).toBe(7);
    expect(await readdir(dir)).toEqual(['a.tsm.json']);
  });

  it('writes version 2 only for a project with specz.noIdColumn (a build reading version 1 only called it an unknown field), version 1 otherwise', async () => {
    const plain = join(dir, 'plain.tsm.json');
    await saveProject(plain, minimal);
    expect(JSON.parse(await readFile(plain, 'utf8')).version).toBe(1);
    const noId = join(dir, 'no-id.tsm.json');
    const saved = await saveProject(noId, withField('specz.noIdColumn', true) as ProjectInput);
    const text = await readFile(noId, 'utf8');
    expect(text.startsWith('{\n  "version": 2,\n')).toBe(true);
    expect(JSON.parse(text).specz.noIdColumn).toBe(true);
    expect(await loadProject(noId)).toEqual(saved);
    // what such a build says of version 2 (project.ts since 1a6f40f), as this one of version 3
    expect(refusal({ ...minimal, version: 3 })).toBe(
      'p.tsm.json: version: this project was saved by a newer Training Set Maker (version 3); this one reads versions 0 to 2: update the app',
    );
    // config.yml (and run.json's project) say the same version
    expect(configYmlText(saved).split('\n')[0]).toBe(
      '# Training Set Maker project, as run (version 2). Re-run with: tsm run config.yml',
    );
    expect(parseYaml(configYmlText(saved)).version).toBe(2);
    expect(parseYaml(configYmlText(await loadProject(plain))).version).toBe(1);
  });

  it('reads version 1 with specz.noIdColumn, as builds before version 2 saved it', async () => {
    const file = join(dir, 'v1-no-id.tsm.json');
    await writeFile(file, JSON.stringify(withField('specz.noIdColumn', true)));
    const p = await loadProject(file);
    expect(p.specz.noIdColumn).toBe(true);
    expect(p.version).toBe(PROJECT_VERSION);
    // saved again, it says the version it needs
    await saveProject(file, p);
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(2);
  });

  it('refuses to save an invalid project and writes nothing', async () => {
    const file = join(dir, 'bad.tsm.json');
    await expect(
      saveProject(file, withField('crossmatch.radiusArcsec', -1) as ProjectInput),
    ).rejects.toThrow('bad.tsm.json: crossmatch.radiusArcsec: must be > 0 (got -1)');
    expect(await readdir(dir)).not.toContain('bad.tsm.json');
  });

  it.skipIf(!canMount())(
    'on a full disk: names the file and says what to do; the saved project unchanged, no partial (tmpfs)',
    async () => {
      const full = join(dir, 'full');
      mkdirSync(full);
      const umount = mountTmpfs(full, 'size=64k');
      try {
        const file = join(full, 'a.tsm.json');
        await saveProject(file, { ...minimal, split: { seed: 7 } });
        fillUp(full);
        // it said only "cannot save the project (ENOSPC: no space left on device, write)"
        await expect(
          saveProject(file, { ...minimal, description: 'x'.repeat(20_000) }),
        ).rejects.toThrow(
          new UserError(
            `${file}: cannot save the project (ENOSPC: no space left on device, write); free some space on its disk, or choose another folder`,
          ),
        );
        expect((await loadProject(file)).split.seed).toBe(7);
        expect((await readdir(full)).filter((n) => !n.startsWith('filler-'))).toEqual([
          'a.tsm.json',
        ]);
      } finally {
        umount();
      }
    },
  );

  // Open project... said "cannot read the project file (ENOENT: no such file or directory, open ...)"
  it("names a missing file, without Node's ENOENT text", async () => {
    const missing = join(dir, 'none.tsm.json');
    await expect(loadProject(missing)).rejects.toThrow(
      `${missing}: no such file; check the path (a project file is a *.tsm.json, or an original config.yml)`,
    );
    await expect(loadProject(missing)).rejects.not.toThrow(/ENOENT/);
  });

  it('says a catalog given as the project file is one, and how to give it (it said "is not valid JSON (unexpected character \'P\')")', async () => {
    const csv = join(dir, 'specz.csv');
    await writeFile(csv, 'id,ra,dec,z\n1,10,20,0.5\n');
    const how =
      "not a project file (*.tsm.json or config.yml). To use it as the spec-z catalog, give it to tsm run with --specz (and the photometric catalog with --photometry), or register it (the app's Catalogs page, or tsm register).";
    for (const [file, kind] of [
      [join(TSM_EXAMPLE, 'specz.parquet'), 'Parquet'],
      [csv, 'CSV'],
    ]) {
      await expect(loadProject(file)).rejects.toThrow(`${file}: is a ${kind} file, ${how}`);
    }
  });

  it('refuses a project file that is not UTF-8 (a Latin-1 config.yml named its output caf\ufffd)', async () => {
    const file = join(dir, 'latin1.yml');
    await writeFile(file, Buffer.from('output_name: caf\xe9\n', 'latin1'));
    await expect(loadProject(file)).rejects.toThrow(
      `${file}: is not UTF-8 text (an editor saved it as Latin-1 or another encoding?); save it as UTF-8 and try again`,
    );
  });

  it('does not read a file too large to be a project (/dev/zero read 512 MB and said "Invalid string length")', async () => {
    await expect(loadProject('/dev/zero')).rejects.toThrow(
      '/dev/zero: is larger than 16 MB, so not a project file (*.tsm.json or config.yml, a few kB); check the path',
    );
    await expect(loadProject(dir)).rejects.toThrow(
      `${dir}: is a folder, not a project file (*.tsm.json or config.yml). A HATS catalog folder is given to tsm run with --specz or --photometry.`,
    );
  });
});
