/**
 * The dust map a project names whose files are not in the dust-map folder: said on the wizard's
 * dereddening field before Run, with what to do, as `tsm run` would refuse the run with the same
 * files named. The default map is SFD (the original service's, and `tsm run`'s), whose two files
 * the app does not ship: the form keeps it and says where to get them rather than choosing None.
 */
import { join } from 'node:path';
import type { Project, ProjectIssue } from '../compute/pipeline/project';
import { KNOWN_MAPS, detectDustMaps } from '../compute/photometry/dust-maps';

/** The dust-map folder a run reads: the setting, else `dustmaps/` in the data folder. */
export function dustMapFolder(settings: { dustMapDir: string; dataDir: string }): string {
  return settings.dustMapDir || join(settings.dataDir, 'dustmaps');
}

/** An issue on `photometry.dereddening.map` when the map chosen is a known one not in `folder`. */
export function dustMapIssues(project: Project, folder: string): ProjectIssue[] {
  const map = project.photometry.dereddening.map;
  if (!(map in KNOWN_MAPS)) return [];
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
