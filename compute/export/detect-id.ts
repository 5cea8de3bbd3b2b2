/**
 * The object-id column of a project's photometric catalog, from the catalog itself (its survey
 * profile), for exports that must name it (`inputs.dataset.columns.id` of the original's
 * config.yml) when the project leaves the profile to detection.
 */
import { openObjectCatalog } from '../hats';
import { projectProfile, resolvePath } from '../pipeline/run-plan';
import type { Project } from '../pipeline/project-schema';

/** The detected id column; null when the catalog cannot be opened here or has none known. */
export async function detectPhotometricId(
  project: Project,
  baseDir: string,
): Promise<string | null> {
  try {
    const { catalog } = await openObjectCatalog(resolvePath(project.photometry.location, baseDir));
    return projectProfile(catalog, project).idColumn;
  } catch {
    return null; // exported where the catalog is not reachable: the config says to check it
  }
}
