// @vitest-environment jsdom
/**
 * An output with a 100 kB text column (a spec-z file's notes): each such cell was shown whole,
 * one column 770,000 px wide, and every column after it out of reach. A long text is now cut to
 * 80 characters with '…', and opens on its start and length (a Details disclosure).
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TablePreview } from '../../renderer/components/results/table-preview';
import { createTsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import type { RunRecord } from '../../preload/api';
import { FakeApi } from './fake-api';

afterEach(cleanup);

describe("the table preview's scroll box", () => {
  it('is reached with Tab on its table, "Output rows" (its rows have nothing else to focus)', () => {
    const store = createTsmStore(new FakeApi());
    store.setState({ table: { columns: ['z'], rows: [[0.5]], offset: 0, total: 1 } });
    render(
      <TsmStoreProvider store={store}>
        <TablePreview />
      </TsmStoreProvider>,
    );
    const table = screen.getByRole('table', { name: 'Output rows' });
    expect(table.tabIndex).toBe(0);
    expect(table.parentElement!.className).toBe('table-wrap');
  });

  it('is reached with Tab too when the output has no rows (its columns scroll sideways)', () => {
    const store = createTsmStore(new FakeApi());
    const columns = Array.from({ length: 60 }, (_, i) => `mag_${i}`);
    store.setState({ table: { columns, rows: [], offset: 0, total: 0 } });
    render(
      <TsmStoreProvider store={store}>
        <TablePreview />
      </TsmStoreProvider>,
    );
    expect(screen.getByText('The output has no rows.')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Output rows' }).tabIndex).toBe(0);
  });
});

describe('the table preview of a long text', () => {
  it('cuts the cell to 80 characters and keeps the other columns as they are', () => {
    const store = createTsmStore(new FakeApi());
    const note = 'x'.repeat(100_000);
    store.setState({
      table: {
        columns: ['z', 'notes', 'objectId'],
        rows: [
          [0.5, note, 42],
          [0.7, 'short', 43],
        ],
        offset: 0,
        total: 2,
      },
    });
    render(
      <TsmStoreProvider store={store}>
        <TablePreview />
      </TsmStoreProvider>,
    );
    const cells = screen.getAllByRole('cell').map((c) => c.textContent);
    expect(cells).toEqual(['1', '0.5', `${'x'.repeat(80)}…`, '42', '2', '0.7', 'short', '43']);
    expect(screen.getAllByRole('cell')[6].querySelector('details')).toBeNull();
  });

  // the rest was in a hover tooltip (title) only: no keyboard, screen reader or touch reached it
  it('opens the cut cell on the whole text from its summary (a Details disclosure), and closes it', async () => {
    const store = createTsmStore(new FakeApi());
    const note = `${'spectrum flagged by visual inspection: blend, low S/N '.repeat(4)}last words`;
    store.setState({
      table: { columns: ['z', 'notes'], rows: [[0.5, note]], offset: 0, total: 1 },
    });
    render(
      <TsmStoreProvider store={store}>
        <TablePreview />
      </TsmStoreProvider>,
    );
    const cell = screen.getAllByRole('cell')[2];
    expect(cell.hasAttribute('title')).toBe(false);
    const summary = cell.querySelector('details > summary') as HTMLElement;
    expect(summary.textContent).toBe(`${note.slice(0, 80)}…`);
    expect(cell.textContent).not.toContain('last words');
    fireEvent.click(summary); // what Enter or Space on the focused summary does
    await act(async () => new Promise((r) => setTimeout(r, 0)));
    expect(cell.querySelector('details')!.open).toBe(true);
    expect(summary.textContent).toBe('Show less');
    expect(cell.querySelector('.cut-full')!.textContent).toBe(note);
    fireEvent.click(summary);
    await act(async () => new Promise((r) => setTimeout(r, 0)));
    expect(summary.textContent).toBe(`${note.slice(0, 80)}…`);
    expect(cell.querySelector('.cut-full')).toBeNull();
  });

  it('opens a 100 kB text on its first 2,000 characters and its length', async () => {
    const store = createTsmStore(new FakeApi());
    store.setState({
      table: { columns: ['notes'], rows: [['x'.repeat(100_000)]], offset: 0, total: 1 },
    });
    render(
      <TsmStoreProvider store={store}>
        <TablePreview />
      </TsmStoreProvider>,
    );
    const cell = screen.getAllByRole('cell')[1];
    fireEvent.click(cell.querySelector('summary')!);
    await act(async () => new Promise((r) => setTimeout(r, 0)));
    expect(cell.querySelector('.cut-full')!.textContent).toBe(
      `${'x'.repeat(2000)}… (100,000 characters)`,
    );
  });
});

/** The rows scrollIntoView was called on (jsdom has no layout, nor scrollIntoView). */
let scrolledTo: Element[] = [];
beforeEach(() => {
  scrolledTo = [];
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolledTo.push(this);
  };
});

