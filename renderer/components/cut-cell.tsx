import { useState } from 'react';
import { clippedCell } from './format';

/**
 * A table cell's value as the tables show it (`clippedCell`): a text longer than CELL_CHARS is
 * cut, and opens on the whole of it as a Details disclosure (a hover tooltip held it, which
 * keyboards, screen readers and touch screens cannot reach). The whole text is rendered only
 * while open: a page of 25 rows of 100 kB notes stays light.
 */
export function CutCell({ value }: { value: unknown }) {
  const { text, full } = clippedCell(value);
  const [open, setOpen] = useState(false);
  if (full === undefined) return <>{text}</>;
  return (
    <details className="cut-cell" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{open ? 'Show less' : text}</summary>
      {open && <div className="cut-full">{full}</div>}
    </details>
  );
}
