import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Project, ProjectIssue } from '../compute/pipeline/project';
import type { CatalogSummary } from '../preload/api';

/** Whether a catalog location is a local path rather than a URL (`https://...`, `s3://...`). */
export function isLocalLocation(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/**
 * What is at a local path: its stats, or null when nothing is (ENOENT, ENOTDIR); undefined when
 * not probed: a URL (the catalogs list would wait on the network each time it is shown), a
 * relative path (its base depends on where it is used), or a path stat cannot tell about.
 */
async function probe(path: string): Promise<{ isDirectory(): boolean } | null | undefined> {
  if (!isLocalLocation(path) || !isAbsolute(path)) return undefined;
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : undefined;
  }
}

/** Whether a local catalog's folder is gone (moved, renamed or deleted, or a file in its place). */
export async function locationGone(location: string): Promise<boolean> {
  const found = await probe(location);
  return found !== undefined && !found?.isDirectory();
}

/** Whether a local file or folder is gone. */
const pathGone = async (path: string): Promise<boolean> => (await probe(path)) === null;

/**
 * What to do about a path that is not there when it lies under what an original config.yml's
 * `${DATASETS_DIR}` stood for as the app opened it (the environment's DATASETS_DIR, else
 * /datasets: compute/pipeline/project-migrate.ts); `tsm run` says the same (datasetsDirHint).
 * null for other paths.
 */
export function datasetsDirAdvice(
  path: string,
  datasetsDir: string | undefined = process.env.DATASETS_DIR,
): string | null {
  const root = (datasetsDir ?? '/datasets').replace(/\/+$/, '');
  if (!path.startsWith(`${root}/`)) return null;
  return datasetsDir === undefined
    ? 'an original config.yml names its data under ${DATASETS_DIR}, which is /datasets as DATASETS_DIR is not set: start the app with DATASETS_DIR set to the folder that holds the data (DATASETS_DIR=/path/to/datasets npm run web) and open the config.yml again'
    : `an original config.yml names its data under \${DATASETS_DIR}, which is DATASETS_DIR=${datasetsDir} here: start the app with DATASETS_DIR set to the folder that holds the data and open the config.yml again`;
}

/**
 * An engine error that says a path under `${DATASETS_DIR}`'s folder is not there, with the
 * advice of {@link datasetsDirAdvice}; other messages as they are.
 */
export function withDatasetsDirAdvice(message: string): string {
  if (!/no such (file|folder)|not found/i.test(message)) return message;
  const path = /(\/\S+?):/.exec(message)?.[1];
  const advice = path ? datasetsDirAdvice(path) : null;
  return advice ? `${message}; ${advice}` : message;
}

/**
 * What to do when a project's photometric catalog folder is gone: the app cannot change a
 * catalog's location, so a catalog of the Catalogs page (`registered`) is deleted and added again
 * from its new place; another folder (an opened project's) is chosen again in step 2; one under
 * `${DATASETS_DIR}`'s folder says how to set DATASETS_DIR.
 */
export function photometricFolderGone(location: string, registered = true): string {
  const datasets = datasetsDirAdvice(location);
  if (datasets) return `${location}: no such folder; ${datasets}`;
  return registered
    ? `${location}: no such folder (moved or deleted?). A catalog's location cannot be changed: on the Catalogs page, delete the catalog and add it again from its new place`
    : `${location}: no such folder (moved or deleted?); choose a photometric catalog in step 2 (add it on the Catalogs page from where it is now)`;
}

/**
 * Where runs read a registered spec-z catalog: its stored copy in the data folder, by id (wherever
 * its recorded location points: a data folder moved elsewhere keeps working).
 */
export const speczCopyPath = (dataDir: string, id: string): string => join(dataDir, 'catalogs', id);

/**
 * What to do when a registered spec-z catalog's stored copy is gone: the app cannot make it again
 * by itself, so the catalog is deleted and its file registered again.
 */
export function speczCopyGone(catalog: CatalogSummary, dataDir: string): string {
  const file = catalog.sourcePath ? ` (${catalog.sourcePath})` : '';
  return `${speczCopyPath(dataDir, catalog.id)}: the stored copy of the redshift catalog '${catalog.name}' is no longer there (moved or deleted?). A catalog's stored copy cannot be changed: on the Catalogs page, delete the catalog and register its file${file} again`;
}

/**
 * The catalogs as listed to the app, `missing` set on those a run could not read: a photometric
 * catalog whose local folder is gone, a spec-z catalog whose stored copy in `dataDir` is gone.
 */
export async function markMissing(
  catalogs: CatalogSummary[],
  dataDir: string,
): Promise<CatalogSummary[]> {
  return Promise.all(
    catalogs.map(async (c) => {
      const read = c.kind === 'photometric' ? c.location : speczCopyPath(dataDir, c.id);
      return (await locationGone(read)) ? { ...c, missing: true } : c;
    }),
  );
}

/**
 * The project's catalogs when they are gone, a run would fail on them: its registered spec-z
 * catalog's stored copy, its photometric catalog folder, and its spec-z file or folder when given
 * by path (an opened project or config.yml).
 */
export async function catalogPathIssues(
  project: Project,
  catalogs: readonly CatalogSummary[],
  dataDir: string,
): Promise<ProjectIssue[]> {
  const issues: ProjectIssue[] = [];
  const specz = catalogs.find((c) => c.kind === 'specz' && c.id === project.specz.catalogId);
  if (specz && (await locationGone(speczCopyPath(dataDir, specz.id)))) {
    issues.push({ path: 'specz.catalogId', message: speczCopyGone(specz, dataDir) });
  }
  const location = project.photometry.location;
  if (await locationGone(location)) {
    const registered = catalogs.some((c) => c.kind === 'photometric' && c.location === location);
    issues.push({
      path: 'photometry.location',
      message: photometricFolderGone(location, registered),
    });
  }
  const path = project.specz.catalogId === null ? project.specz.path : null;
  if (path && (await pathGone(path))) {
    issues.push({
      path: 'specz.path',
      message: `${path}: no such file or folder; ${datasetsDirAdvice(path) ?? 'choose a registered redshift catalog in step 2 (register the file on the Catalogs page from where it is now)'}`,
    });
  }
  return issues;
}