/** A run whose output has 949,855 rows (a 1M spec-z training set), served a page at a time. */
function millionRows() {
  const api = new FakeApi();
  const total = 949_855;
  api.getTablePage = async (id: string, offset: number, limit: number) => {
    api.calls.push({ method: 'getTablePage', args: [id, offset, limit] });
    const n = Math.max(0, Math.min(limit, total - offset));
    return {
      columns: ['id'],
      rows: Array.from({ length: n }, (_, i) => [1000 + offset + i]),
      offset,
      total,
    };
  };
  const store = createTsmStore(api);
  const run = { id: 'run-1m', name: '1M', status: 'done' } as RunRecord;
  store.setState({ page: 'results', results: { run } });
  render(
    <TsmStoreProvider store={store}>
      <TablePreview />
    </TsmStoreProvider>,
  );
  const offsets = () => api.callsOf('getTablePage').map((c) => c.args[1]);
  const rowNumbers = () =>
    screen
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.firstChild!.textContent);
  const goTo = async (typed: string) => {
    fireEvent.change(screen.getByLabelText('Go to row'), { target: { value: typed } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Go' })));
  };
  return { api, store, offsets, rowNumbers, goTo };
}

describe('the table preview of a large output', () => {
  it('goes to the last page and back to the first, where there were only Previous and Next', async () => {
    const { store, offsets, rowNumbers } = millionRows();
    await act(() => store.getState().loadTablePage(0));
    screen.getByText('Rows 1–25 of 949,855 · page 1 of 37,995');
    expect(screen.getByRole('button', { name: 'First' })).toHaveProperty('disabled', true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Last' })));
    expect(offsets()).toEqual([0, 949_850]);
    screen.getByText('Rows 949,851–949,855 of 949,855 · page 37,995 of 37,995');
    expect(rowNumbers()).toEqual(['949,851', '949,852', '949,853', '949,854', '949,855']);
    expect(screen.getByRole('button', { name: 'Last' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Next' })).toHaveProperty('disabled', true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'First' })));
    expect(offsets()).toEqual([0, 949_850, 0]);
    screen.getByText('Rows 1–25 of 949,855 · page 1 of 37,995');
  });

  it('keeps the focus on the way back when Next or Last reaches the last page (and Previous or First the first): it fell to the body', async () => {
    const { store } = millionRows();
    await act(() => store.getState().loadTablePage(949_825));
    const button = (name: string) => screen.getByRole('button', { name });
    const press = async (name: string) => {
      button(name).focus();
      await act(async () => fireEvent.click(button(name)));
    };
    // the page before the last: Next reaches the end and is disabled
    await press('Next');
    screen.getByText('Rows 949,851–949,855 of 949,855 · page 37,995 of 37,995');
    expect(button('Next')).toHaveProperty('disabled', true);
    expect(document.activeElement).toBe(button('Previous'));
    await press('Previous');
    // Previous stays enabled there: the focus stays on it
    expect(document.activeElement).toBe(button('Previous'));
    await press('Last');
    expect(document.activeElement).toBe(button('Previous'));
    await press('First');
    screen.getByText('Rows 1–25 of 949,855 · page 1 of 37,995');
    expect(document.activeElement).toBe(button('Next'));
    await press('Next');
    await press('Previous');
    expect(button('Previous')).toHaveProperty('disabled', true);
    expect(document.activeElement).toBe(button('Next'));
  });

  it('goes to a typed row: its page, the row marked', async () => {
    const { store, offsets, goTo } = millionRows();
    await act(() => store.getState().loadTablePage(0));
    await goTo('523,417');
    expect(offsets()).toEqual([0, 523_400]);
    screen.getByText('Rows 523,401–523,425 of 949,855 · page 20,937 of 37,995');
    const marked = screen.getAllByRole('row').filter((r) => r.getAttribute('aria-current'));
    expect(marked.map((r) => r.textContent)).toEqual(['523,417524416']);
    // the 17th row of the page, below the box's 14 in view: brought into view
    expect(scrolledTo).toEqual(marked);
    expect(screen.queryByRole('status')).toBeNull();
    // a page button takes the mark away, and the new page shows from its first row
    const box = screen.getByRole('table', { name: 'Output rows' }).parentElement!;
    box.scrollTop = 300;
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Next' })));
    expect(screen.getAllByRole('row').filter((r) => r.getAttribute('aria-current'))).toEqual([]);
    expect(box.scrollTop).toBe(0);
  });

  it('moves a row number out of range to the first or last row and says so', async () => {
    const { store, offsets, rowNumbers, goTo } = millionRows();
    await act(() => store.getState().loadTablePage(0));
    await goTo('2000000');
    expect(offsets()).toEqual([0, 949_850]);
    expect(screen.getByRole('status').textContent).toBe(
      'The output has 949,855 rows: row 949,855 is the last one.',
    );
    expect(rowNumbers()).toContain('949,855');
    expect(store.getState().tableRow).toBe(949_854);
    await goTo('0');
    expect(offsets()).toEqual([0, 949_850, 0]);
    expect(screen.getByRole('status').textContent).toBe(
      'There is no row 0: the rows are numbered from 1.',
    );
    expect(store.getState().tableRow).toBe(0);
    // a negative number is before the first row too (it was refused as no row number)
    await goTo('949,854');
    for (const [typed, said] of [
      ['-3', 'There is no row -3: the rows are numbered from 1.'],
      ['-1,000', 'There is no row -1,000: the rows are numbered from 1.'],
      ['\u221242', 'There is no row -42: the rows are numbered from 1.'],
    ]) {
      await goTo('949,854');
      expect(store.getState().tableRow).toBe(949_853);
      await goTo(typed);
      expect(screen.getByRole('status').textContent).toBe(said);
      expect(store.getState().tableRow).toBe(0);
      expect(offsets().at(-1)).toBe(0);
      expect(rowNumbers()).toContain('1');
    }
  });

  it('refuses text that is not a row number, saying what is allowed, and asks for nothing', async () => {
    const { store, offsets, goTo } = millionRows();
    await act(() => store.getState().loadTablePage(0));
    for (const [typed, said] of [
      ['abc', "'abc' is not a row number. Type a row number from 1 to 949,855."],
      ['--5', "'--5' is not a row number. Type a row number from 1 to 949,855."],
      ['-', "'-' is not a row number. Type a row number from 1 to 949,855."],
      ['12.5', "'12.5' is not a row number. Type a row number from 1 to 949,855."],
      ['1e5', "'1e5' is not a row number. Type a row number from 1 to 949,855."],
      ['', 'Type a row number from 1 to 949,855.'],
    ]) {
      await goTo(typed);
      expect(screen.getByRole('status').textContent).toBe(said);
    }
    expect(offsets()).toEqual([0]);
    expect(screen.getByLabelText('Go to row').getAttribute('aria-describedby')).toBe('goto-note');
  });

  it('shows the page asked for last when an earlier answer arrives after it', async () => {
    const { api, store } = millionRows();
    const served = api.getTablePage;
    let release: () => void = () => undefined;
    api.getTablePage = async (id, offset, limit) => {
      if (offset === 25) await new Promise<void>((r) => (release = r));
      return served(id, offset, limit);
    };
    const slow = store.getState().loadTablePage(25);
    await act(() => store.getState().loadTablePage(949_850));
    release();
    await act(() => slow);
    expect(store.getState().table?.offset).toBe(949_850);
  });
});
