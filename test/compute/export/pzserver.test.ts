import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportProject } from '../../../compute/export';
import { migrateProject, parseProject, type ProjectInput } from '../../../compute/pipeline/project';

const base: ProjectInput = {
  version: 1,
  name: 'Séance 1, z-cut',
  specz: {
    path: 'data/specz.parquet',
    columns: { ra: 'RA', dec: 'DEC', z: 'redshift', id: 'ID', zFlag: 'qual', zErr: 'zerr' },
  },
  photometry: {
    location: '/datasets/dp1/catalog',
    columns: ['objectId', 'coord_ra'],
    fluxType: 'cmodel',
    convertToMagnitudes: true,
    dereddening: { map: 'sfd' },
  },
  crossmatch: { radiusArcsec: 1.5, nNeighbors: 3 },
  split: { trainFraction: 0.8, seed: 1234 },
  output: { format: 'csv', folder: 'out' },
};

const project = (extra: Partial<ProjectInput> = {}) =>
  parseProject({ ...base, ...extra }, 'test.tsm.json');

function exported(extra: Partial<ProjectInput> = {}) {
  const result = exportProject(project(extra), 'pzserver', { baseDir: '/work/p' });
  expect(result.files.map((f) => f.name)).toEqual(['config.yml']);
  const text = result.files[0].content;
  return { result, text, doc: parseYaml(text) as Record<string, Record<string, unknown>> };
}

