import { useEffect, useRef, useState } from 'react';
import type { TablePage } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { PAGE_SIZE, pageOffsetOf } from '../../state/history-slice';
import { CutCell } from '../cut-cell';
import { fmtInt } from '../format';
import { focusLost } from '../focus-lost';

/** The header row of the output's columns (a `#` column first, for the row numbers). */
function HeaderRow({ columns }: { columns: string[] }) {
  return (
    <tr>
      <th className="num">#</th>
      {columns.map((c) => (
        <th key={c}>{c}</th>
      ))}
    </tr>
  );
}

/** An output without rows: its columns (from the file's schema) and a note saying so. */
function EmptyOutput({ table }: { table: TablePage }) {
  return (
    <>
      {table.columns.length > 0 && (
        <div className="table-wrap">
          {/* a Tab stop, as with rows: many columns scroll sideways */}
          <table className="grid" aria-label="Output rows" tabIndex={0}>
            <thead>
              <HeaderRow columns={table.columns} />
            </thead>
            <tbody />
          </table>
        </div>
      )}
      <div className="empty">The output has no rows.</div>
    </>
  );
}

/**
 * First, Previous, Next, Last and "Go to row" under the table: a million-row output has 40,000
 * pages of 25 rows, too many to reach one at a time.
 */
function Pager({ table }: { table: TablePage }) {
  const store = useTsmStore();
  const notice = useTsm((s) => s.tableNotice);
  const [typed, setTyped] = useState('');
  const load = (offset: number) => void store.getState().loadTablePage(offset);
  const atStart = table.offset === 0;
  const atEnd = table.offset + table.rows.length >= table.total;
  const lastOffset = pageOffsetOf(table.total - 1);
  // Next or Last that reached the last page is disabled under the focus (First or Previous on
  // the first page likewise), which fell to the page's body: it goes to the way back (Previous,
  // or Next), else to "Go to row"
  const towards = useRef<'start' | 'end' | null>(null);
  const previous = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  const goto = useRef<HTMLInputElement>(null);
  const go = (offset: number, to: 'start' | 'end') => {
    towards.current = to;
    load(offset);
  };
  useEffect(() => {
    const to = towards.current;
    if (to === null || !(to === 'end' ? atEnd : atStart)) return;
    towards.current = null;
    if (!focusLost()) return;
    const back = to === 'end' ? (atStart ? null : previous) : atEnd ? null : next;
    (back?.current ?? goto.current)?.focus();
  }, [table.offset, atStart, atEnd]);
  return (
    <>
      <div className="pager">
        <button
          type="button"
          className="btn small"
          disabled={atStart}
          onClick={() => go(0, 'start')}
        >
          First
        </button>
        <button
          type="button"
          className="btn small"
          ref={previous}
          disabled={atStart}
          onClick={() => go(Math.max(0, table.offset - PAGE_SIZE), 'start')}
        >
          Previous
        </button>
        <span>
          Rows {fmtInt(table.offset + 1)}–{fmtInt(table.offset + table.rows.length)} of{' '}
          {fmtInt(table.total)} · page {fmtInt(Math.floor(table.offset / PAGE_SIZE) + 1)} of{' '}
          {fmtInt(lastOffset / PAGE_SIZE + 1)}
        </span>
        <button
          type="button"
          className="btn small"
          ref={next}
          disabled={atEnd}
          onClick={() => go(table.offset + PAGE_SIZE, 'end')}
        >
          Next
        </button>
        <button
          type="button"
          className="btn small"
          disabled={atEnd}
          onClick={() => go(lastOffset, 'end')}
        >
          Last
        </button>
        <form
          className="goto"
          onSubmit={(e) => {
            e.preventDefault();
            void store.getState().goToTableRow(typed);
          }}
        >
          <label htmlFor="goto-row">Go to row</label>
          <input
            id="goto-row"
            ref={goto}
            type="text"
            inputMode="numeric"
            size={10}
            placeholder={`1–${fmtInt(table.total)}`}
            value={typed}
            aria-describedby={notice ? 'goto-note' : undefined}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit" className="btn small">
            Go
          </button>
        </form>
      </div>
      {notice && (
        <p className="pager-note" id="goto-note" role="status">
          {notice}
        </p>
      )}
    </>
  );
}

/** A paged look at the output file's rows. */
export function TablePreview() {
  const table = useTsm((s) => s.table);
  const error = useTsm((s) => s.tableError);
  const marked = useTsm((s) => s.tableRow);
  const wrap = useRef<HTMLDivElement>(null);
  const offset = table?.offset;
  useEffect(() => {
    // the box shows about 14 of a page's 25 rows: a new page starts at its top, and the row
    // "Go to row" went to is brought into view (it was below, out of sight)
    const box = wrap.current;
    if (!box) return;
    const row = box.querySelector<HTMLElement>('tr[aria-current]');
    if (row) row.scrollIntoView({ block: 'nearest' });
    else box.scrollTop = 0;
  }, [offset, marked]);
  return (
    <section className="panel spaced" aria-labelledby="table-title">
      <h2 id="table-title">Table preview</h2>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {!table ? (
        !error && <p className="muted">Loading rows…</p>
      ) : table.total === 0 ? (
        <EmptyOutput table={table} />
      ) : (
        <>
          <div className="table-wrap" ref={wrap}>
            {/* a Tab stop: its scroll box has nothing else to focus (arrow keys scroll it) */}
            <table className="grid" aria-label="Output rows" tabIndex={0}>
              <thead>
                <HeaderRow columns={table.columns} />
              </thead>
              <tbody>
                {table.rows.map((row, i) => (
                  <tr
                    key={table.offset + i}
                    className={marked === table.offset + i ? 'marked' : undefined}
                    aria-current={marked === table.offset + i ? 'true' : undefined}
                  >
                    <td className="num muted">{fmtInt(table.offset + i + 1)}</td>
                    {row.map((cell, j) => (
                      <td key={j} className={typeof cell === 'number' ? 'num' : undefined}>
                        <CutCell value={cell} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager table={table} />
        </>
      )}
    </section>
  );
}
