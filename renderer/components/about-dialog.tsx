import { useEffect, useRef } from 'react';
import { useTsm, useTsmStore } from '../state/store-context';

/**
 * Help > About: name, version and what the app does. A native modal dialog (showModal): the
 * page behind cannot be reached with Tab, Escape or the button closes it, and the focus goes
 * back to what opened it.
 */
export function AboutDialog() {
  const store = useTsmStore();
  const info = useTsm((s) => s.info);
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const dismiss = () => store.getState().setAboutOpen(false);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = dialog.current;
    if (d && !d.open) d.showModal?.(); // (not in jsdom)
    close.current?.focus();
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="about-title"
      onCancel={(e) => {
        e.preventDefault(); // React closes it (the open state), not the browser
        dismiss();
      }}
      onClick={(e) => e.target === dialog.current && dismiss()} // the backdrop
    >
      <h2 id="about-title">Training Set Maker</h2>
      <p>
        Builds photo-z training sets: a spectroscopic-redshift catalog crossmatched against a HATS
        photometric catalog, on your own machine.
      </p>
      <p className="muted">
        Version {info?.version ?? '?'} · {info?.transport ?? ''} · {info?.platform ?? ''}
      </p>
      <div className="actions">
        <button ref={close} type="button" className="btn primary" onClick={dismiss}>
          Close
        </button>
      </div>
    </dialog>
  );
}
