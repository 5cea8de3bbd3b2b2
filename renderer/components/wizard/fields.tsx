import { typedNumber } from '../typed-number';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTsm, useTsmStore } from '../../state/store-context';
import { visibleIssuesOf } from '../../state/wizard-slice';

/** The engine's messages for a field (or section), once the user touched it or tried to go on. */
export function useFieldIssues(path: string): string[] {
  const issues = useTsm((s) => s.issues);
  const touched = useTsm((s) => s.touched);
  const attempted = useTsm((s) => s.attempted);
  return useMemo(
    () => visibleIssuesOf({ issues, touched, attempted }, path).map((i) => i.message),
    [issues, touched, attempted, path],
  );
}

/** The id of a field's control (its label's `htmlFor`), from its project path. */
export const idOf = (path: string) => `f-${path.replace(/\./g, '-')}`;

export function Field(props: {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  children: (id: string, invalid: boolean, describedBy: string) => ReactNode;
}) {
  const messages = useFieldIssues(props.path);
  const id = idOf(props.path);
  const invalid = messages.length > 0;
  return (
    <div className={`field${invalid ? ' invalid' : ''}`}>
      <label htmlFor={id} id={`${id}-label`}>
        {props.label}{' '}
        {props.required && (
          <span className="required" aria-hidden="true">
            *
          </span>
        )}
      </label>
      {props.children(id, invalid, `${id}-msg`)}
      {props.hint && <div className="hint">{props.hint}</div>}
      <div id={`${id}-msg`} aria-live="polite">
        {messages.map((m, i) => (
          <div key={i} className="error">
            {m}
          </div>
        ))}
      </div>
    </div>
  );
}

export function TextField(props: {
  path: string;
  label: ReactNode;
  value: string;
  required?: boolean;
  multiline?: boolean;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const store = useTsmStore();
  const set = (v: string) => void store.getState().setField(props.path, v);
  return (
    <Field path={props.path} label={props.label} hint={props.hint} required={props.required}>
      {(id, invalid, describedBy) =>
        props.multiline ? (
          <textarea
            id={id}
            value={props.value}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => set(e.target.value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={props.value}
            placeholder={props.placeholder}
            aria-required={props.required}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => set(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/**
 * A number input that keeps what the user typed; the project gets the number, or the text itself
 * when it is not a number, so the engine's message says what is wrong with it.
 */
export function NumberField(props: {
  path: string;
  label: ReactNode;
  value: number | string | null;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const store = useTsmStore();
  const [text, setText] = useState(props.value === null ? '' : String(props.value));
  useEffect(() => {
    // Follow outside changes only (a project opened, a draft loaded), not the user's typing.
    const typed = text.trim() === '' ? null : Number(text);
    if (typeof props.value !== 'string' && typed !== props.value) {
      setText(props.value === null ? '' : String(props.value));
    }
  }, [props.value]);
  const onChange = (raw: string) => {
    setText(raw);
    void store.getState().setField(props.path, typedNumber(raw, null));
  };
  return (
    <Field path={props.path} label={props.label} hint={props.hint}>
      {(id, invalid, describedBy) => (
        // text, not type="number": a number input shows '1e309' or '1e' but reports '' (read as
        // empty, so 'is required' or a seed drawn); the schema names the typed text instead
        <input
          id={id}
          type="text"
          inputMode="decimal"
          className="number"
          placeholder={props.placeholder}
          value={text}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function SelectField(props: {
  path: string;
  label: ReactNode;
  value: string;
  options: { value: string; label: string; disabled?: boolean }[];
  hint?: ReactNode;
  required?: boolean;
  onChange?: (value: string) => void;
}) {
  const store = useTsmStore();
  return (
    <Field path={props.path} label={props.label} hint={props.hint} required={props.required}>
      {(id, invalid, describedBy) => (
        <select
          id={id}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) =>
            props.onChange
              ? props.onChange(e.target.value)
              : void store.getState().setField(props.path, e.target.value)
          }
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField(props: {
  path: string;
  label: ReactNode;
  checked: boolean;
  disabled?: boolean;
  hint?: ReactNode;
}) {
  const store = useTsmStore();
  const messages = useFieldIssues(props.path);
  const id = idOf(props.path);
  return (
    <div className="field">
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled}
          onChange={(e) => void store.getState().setField(props.path, e.target.checked)}
        />
        <label htmlFor={id}>{props.label}</label>
      </div>
      {props.hint && <div className="hint">{props.hint}</div>}
      {messages.map((m, i) => (
        <div key={i} className="error">
          {m}
        </div>
      ))}
    </div>
  );
}
