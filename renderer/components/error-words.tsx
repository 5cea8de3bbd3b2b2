import type { WizardStep } from '../state/wizard-slice';
import { stepOfPath } from '../state/wizard-slice';
import { STEP_LABELS, fieldLabel } from './wizard/field-labels';

/** One line of an error as the page says it. */
export interface ErrorLine {
  /** The field it is about as the form labels it ("Redshift catalog columns"); null for none. */
  label: string | null;
  /** The project field path it was written after (`specz.columns.z`); null for none. */
  field: string | null;
  /** The wizard step that sets that field; null for none. */
  step: WizardStep | null;
  /** What comes before the field path (a project file's name), with its ': '; '' for none. */
  before: string;
  /** The line without its field path. */
  text: string;
}

/** A project field path at the start of a line: `specz.columns.z: ...`, `name: ...`. */
const FIELD_AT_START = /^([a-zA-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)*): ([\s\S]*)$/;

function fieldOf(line: string): { field: string; label: string; rest: string } | null {
  const m = FIELD_AT_START.exec(line);
  const label = m ? fieldLabel(m[1]) : null;
  return m && label ? { field: m[1], label, rest: m[2] } : null;
}

/**
 * The lines of an error the run or the form gives (the engine writes some after the project
 * field they are about, one per line: `specz.catalogId: the stored copy ...`, as run.json and
 * record.json keep them), each with the field as the wizard labels it and the step that sets
 * it. A line of an opened project file (`a.tsm.json: split.trainFraction: ...`) keeps the file's
 * name before the field. Lines naming no field are as written.
 */
export function errorLines(error: string): ErrorLine[] {
  return error.split('\n').map((line) => {
    let found = fieldOf(line);
    let before = '';
    if (!found) {
      // `<file>: <field>: ...` (a project file's problems, compute/pipeline/project.ts)
      const cut = line.indexOf(': ');
      const after = cut > 0 ? fieldOf(line.slice(cut + 2)) : null;
      if (after) {
        found = after;
        before = line.slice(0, cut + 2);
      }
    }
    if (!found) return { label: null, field: null, step: null, before: '', text: line };
    return {
      label: found.label,
      field: found.field,
      step: stepOfPath(found.field),
      before,
      text: found.rest,
    };
  });
}

/** A line as text: "Redshift catalog (2. Catalogs): ...", or as written when it names no field. */
export function errorLineText(line: ErrorLine): string {
  return line.label && line.step
    ? `${line.before}${line.label} (${STEP_LABELS[line.step]}): ${line.text}`
    : line.text;
}

/** The whole error as text, its lines in the form's words. */
export function errorText(error: string): string {
  return errorLines(error).map(errorLineText).join('\n');
}

/**
 * An error in the form's words, a line each: the field as the wizard labels it and its step
 * ("Redshift catalog (2. Catalogs): ..."), then what is wrong; with `onChange`, a "Change in
 * <step>" button after a line about a field of the project at hand, as run warnings have
 * (run-warnings.tsx); not after one of a project file that was not opened.
 */
export function ErrorWords({
  error,
  onChange,
}: {
  error: string;
  onChange?: (step: WizardStep, field: string) => void;
}) {
  const lines = errorLines(error);
  const line = (l: ErrorLine) => (
    <>
      {l.before}
      {l.label && l.step ? (
        <>
          <strong className="error-field">
            {l.label} ({STEP_LABELS[l.step]}):
          </strong>{' '}
          {l.text}
          {onChange && !l.before && (
            <>
              {' '}
              <button
                type="button"
                className="link"
                aria-label={`Change in ${STEP_LABELS[l.step]}: ${l.label}`}
                onClick={() => onChange(l.step!, l.field!)}
              >
                Change in {STEP_LABELS[l.step]}
              </button>
            </>
          )}
        </>
      ) : (
        l.text
      )}
    </>
  );
  if (lines.length === 1) return line(lines[0]);
  return (
    <ul className="error-lines">
      {lines.map((l, i) => (
        <li key={i}>{line(l)}</li>
      ))}
    </ul>
  );
}
