/**
 * The "profile" section of `tsm inspect`: the survey profile detected from the catalog's schema
 * and `obs_collection`, with what the photometry step will do with it.
 */
import type { InspectSection, InspectSectionProvider } from '../hats/inspect';
import { detectProfile } from './detect-profile';
import type { SurveyProfile } from './profiles';

export function describeProfile(p: SurveyProfile): string[] {
  const lines = [
    `survey: ${p.label} (${p.id}, detected by ${p.detectedBy})`,
    `id / ra / dec: ${p.idColumn ?? '-'} / ${p.raColumn} / ${p.decColumn}`,
  ];
  if (p.fluxTypes.length === 0) {
    lines.push('no known flux or magnitude columns: choose the generic profile and name them');
    return lines;
  }
  lines.push(`bands: ${p.bands.join(' ')}`);
  lines.push(
    `flux types: ${p.fluxTypes.map((t) => (t.id === t.label ? t.id : `${t.id} (${t.label})`)).join(', ')}`,
  );
  lines.push(
    `flux unit: ${p.fluxUnit}, zero point ${p.zeroPointMag} (m = ${p.zeroPointMag} - 2.5 log10 f)`,
  );
  const mags = p.fluxTypes.filter((t) => t.bands.some((b) => b.mag || b.magDered)).map((t) => t.id);
  const dered = p.fluxTypes.filter((t) => t.bands.some((b) => b.magDered)).map((t) => t.id);
  if (mags.length) lines.push(`already magnitudes: ${mags.join(', ')}`);
  if (dered.length) lines.push(`already dereddened (not dereddened again): ${dered.join(', ')}`);
  lines.push(
    `quality filter: ${p.qualityFilter ? `${p.qualityFilter.column} == ${p.qualityFilter.equals}` : 'none'}`,
  );
  const r = Object.entries(p.extinction.coefficients)
    .map(([b, v]) => `${b} ${v}`)
    .join(', ');
  lines.push(`extinction R_b: ${r || 'none'} (${p.extinction.source})`);
  if (p.ebvColumn) lines.push(`survey E(B-V) column: ${p.ebvColumn}`);
  const ft = p.fluxTypes[0].id;
  const b = p.bands[0];
  lines.push(`output columns: mag_${ft}_${b}, magerr_${ft}_${b}, mag_dered_${ft}_${b}, ebv, ...`);
  return lines;
}

/** Provider for compute/cli/inspect.ts `INSPECT_SECTIONS`. */
export const profileInspectSection: InspectSectionProvider = ({ catalog }): InspectSection => {
  const columns = catalog.schema.fields.map((f) => f.name);
  // compute/pipeline/output-columns.ts TRAINING_FLAG_COLUMN: a training set's magnitudes and ebv
  // are the run's outputs, not a survey's columns to convert again
  if (columns.includes('is_training_set')) {
    return {
      title: 'profile',
      lines: [
        'a training set (is_training_set column): its mag_*, magerr_*, mag_dered_* and ebv columns were made by the run; run.json beside it records how',
      ],
      data: { trainingSet: true },
    };
  }
  const profile = detectProfile({
    columns,
    obsCollection: catalog.properties.name,
    raColumn: catalog.properties.raColumn,
    decColumn: catalog.properties.decColumn,
    location: catalog.location,
  });
  return { title: 'profile', lines: describeProfile(profile), data: profile };
};