describe('exportProject(project, "pzserver")', () => {
  it('has the keys of the original config.py, in its order', () => {
    const { doc } = exported();
    // pzserver_training_set_maker config.py (tsm-domain.md §1.1)
    expect(Object.keys(doc)).toEqual([
      'output_root_dir',
      'output_dir',
      'output_format',
      'output_name',
      'executor',
      'inputs',
      'param',
    ]);
    expect(Object.keys(doc.param)).toEqual([
      'crossmatch',
      'use_absolute_lsdb_path',
      'selected_cols',
      'flux_type',
      'convert_flux_to_mag',
      'dereddening',
      'split_method',
      'train_fraction',
      'random_seed',
    ]);
    expect(doc.executor).toEqual({
      name: 'local',
      args: { n_workers: 2, threads_per_worker: 2, memory_limit: '1GiB' },
    });
  });

  it('maps every value of the project', () => {
    const { doc } = exported();
    expect(doc.output_root_dir).toBe('/work/p/out');
    expect(doc.output_dir).toBe('.');
    expect(doc.output_format).toBe('csv');
    // the form's sanitizer: NFD, accents dropped, runs of space , - * / -> _
    expect(doc.output_name).toBe('Seance_1_z_cut');
    expect(doc.inputs).toEqual({
      dataset: { path: '/datasets/dp1/catalog', columns: { id: 'id' } },
      specz: [
        {
          path: '/work/p/data/specz.parquet',
          format: 'parquet',
          columns: {
            ra: 'RA',
            dec: 'DEC',
            z: 'redshift',
            id: 'ID',
            z_flag: 'qual',
            z_err: 'zerr',
            survey: null,
          },
        },
      ],
    });
    expect(doc.param).toEqual({
      crossmatch: { radius_arcsec: 1.5, n_neighbors: 3, output_catalog_name: 'Seance_1_z_cut' },
      use_absolute_lsdb_path: true,
      selected_cols: ['objectId', 'coord_ra'],
      flux_type: 'cmodel',
      convert_flux_to_mag: true,
      dereddening: 'sfd',
      split_method: 'random',
      train_fraction: 0.8,
      random_seed: 1234,
    });
  });

  it('reads back through our own migration of the original config.yml to the same settings', () => {
    const { doc } = exported();
    const back = migrateProject(doc, 'config.yml');
    const p = project();
    expect(back.name).toBe('Seance_1_z_cut');
    expect(back.specz).toEqual({
      catalogId: null,
      path: '/work/p/data/specz.parquet',
      columns: { ...p.specz.columns },
    });
    expect(back.photometry).toEqual({ ...p.photometry });
    expect(back.crossmatch).toEqual(p.crossmatch);
    expect(back.split).toEqual(p.split);
    expect(back.output).toEqual({ format: 'csv', folder: '/work/p/out' });
  });

  it('writes a catalog without an id column on purpose as id: null, which reads back so; an id not said is left out and stays not said', () => {
    const specz = (noIdColumn?: boolean) => ({
      path: 'data/specz.parquet',
      columns: { ra: 'RA', dec: 'DEC', z: 'redshift' },
      ...(noIdColumn ? { noIdColumn } : {}),
    });
    const declined = exported({ specz: specz(true) });
    const columns = (d: typeof declined.doc) =>
      (d.inputs.specz as { columns: Record<string, unknown> }[])[0].columns;
    expect(columns(declined.doc)).toEqual({
      ra: 'RA',
      dec: 'DEC',
      z: 'redshift',
      id: null,
      z_flag: null,
      z_err: null,
      survey: null,
    });
    expect(migrateProject(declined.doc, 'config.yml').specz.noIdColumn).toBe(true);
    const unsaid = exported({ specz: specz() });
    expect(columns(unsaid.doc)).not.toHaveProperty('id');
    expect(migrateProject(unsaid.doc, 'config.yml').specz).not.toHaveProperty('noIdColumn');
  });

  it('lists the fields the original cannot express in a leading comment', () => {
    const plain = exported();
    expect(plain.result.unsupported.some((u) => u.includes('crossmatch.join'))).toBe(false);
    const { result, text, doc } = exported({
      crossmatch: { join: 'left' },
      uniqueGalaxies: { enabled: true, oneToOne: true },
      split: { method: 'stratified', zBins: 5, seed: 3 },
      photometry: { location: 'cat', dereddening: { map: 'sfd-lowres', scale: 0.86 } },
      specz: { path: 'specz.csv', columns: { instrumentType: 'kind' } },
    });
    const comment = text.slice(0, text.indexOf('\noutput_root_dir:'));
    expect(comment.split('\n').every((l) => l.startsWith('#'))).toBe(true);
    for (const field of [
      'crossmatch.join = left',
      'uniqueGalaxies.enabled',
      'uniqueGalaxies.oneToOne',
      'split.method = stratified (zBins 5)',
      'photometry.dereddening.map = sfd-lowres',
      'photometry.dereddening.scale = 0.86',
      'specz.columns.instrumentType',
    ]) {
      expect(comment.replace(/\n# {3}/g, ' ')).toContain(field);
    }
    expect(result.unsupported).toHaveLength(10);
    // written as what the original can do
    expect(doc.param.split_method).toBe('random');
    expect(doc.param.dereddening).toBe('sfd');
    expect((doc.inputs.dataset as { path: string }).path).toBe('/work/p/cat');
  });

  it("registers a generic catalog's chosen id column as the dataset's id", () => {
    const { doc } = exported({
      photometry: {
        location: '/datasets/mine',
        profile: 'generic',
        generic: { idColumn: 'OBJ_ID', bands: [{ band: 'g', flux: 'F_G' }] },
      },
    });
    expect(doc.inputs.dataset).toEqual({ path: '/datasets/mine', columns: { id: 'OBJ_ID' } });
  });

  it('gives a registered catalog its data-folder path and a HATS folder the format hats', () => {
    const p = parseProject(
      { ...base, specz: { catalogId: 'vvds', columns: {} } },
      'registered.tsm.json',
    );
    const result = exportProject(p, 'pzserver', { dataDir: '/data/tsm' });
    const doc = parseYaml(result.files[0].content) as {
      inputs: { specz: { path: string; format: string }[] };
    };
    expect(doc.inputs.specz[0]).toMatchObject({ path: '/data/tsm/catalogs/vvds', format: 'hats' });
    expect(result.unsupported.join(' ')).toContain('specz.catalogId = vvds');
  });
});
