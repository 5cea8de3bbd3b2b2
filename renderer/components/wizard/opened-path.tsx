import type { ReactNode } from 'react';

/**
 * A read-only path of an opened project that names no registered catalog (a spec-z file, a
 * photometric folder), with what the run does with it.
 */
export function OpenedPath(props: { id: string; label: string; path: string; hint: ReactNode }) {
  return (
    <div className="opened-path">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        readOnly
        value={props.path}
        aria-describedby={`${props.id}-hint`}
      />
      <div className="hint" id={`${props.id}-hint`}>
        {props.hint}
      </div>
    </div>
  );
}
