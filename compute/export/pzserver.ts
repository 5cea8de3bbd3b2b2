/**
 * The original Training Set Maker's `config.yml` (pzserver_training_set_maker `config.py`,
 * tsm-domain.md §1.1) for a project, for users with access to that service's cluster. Fields the
 * original cannot express are listed in a comment at the top of the file.
 */
import { extname } from 'node:path';
import { stringify } from 'yaml';
import { sanitizeName } from '../pipeline/project';
import type { Project } from '../pipeline/project-schema';
import { outputFolder, photometryLocation, speczLocation } from './paths';
import type { ExportOptions, ExportResult } from './types';

/** The original's Dask executor defaults (config.py: local, 2 workers x 2 threads, 1GiB). */
export const PZSERVER_EXECUTOR = {
  name: 'local',
  args: { n_workers: 2, threads_per_worker: 2, memory_limit: '1GiB' },
};

/**
 * Object-id column the original registers (`inputs.dataset.columns.id`): the survey profile's, a
 * generic catalog's chosen id column, the one detected from the catalog (`detected`), else "id"
 * (a caveat in the header says to check it).
 */
function idColumnFor(photometry: Project['photometry'], detected?: string | null): string {
  const { profile, generic } = photometry;
  if (profile === 'lsst-dp02' || profile === 'lsst-dp1') return 'objectId';
  if (profile === 'des-dr2') return 'COADD_OBJECT_ID';
  return generic?.idColumn ?? detected ?? 'id';
}

/** The original's spec-z `format`: "hats" for a folder, else the file extension (inputs_builder.py). */
function speczFormat(location: string): string {
  const ext = extname(location).toLowerCase().replace(/^\./, '');
  return ext === '' ? 'hats' : ext;
}

/** `dereddening` value of the original (its names: none, sfd, csfd, planck, ...). */
function dereddeningName(map: string): string {
  if (map === 'sfd-lowres') return 'sfd';
  if (/\.fits?$/i.test(map)) return /sfd/i.test(map) ? 'sfd' : 'none';
  return map;
}

/** One sentence per project field whose value the original pipeline cannot express. */
export function pzserverUnsupported(project: Project): string[] {
  const out: string[] = [
    'photometry: the original pipeline does no flux conversion or dereddening itself (its config.yml only records them); flux_type, convert_flux_to_mag and dereddening only record the choice, and with use_absolute_lsdb_path: true the catalog at inputs.dataset.path is crossmatched as it is, so its columns must already be the magnitudes you want.',
    'inputs.dataset.columns.id is the object-id column the original registers; it is taken from the survey profile, a generic catalog\'s id column or the catalog itself where it could be read (else "id"): check it against the catalog.',
  ];
  const p = project;
  if (p.crossmatch.join === 'left')
    out.push('crossmatch.join = left: the original keeps only matched spec-z rows (inner join).');
  if (p.uniqueGalaxies.enabled)
    out.push('uniqueGalaxies.enabled: the original has no unique-galaxy step (it never shipped).');
  if (p.uniqueGalaxies.oneToOne)
    out.push('uniqueGalaxies.oneToOne: the original keeps every match of a photometric object.');
  if (p.split.method === 'stratified')
    out.push(
      `split.method = stratified (zBins ${p.split.zBins}): the original only has random; written as random.`,
    );
  out.push(
    'split.seed: the original draws with numpy per Dask partition, so the same seed gives a different split than this app (keyed splitmix64).',
  );
  const map = p.photometry.dereddening.map;
  if (map === 'sfd-lowres')
    out.push('photometry.dereddening.map = sfd-lowres (the embedded demo map): written as sfd.');
  else if (/\.fits?$/i.test(map))
    out.push(
      `photometry.dereddening.map = ${map} (a map file): written as ${dereddeningName(map)}.`,
    );
  if (p.photometry.dereddening.scale !== 1)
    out.push(
      `photometry.dereddening.scale = ${p.photometry.dereddening.scale}: not in the original.`,
    );
  if (p.photometry.profile !== null)
    out.push(`photometry.profile = ${p.photometry.profile}: the original has no survey profiles.`);
  if (p.specz.columns.instrumentType !== null)
    out.push('specz.columns.instrumentType: the original has no instrument-type column.');
  if (p.specz.catalogId !== null)
    out.push(
      `specz.catalogId = ${p.specz.catalogId}: written as the path of the registered catalog in this computer's data folder; upload the catalog to the service and put its path there.`,
    );
  if (p.description.trim() !== '')
    out.push('description: the service takes it in the submission form, not in config.yml.');
  return out;
}

/** The original's config document for `project` (keys and order of config.py). */
export function pzserverConfig(project: Project, options: ExportOptions = {}): object {
  const c = project.specz.columns;
  const specz = speczLocation(project, options);
  const safeName = sanitizeName(project.name);
  return {
    // tsm-run writes into output_root_dir/output_dir; the whole folder goes in the root.
    output_root_dir: outputFolder(project, options),
    output_dir: '.',
    output_format: project.output.format,
    output_name: safeName,
    executor: PZSERVER_EXECUTOR,
    inputs: {
      dataset: {
        path: photometryLocation(project, options),
        columns: { id: idColumnFor(project.photometry, options.photometricIdColumn) },
      },
      specz: [
        {
          path: specz,
          format: speczFormat(specz),
          columns: {
            ra: c.ra,
            dec: c.dec,
            z: c.z,
            // `id: null` says there is no id column (project-migrate.ts reads it back so); left
            // out when the project does not say (the original needs only ra, dec and z)
            ...(c.id !== null || project.specz.noIdColumn === true ? { id: c.id } : {}),
            z_flag: c.zFlag,
            z_err: c.zErr,
            survey: c.survey,
          },
        },
      ],
    },
    param: {
      crossmatch: {
        radius_arcsec: project.crossmatch.radiusArcsec,
        n_neighbors: project.crossmatch.nNeighbors,
        output_catalog_name: safeName,
      },
      use_absolute_lsdb_path: true,
      selected_cols: project.photometry.columns,
      flux_type: project.photometry.fluxType,
      convert_flux_to_mag: project.photometry.convertToMagnitudes,
      dereddening: dereddeningName(project.photometry.dereddening.map),
      split_method: 'random',
      train_fraction: project.split.trainFraction,
      random_seed: project.split.seed,
    },
  };
}

function commentLines(text: string, width = 98): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = `  ${w}`;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => `# ${l}`);
}

/** `config.yml` for the original pipeline (`tsm-run config.yml`), with the caveats on top. */
export function exportPzserver(project: Project, options: ExportOptions = {}): ExportResult {
  const unsupported = pzserverUnsupported(project);
  const header = [
    `# Training Set Maker config.yml for "${project.name.replace(/[\r\n]+/g, ' ')}", exported by tsm export --target pzserver`,
    '# for the original pipeline (linea-it/pzserver_training_set_maker: scripts/tsm-run config.yml).',
    '# Not expressible in this file (the run on the service differs from tsm run here):',
    ...unsupported.flatMap((u) => commentLines(`- ${u}`)),
    '',
  ].join('\n');
  const content = header + stringify(pzserverConfig(project, options), { lineWidth: 0 });
  return {
    target: 'pzserver',
    files: [{ name: 'config.yml', content }],
    resources: [],
    unsupported,
  };
}
