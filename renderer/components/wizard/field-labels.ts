import type { WizardStep } from '../../state/wizard-slice';

/** The wizard's steps as its stepper names them. */
export const STEP_LABELS: Record<WizardStep, string> = {
  basics: '1. Name',
  catalogs: '2. Catalogs',
  crossmatch: '3. Crossmatch',
  output: '4. Split & output',
  summary: '5. Summary',
};

/** Project field paths (and prefixes of them) as the wizard labels them. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Training set name',
  description: 'Description',
  specz: 'Redshift catalog',
  'specz.columns': 'Redshift catalog columns',
  photometry: 'Photometric catalog',
  'photometry.fluxType': 'Flux type',
  'photometry.dereddening': 'Dereddening',
  'photometry.columns': 'Photometric columns to keep',
  'photometry.profile': 'Band columns (generic profile)',
  crossmatch: 'Crossmatch',
  'crossmatch.radiusArcsec': 'Threshold distance (arcsec)',
  'crossmatch.nNeighbors': 'Number of neighbors',
  'crossmatch.join': 'Join',
  uniqueGalaxies: 'Unique galaxies',
  split: 'Split',
  'split.method': 'Split method',
  'split.trainFraction': 'Training fraction',
  'split.seed': 'Random seed',
  'split.zBins': 'Redshift bins',
  output: 'Output',
  'output.format': 'Output format',
  'output.folder': 'Output folder',
};

/** The label of the field an issue's path names (its longest known prefix), or null. */
export function fieldLabel(path: string): string | null {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (FIELD_LABELS[p]) return FIELD_LABELS[p];
  }
  return null;
}
