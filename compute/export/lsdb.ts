/**
 * The LSDB + Dask job for a project: `tsm_job.py` (the Python templates of ./python with the
 * project embedded as JSON), a pinned `requirements.txt`, a README, and the embedded dust map when
 * the project uses it. The job does the steps of `tsm run` (compute/pipeline/run.ts): LSDB
 * crossmatch on the cluster, photometry per partition on the workers, then unique galaxies,
 * one-to-one and the keyed split on the client, written with the same columns and formats.
 */
import { sanitizeName } from '../pipeline/project';
import type { Project } from '../pipeline/project-schema';
import { exportPath, outputFolder, photometryLocation, speczLocation } from './paths';
import { PY_DECISIONS } from './python/decisions';
import { PY_DUST } from './python/dust';
import { PY_HEADER } from './python/header';
import { PY_MAIN } from './python/main';
import { PY_PHOTOMETRY } from './python/photometry';
import { PY_PROFILES } from './python/profiles';
import { lsdbReadme } from './lsdb-readme';
import type { ExportOptions, ExportResource, ExportResult } from './types';

/**
 * Versions the generated job was tested with (bench/export_check.py, Python 3.11). dask-jobqueue
 * and dask-kubernetes are not pinned: install the one your cluster needs.
 */
export const LSDB_REQUIREMENTS: [string, string][] = [
  ['lsdb', '0.11.1'],
  ['hats', '0.11.1'],
  ['nested-pandas', '0.7.2'],
  ['dask[distributed]', '2026.8.0'],
  ['pandas', '3.1.1'],
  ['numpy', '2.4.6'],
  ['pyarrow', '26.0.1'],
  ['astropy', '8.0.2'],
  ['healpy', '1.20.1'],
  ['h5py', '3.16.0'],
];

/** The parameters embedded in tsm_job.py (`PARAMS`). */
export interface LsdbJobParams {
  project: Project;
  speczLocation: string;
  photometryLocation: string;
  outputFolder: string;
  safeName: string;
  /** Dust map: a name (none, sfd, sfd-lowres, csfd, planck) or the absolute path of a FITS map. */
  dustMap: string;
  tsmVersion: string;
}

/** A dust map given by the path of a FITS file rather than by name. */
export function isDustMapPath(map: string): boolean {
  return /\.fits?$/i.test(map);
}

export function lsdbJobParams(project: Project, options: ExportOptions = {}): LsdbJobParams {
  return {
    project,
    speczLocation: speczLocation(project, options),
    photometryLocation: photometryLocation(project, options),
    outputFolder: outputFolder(project, options),
    safeName: sanitizeName(project.name),
    dustMap: isDustMapPath(project.photometry.dereddening.map)
      ? exportPath(project.photometry.dereddening.map, options.baseDir)
      : project.photometry.dereddening.map,
    tsmVersion: options.tsmVersion ?? 'unknown',
  };
}

/**
 * The Python script. The JSON goes into a raw triple-quoted string: JSON escapes every quote
 * inside its strings, so three quotes in a row cannot occur and the raw string keeps the
 * backslashes for json.loads.
 */
export function lsdbScript(params: LsdbJobParams): string {
  const json = JSON.stringify(params, null, 2);
  return [
    PY_HEADER.replace('__PARAMS__', () => json),
    PY_PROFILES,
    PY_DUST,
    PY_PHOTOMETRY,
    PY_DECISIONS,
    PY_MAIN,
  ].join('\n');
}

export function lsdbRequirements(): string {
  return [
    '# Tested with Python 3.11 (tsm export --target lsdb). For Slurm add dask-jobqueue, for',
    '# Kubernetes dask-kubernetes, then start a cluster and pass its scheduler address.',
    ...LSDB_REQUIREMENTS.map(([name, version]) => `${name}==${version}`),
    '',
  ].join('\n');
}

/** Project fields the job reproduces differently, or not at all (also in the README). */
export function lsdbUnsupported(project: Project): string[] {
  const out: string[] = [];
  if (project.split.seed === null)
    out.push(
      'split.seed is empty: the job draws a seed at run time (recorded in run.json); set a seed to get the same split as tsm run.',
    );
  if (project.specz.catalogId !== null)
    out.push(
      `specz.catalogId: the job reads the registered catalog at its path in this computer's data folder; copy it where the cluster can read it and give --specz.`,
    );
  if (isDustMapPath(project.photometry.dereddening.map))
    out.push(
      `photometry.dereddening.map is the file ${project.photometry.dereddening.map}: the job reads it at that path; copy it where the cluster can read it.`,
    );
  if (project.output.format === 'hats')
    out.push(
      'output.format = hats: written by lsdb (from_dataframe + write_catalog as a collection with a 5 arcsec margin); the partitioning may differ from tsm run, the rows are the same.',
    );
  return out;
}

/** Every file of the LSDB job. */
export function exportLsdb(project: Project, options: ExportOptions = {}): ExportResult {
  const params = lsdbJobParams(project, options);
  const unsupported = lsdbUnsupported(project);
  const resources: ExportResource[] = [];
  if (project.photometry.dereddening.map === 'sfd-lowres') {
    resources.push({ name: 'dustmaps/sfd-lowres-healpix64.fits', resource: 'sfd-lowres' });
  }
  return {
    target: 'lsdb',
    files: [
      { name: 'tsm_job.py', content: lsdbScript(params) },
      { name: 'requirements.txt', content: lsdbRequirements() },
      { name: 'README.md', content: lsdbReadme(params, unsupported) },
    ],
    resources,
    unsupported,
  };
}
