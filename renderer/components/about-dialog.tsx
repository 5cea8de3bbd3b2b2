import { useEffect, useRef } from 'react';
import { useTsm, useTsmStore } from '../state/store-context';

/** Help > About: name, version and what the app does. Escape or the button closes it. */
export function AboutDialog() {
  const store = useTsmStore();
  const info = useTsm((s) => s.info);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div
      className="modal-backdrop"
      onKeyDown={(e) => e.key === 'Escape' && store.getState().setAboutOpen(false)}
    >
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="about-title">
        <h2 id="about-title">Training Set Maker</h2>
        <p>
          Builds photo-z training sets: a spectroscopic-redshift catalog crossmatched against a HATS
          photometric catalog, on your own machine.
        </p>
        <p className="muted">
          Version {info?.version ?? '?'} · {info?.transport ?? ''} · {info?.platform ?? ''}
        </p>
        <div className="actions">
          <button
            ref={close}
            type="button"
            className="btn primary"
            onClick={() => store.getState().setAboutOpen(false)}
          >
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
