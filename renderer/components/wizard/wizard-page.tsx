import { ErrorWords } from '../error-words';
import { useEffect, useRef, useState } from 'react';
import { useTsm, useTsmStore } from '../../state/store-context';
import { OpenProject } from './open-project';
import {
  CLEARED_NOTICE,
  STEP_FIELDS,
  WIZARD_STEPS,
  stepOfPath,
  type WizardStep,
} from '../../state/wizard-slice';
import { focusLost } from '../focus-lost';
import { STEP_LABELS } from './field-labels';
import { idOf } from './fields';
import { BasicsStep, CatalogsStep, CrossmatchStep } from './wizard-steps';
import { OutputStep } from './output-step';
import { SummaryStep } from './summary-step';

const FIRST_FIELD = [
  'input:not([type="hidden"]):not([disabled])',
  'select:not([disabled])',
  'textarea:not([disabled])',
].join(', ');

/** `box` itself when it is a field, else its first field. */
const firstField = (box: Element | null | undefined): HTMLElement | null =>
  box?.matches(FIRST_FIELD) ? (box as HTMLElement) : (box?.querySelector(FIRST_FIELD) ?? null);

/** The control of the field at `path` in `panel`, or of the nearest field it is part of. */
function fieldAt(panel: HTMLElement | null, path: string): HTMLElement | null {
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const box = document.getElementById(idOf(parts.join('.')));
    const field = box && panel?.contains(box) ? firstField(box) : null;
    if (field) return field;
  }
  return null;
}

/** New training set: the original form's fields, in steps, then a summary and Run. */
export function WizardPage() {
  const store = useTsmStore();
  const draft = useTsm((s) => s.draft);
  const step = useTsm((s) => s.step);
  const issues = useTsm((s) => s.issues);
  const attempted = useTsm((s) => s.attempted);
  const error = useTsm((s) => s.wizardError);
  const notice = useTsm((s) => s.wizardNotice);
  const projectPath = useTsm((s) => s.projectPath);
  const cleared = useTsm((s) => s.clearedDraft !== null);
  const conflict = useTsm((s) => s.draftConflict);
  const [opening, setOpening] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const shownStep = useRef(step);
  // a problem's link in the summary: the field it names, once its step shows
  const fieldToFocus = useRef<string | null>(null);
  const goToField = (path: string) => {
    fieldToFocus.current = path;
    store.getState().goToStep(stepOfPath(path));
  };
  useEffect(() => {
    // Next, Back or a step's button: the new step's first field takes the focus (it stayed on
    // the button, a dozen Tabs away from the fields)
    if (shownStep.current === step) return;
    shownStep.current = step;
    const named = fieldToFocus.current && fieldAt(panel.current, fieldToFocus.current);
    fieldToFocus.current = null;
    // the summary is read first (its problems, then the project file): the panel takes it
    const first = step === 'summary' ? null : firstField(panel.current);
    (named || first || panel.current)?.focus();
  }, [step]);
  // the Open project panel closed (Cancel, a project opened on the summary already shown): the
  // focus goes back to the button that opened it, not to nothing
  const openButton = useRef<HTMLButtonElement>(null);
  const wasOpening = useRef(opening);
  useEffect(() => {
    if (wasOpening.current && !opening && focusLost()) openButton.current?.focus();
    wasOpening.current = opening;
  }, [opening]);
  // Next refused: the first field with a problem takes the focus (it stayed on Next, past them);
  // Undo (its button goes with the notice): the form's first field
  const [refocus, setRefocus] = useState<{ invalid: boolean } | null>(null);
  useEffect(() => {
    if (refocus)
      firstField(
        refocus.invalid ? panel.current?.querySelector('.invalid') : panel.current,
      )?.focus();
  }, [refocus]);
  if (!draft) return <p className="muted">Loading the draft…</p>;
  // the summary lists every issue: every step with one is marked there
  const stepHasIssues = (s: WizardStep) =>
    (attempted[s] || step === 'summary') &&
    issues.some((i) => STEP_FIELDS[s].some((f) => i.path === f || i.path.startsWith(`${f}.`)));
  const index = WIZARD_STEPS.indexOf(step);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New training set</h1>
          <p className="lead">
            Crossmatch a registered redshift catalog against a photometric catalog. The draft is
            saved automatically{projectPath ? ` (project file ${projectPath})` : ''}.
          </p>
        </div>
        <div className="actions">
          <button type="button" className="btn" ref={openButton} onClick={() => setOpening(true)}>
            Open project…
          </button>
          <button type="button" className="btn" onClick={() => void store.getState().newDraft()}>
            Clear form
          </button>
        </div>
      </div>
      {opening && <OpenProject onClose={() => setOpening(false)} />}
      <nav className="stepper" aria-label="Wizard steps">
        {WIZARD_STEPS.map((s) => (
          <button
            key={s}
            type="button"
            aria-current={s === step ? 'step' : undefined}
            className={stepHasIssues(s) ? 'has-issues' : undefined}
            onClick={() => store.getState().goToStep(s)}
          >
            {STEP_LABELS[s]}
          </button>
        ))}
      </nav>
      {conflict && (
        <div className="alert warn" role="alert" aria-label="Draft changed in another window">
          Another window saved this draft after this one loaded it
          {conflict.project.name ? ` (its training set: '${conflict.project.name}')` : ''}, so the
          changes made here are not saved. Choose the draft to keep:{' '}
          <button
            type="button"
            className="btn small"
            onClick={() => void store.getState().takeOtherDraft()}
          >
            Load the other window&apos;s
          </button>{' '}
          <button
            type="button"
            className="btn small"
            onClick={() => void store.getState().keepThisDraft()}
          >
            Keep this window&apos;s
          </button>
        </div>
      )}
      {error && (
        <div className="alert error" role="alert">
          <ErrorWords error={error} onChange={(_step, field) => goToField(field)} />
        </div>
      )}
      {notice && (
        <div className="alert info" role="status">
          {notice}
          {notice === CLEARED_NOTICE && cleared && (
            <>
              {' '}
              <button
                type="button"
                className="link"
                onClick={() =>
                  void store
                    .getState()
                    .undoClear()
                    .then(() => setRefocus({ invalid: false }))
                }
              >
                Undo
              </button>
            </>
          )}
        </div>
      )}
      <section className="panel" aria-label={STEP_LABELS[step]} ref={panel} tabIndex={-1}>
        {step === 'basics' && <BasicsStep draft={draft} />}
        {step === 'catalogs' && <CatalogsStep draft={draft} />}
        {step === 'crossmatch' && <CrossmatchStep draft={draft} />}
        {step === 'output' && <OutputStep draft={draft} />}
        {step === 'summary' && <SummaryStep draft={draft} goToField={goToField} />}
      </section>
      <div className="actions">
        <button
          type="button"
          className="btn"
          disabled={index === 0}
          onClick={() => store.getState().prevStep()}
        >
          Back
        </button>
        {step !== 'summary' && (
          <button
            type="button"
            className="btn primary"
            onClick={() =>
              void store
                .getState()
                .nextStep()
                .then((moved) => moved || setRefocus({ invalid: true }))
            }
          >
            Next
          </button>
        )}
      </div>
    </>
  );
}
