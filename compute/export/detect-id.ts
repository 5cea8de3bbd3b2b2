/**
 * The object-id column of a project's photometric catalog, from the catalog itself (its survey
 * profile), for exports that must name it (`inputs.dataset.columns.id` of the original's
 * config.yml) when the project leaves the profile to detection.
 */
import { openObjectCatalog } from '../hats';
import { detectProfile } from '../photometry/detect-profile';
import { resolvePath } from '../pipeline/run-plan';
import type { Project } from '../pipeline/project-schema';

/** The detected id column; null when the catalog cannot be opened here or has none known. */
export async function detectPhotometricId(
  project: Project,
  baseDir: string,
): Promise<string | null> {
  try {
    const { catalog } = await openObjectCatalog(resolvePath(project.photometry.location, baseDir));
    const profile = detectProfile(
      {
        columns: catalog.schema.fields.map((f) => f.name),
        obsCollection: catalog.properties.name,
        raColumn: catalog.raColumn,
        decColumn: catalog.decColumn,
        location: catalog.location,
      },
      {
        survey: project.photometry.profile ?? undefined,
        generic: project.photometry.generic ?? undefined,
      },
    );
    return profile.idColumn;
  } catch {
    return null; // exported where the catalog is not reachable: the config says to check it
  }
}
