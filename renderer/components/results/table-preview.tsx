import type { TablePage } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { PAGE_SIZE } from '../../state/history-slice';
import { clippedCell, fmtInt } from '../format';

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

/** A paged look at the output file's rows. */
export function TablePreview() {
  const store = useTsmStore();
  const table = useTsm((s) => s.table);
  const error = useTsm((s) => s.tableError);
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
          <div className="table-wrap">
            {/* a Tab stop: its scroll box has nothing else to focus (arrow keys scroll it) */}
            <table className="grid" aria-label="Output rows" tabIndex={0}>
              <thead>
                <HeaderRow columns={table.columns} />
              </thead>
              <tbody>
                {table.rows.map((row, i) => (
                  <tr key={table.offset + i}>
                    <td className="num muted">{table.offset + i + 1}</td>
                    {row.map((cell, j) => {
                      const { text, title } = clippedCell(cell);
                      return (
                        <td
                          key={j}
                          className={typeof cell === 'number' ? 'num' : undefined}
                          title={title}
                        >
                          {text}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button
              type="button"
              className="btn small"
              disabled={table.offset === 0}
              onClick={() =>
                void store.getState().loadTablePage(Math.max(0, table.offset - PAGE_SIZE))
              }
            >
              Previous
            </button>
            <span>
              Rows {fmtInt(table.offset + 1)}–{fmtInt(table.offset + table.rows.length)} of{' '}
              {fmtInt(table.total)}
            </span>
            <button
              type="button"
              className="btn small"
              disabled={table.offset + table.rows.length >= table.total}
              onClick={() => void store.getState().loadTablePage(table.offset + PAGE_SIZE)}
            >
              Next
            </button>
          </div>
        </>
      )}
    </section>
  );
}
