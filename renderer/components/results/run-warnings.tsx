import type { RunRecord } from '../../../preload/api';
import { warningWords } from '../../../compute/pipeline/warning-words';
import { useTsmStore } from '../../state/store-context';
import { stepOfPath } from '../../state/wizard-slice';
import { STEP_LABELS } from '../wizard/field-labels';

/**
 * One warning in the scientist's words: what it is about ("Dereddening"), then the engine's text
 * without the project field path it was stored after (compute/pipeline/warning-words.ts); with
 * `run`, a button opens the run's parameters in the wizard at the step that sets that field.
 */
export function RunWarningText({ warning, run }: { warning: string; run?: RunRecord }) {
  const store = useTsmStore();
  const { topic, field, text } = warningWords(warning);
  const step = field ? stepOfPath(field) : null;
  return (
    <>
      {topic && <strong className="warning-topic">{topic}: </strong>}
      {text}
      {run && step && (
        <>
          {' '}
          <button
            type="button"
            className="link"
            aria-label={`Change in ${STEP_LABELS[step]}: ${topic}`}
            title="Opens this run's parameters in New training set, at the step that sets it"
            onClick={() => void store.getState().rerun(run, step)}
          >
            Change in {STEP_LABELS[step]}
          </button>
        </>
      )}
    </>
  );
}

/**
 * The warnings of a finished run (RunRecord.warnings: the engine's run.json `warnings`, e.g. that
 * nothing matched so the training set is empty), in one warning box.
 */
export function RunWarnings({ warnings, run }: { warnings?: string[]; run?: RunRecord }) {
  if (!warnings || warnings.length === 0) return null;
  const title =
    warnings.length === 1
      ? 'The run finished with a warning'
      : `The run finished with ${warnings.length} warnings`;
  return (
    <div className="alert warn run-warnings" role="alert" aria-label="Run warnings">
      <strong>{title}</strong>
      {warnings.length === 1 ? (
        <p>
          <RunWarningText warning={warnings[0]} run={run} />
        </p>
      ) : (
        <ul>
          {warnings.map((w, i) => (
            <li key={i}>
              <RunWarningText warning={w} run={run} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "1 warning" / "3 warnings": the history's mark of a run that finished with warnings. */
export function warningCount(warnings?: string[]): string | null {
  const n = warnings?.length ?? 0;
  return n === 0 ? null : n === 1 ? '1 warning' : `${n} warnings`;
}
