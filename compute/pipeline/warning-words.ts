/**
 * A run's warnings as a scientist reads them. The engine writes some of them after the project
 * field they are about (`photometry.dereddening.map: the dust map ...`), and run.json keeps them
 * so (older runs' run.json and record.json too, and the exported LSDB job's run.json): the app's
 * run, results and runs pages and `tsm run`'s summary say the part of the training set instead
 * ("Dereddening: the dust map ..."), the field kept for a link to the wizard step that sets it.
 */

export interface WarningWords {
  /** What the warning is about, in the wizard's words ("Dereddening"); null when it names none. */
  topic: string | null;
  /** The project field it is about (`photometry.dereddening.map`); null when it names none. */
  field: string | null;
  /** The warning without its field path. */
  text: string;
}

/**
 * The prefixes the engine (compute/pipeline/run.ts, run-plan.ts, compute/export/python) writes
 * before a warning, with what they mean and the project field that sets it.
 */
const TOPICS: { prefix: string; topic: string; field: string }[] = [
  { prefix: 'photometry.dereddening.map', topic: 'Dereddening', field: 'photometry.dereddening' },
  { prefix: 'photometry.dereddening', topic: 'Dereddening', field: 'photometry.dereddening' },
  {
    prefix: 'photometry.generic.zeroPointMag',
    topic: 'Magnitudes (zero point)',
    field: 'photometry.generic.zeroPointMag',
  },
  { prefix: 'photometry.location', topic: 'Photometric catalog', field: 'photometry.location' },
  { prefix: 'specz', topic: 'Redshift catalog', field: 'specz' },
  { prefix: 'z_flag', topic: 'Unique galaxies (z_flag)', field: 'uniqueGalaxies' },
  {
    prefix: 'instrument type',
    topic: 'Unique galaxies (instrument type)',
    field: 'uniqueGalaxies',
  },
];

/** A warning's topic, field and text (a warning of no known prefix is its own text). */
export function warningWords(warning: string): WarningWords {
  for (const t of TOPICS) {
    if (warning.startsWith(`${t.prefix}: `)) {
      return { topic: t.topic, field: t.field, text: warning.slice(t.prefix.length + 2) };
    }
  }
  return { topic: null, field: null, text: warning };
}

/** A warning as one line: "Dereddening: the dust map ...", or as written when it has no topic. */
export function warningLine(warning: string): string {
  const { topic, text } = warningWords(warning);
  return topic ? `${topic}: ${text}` : text;
}
