import { useEffect, useRef, useState } from 'react';
import { useTsm, useTsmStore } from '../../state/store-context';
import { fmtDate } from '../format';
import { onEscape } from '../escape-key';

/**
 * Open a project file: native dialog (Electron) or a path, plus the recent projects. It opens
 * with the focus in the path, and stays open on a file that cannot be opened (the path kept to
 * correct, the error shown by the wizard); Escape closes it as Cancel does.
 */
export function OpenProject(props: { onClose: () => void }) {
  const store = useTsmStore();
  const recent = useTsm((s) => s.recent);
  const electron = useTsm((s) => s.info?.transport === 'electron');
  const [path, setPath] = useState('');
  const pathInput = useRef<HTMLInputElement>(null);
  useEffect(() => pathInput.current?.focus(), []);
  const open = async (target: string) => {
    await store.getState().openProjectFile(target);
    if (store.getState().wizardError === null) props.onClose();
  };
  return (
    <section
      className="panel"
      aria-labelledby="open-title"
      // Escape closes it, as Cancel does (the wizard puts the focus back on Open project...)
      onKeyDown={onEscape(() => props.onClose())}
    >
      <h2 id="open-title">Open a project</h2>
      <div className="field">
        <label htmlFor="open-path">Project file (.tsm.json, or an original config.yml)</label>
        <div className="actions">
          <input
            id="open-path"
            ref={pathInput}
            type="text"
            value={path}
            placeholder="/path/to/project.tsm.json"
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && path.trim() && void open(path.trim())}
          />
          <button
            type="button"
            className="btn primary"
            disabled={!path.trim()}
            onClick={() => void open(path.trim())}
          >
            Open
          </button>
          {electron && (
            <button
              type="button"
              className="btn"
              onClick={() =>
                void store.getState().handleMenu({ command: 'open' }).then(props.onClose)
              }
            >
              Choose file…
            </button>
          )}
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </div>
      <h3>Recent projects</h3>
      {recent.length === 0 ? (
        <p className="muted">No project saved or opened yet.</p>
      ) : (
        <ul className="recent-list">
          {recent.map((r) => (
            <li key={r.path}>
              <button type="button" className="link" onClick={() => void open(r.path)}>
                {r.name}
              </button>{' '}
              <span className="mono muted">{r.path}</span>{' '}
              <span className="muted">· {fmtDate(r.openedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
