// @vitest-environment jsdom
/**
 * An output with a 100 kB text column (a spec-z file's notes): each such cell was shown whole,
 * one column 770,000 px wide, and every column after it out of reach. A long text is now cut to
 * 80 characters with '…', its start and length in the tooltip.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TablePreview } from '../../renderer/components/results/table-preview';
import { createTsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
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
    const cut = screen.getAllByRole('cell')[2];
    expect(cut.getAttribute('title')).toBe(`${'x'.repeat(2000)}… (100,000 characters)`);
    expect(screen.getAllByRole('cell')[6].getAttribute('title')).toBeNull();
  });
});
