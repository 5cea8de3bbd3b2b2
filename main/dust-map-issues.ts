/**
 * The dust map a project names whose files are not in the dust-map folder: said on the wizard's
 * dereddening field before Run, with what to do, as `tsm run` would refuse the run with the same
 * files named. The default map is SFD (the original service's, and `tsm run`'s), whose two files
 * the app does not ship: the form keeps it and says where to get them rather than choosing None.
 */
import { join } from 'node:path';
import type { Project, ProjectIssue } from '../compute/pipeline/project';
import { fluxTypeNeedsMap } from '../compute/photometry/apply-photometry';
import { detectProfile } from '../compute/photometry/detect-profile';
import { KNOWN_MAPS, detectDustMaps } from '../compute/photometry/dust-maps';
import { SURVEY_IDS, findFluxType } from '../compute/photometry/profiles';
import type { CatalogSummary } from '../preload/api';

/** The dust-map folder a run reads: the setting, else `dustmaps/` in the data folder. */
export function dustMapFolder(settings: { dustMapDir: string; dataDir: string }): string {
  return settings.dustMapDir || join(settings.dataDir, 'dustmaps');
}

/**
 * Whether the run opens the project's dust map: not when the flux type's magnitudes are the
 * survey's own dereddened ones, which the run writes as they are (run-plan.ts, `fluxTypeNeedsMap`),
 * judged from the registered photometric catalog's columns as the run judges them from its schema;
 * nor when those columns have no flux or magnitude columns a profile knows (no photometry at all).
 * True when that cannot be told here (a catalog not registered, a profile that does not resolve):
 * the run then says what it finds.
 */
export function dustMapNeeded(project: Project, catalogs: readonly CatalogSummary[]): boolean {
  const { photometry } = project;
  const catalog = catalogs.find(
    (c) => c.kind === 'photometric' && c.location === photometry.location,
  );
  if (!catalog) return true;
  // the survey detected when the catalog was added stands for the run's detection (which reads
  // obs_collection too); a generic profile is the project's own choice, with the project's
  // columns (run-plan.ts projectProfile): the catalog's stored choices, or none (no band named),
  // failed here as "needs your column choices" and gave SFD's files where the run opens no map
  const detected = SURVEY_IDS.find((id) => id !== 'generic' && id === catalog.profile?.id);
  try {
    const profile = detectProfile(
      {
        columns: catalog.columns.map((c) => c.name),
        columnTypes: Object.fromEntries(catalog.columns.map((c) => [c.name, c.type])),
        location: catalog.location,
      },
      {
        survey: photometry.profile ?? detected,
        generic: photometry.generic ?? undefined,
      },
    );
    // no flux or magnitude columns the profile knows (a generic catalog whose bands were not
    // named): the run crossmatches without photometry and opens no map (run-plan.ts, a flux type
    // named then fails on that first), as the wizard's field offers None only
    if (profile.fluxTypes.length === 0) return false;
    const wanted = photometry.fluxType.toLowerCase();
    const fluxType = findFluxType(profile, wanted === 'auto' ? undefined : wanted);
    return fluxTypeNeedsMap(fluxType, photometry.convertToMagnitudes);
  } catch {
    return true;
  }
}

/**
 * An issue on `photometry.dereddening.map` when the map chosen is a known one not in `folder`
 * and the run would open it (`dustMapNeeded`).
 */
export function dustMapIssues(
  project: Project,
  folder: string,
  catalogs: readonly CatalogSummary[] = [],
): ProjectIssue[] {
  const map = project.photometry.dereddening.map;
  if (!(map in KNOWN_MAPS) || !dustMapNeeded(project, catalogs)) return [];
  const status = detectDustMaps(folder).find((m) => m.name === map);
  if (!status || status.present) return [];
  const files = status.missing.join(' and ');
  const sub = KNOWN_MAPS[map as keyof typeof KNOWN_MAPS].subfolder;
  const lowres =
    map === 'sfd'
      ? ' or choose the embedded low-resolution SFD map (demos only) or None here'
      : ' or choose another map here';
  return [
    {
      path: 'photometry.dereddening.map',
      message: `the ${map === 'sfd' ? 'SFD' : map} map needs ${files} in the dust-map folder ${folder} (or its ${sub}/ sub-folder): download ${status.missing.length > 1 ? 'them' : 'it'} from ${status.source} and put ${status.missing.length > 1 ? 'them' : 'it'} there, or set the dust-map folder in Settings to where ${status.missing.length > 1 ? 'they are' : 'it is'};${lowres}`,
    },
  ];
}
