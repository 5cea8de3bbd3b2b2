import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Project, ProjectIssue } from '../compute/pipeline/project';
import type { CatalogSummary } from '../preload/api';

/** Whether a catalog location is a local path rather than a URL (`https://...`, `s3://...`). */
export function isLocalLocation(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/**
 * Whether a local catalog's folder is gone (moved, renamed or deleted). A URL is never probed:
 * the catalogs list would wait on the network each time it is shown; nor is a relative path,
 * whose base depends on where it is used.
 */
export async function locationGone(location: string): Promise<boolean> {
  if (!isLocalLocation(location) || !isAbsolute(location)) return false;
  try {
    return !(await stat(location)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/**
 * What to do when a photometric catalog's folder is gone: the app cannot change a catalog's
 * location, so the catalog is deleted and added again from its new place.
 */
export function photometricFolderGone(location: string): string {
  return `${location}: no such folder (moved or deleted?). A catalog's location cannot be changed: on the Catalogs page, delete the catalog and add it again from its new place`;
}

/**
 * The catalogs as listed to the app, `missing` set on the photometric ones whose local folder is
 * gone. Spec-z catalogs are not checked: runs read them from the data folder by id, wherever their
 * recorded location points (a data folder moved elsewhere keeps working).
 */
export async function markMissing(catalogs: CatalogSummary[]): Promise<CatalogSummary[]> {
  return Promise.all(
    catalogs.map(async (c) =>
      c.kind === 'photometric' && (await locationGone(c.location)) ? { ...c, missing: true } : c,
    ),
  );
}

/** The project's photometric catalog folder when it is gone: a run would fail on it. */
export async function photometryFolderIssues(project: Project): Promise<ProjectIssue[]> {
  const location = project.photometry.location;
  if (!(await locationGone(location))) return [];
  return [{ path: 'photometry.location', message: photometricFolderGone(location) }];
}
