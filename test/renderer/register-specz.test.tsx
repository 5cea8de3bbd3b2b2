// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegisterSpecz } from '../../renderer/components/catalogs/register-specz';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, summary } from './fake-api';

let store: TsmStore;
let fakeApi: FakeApi;

beforeEach(async () => {
  const api = new FakeApi();
  fakeApi = api;
  api.catalogs = [summary('VVDS_2024', 'specz', 'VVDS 2024')];
  store = createTsmStore(api);
  await store.getState().init();
  await store.getState().loadCatalogs();
  store.getState().startRegistration();
  store.getState().setRegistrationPath('/d/new.parquet');
  await store.getState().loadPreview();
});
afterEach(cleanup);

describe('registering a spec-z catalog', () => {
  it('says at the name field that a catalog of that name is registered (as its folder name)', async () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    const name = screen.getByLabelText('Catalog name');
    // 'VVDS 2024' is stored as the folder VVDS_2024
    fireEvent.change(name, { target: { value: 'VVDS 2024' } });
    await act(async () => {});
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(
      screen.getByText(/A spec-z catalog named 'VVDS_2024' is already registered/),
    ).toBeTruthy();
    fireEvent.change(name, { target: { value: 'VVDS 2025' } });
    await act(async () => {});
    expect(name.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByText(/is already registered/)).toBeNull();
  });
});

describe("the preview's rows", () => {
  it('scroll in a named box that Tab reaches (no control in it to reach it by)', () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    const box = screen.getByRole('region', { name: 'First rows' });
    expect(box.className).toBe('table-wrap');
    expect(box.tabIndex).toBe(0);
    expect(box.firstElementChild).toBe(screen.getByRole('table', { name: 'Preview of the file' }));
  });
});

// the types and a long text's rest were in hover tooltips (title) only: no keyboard, screen
// reader or touch screen reached them
describe("the preview's columns and long texts", () => {
  it('writes each column type under its name, and opens a cut cell on the whole text', async () => {
    const note = `${'spectrum flagged by visual inspection, '.repeat(3)}last words`;
    Object.assign(fakeApi, {
      previewSpecz: async (path: string) => ({
        path,
        format: 'csv',
        columns: [
          { name: 'ra', type: 'Float64' },
          { name: 'dec', type: 'Float64' },
          { name: 'z', type: 'Float64' },
          { name: 'note', type: 'Utf8' },
        ],
        rows: [[150.1, 2.2, 0.5, note]],
        mapping: { ...store.getState().registration!.mapping!, ra: 'ra', dec: 'dec', z: 'z' },
      }),
    });
    await store.getState().loadPreview();
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    const table = screen.getByRole('table', { name: 'Preview of the file' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['raFloat64', 'decFloat64', 'zFloat64', 'noteUtf8']);
    expect(table.querySelectorAll('[title]')).toHaveLength(0);
    const cell = within(table).getAllByRole('cell')[3];
    expect(cell.textContent).toBe(`${note.slice(0, 80)}…`);
    fireEvent.click(cell.querySelector('summary')!);
    await act(async () => new Promise((r) => setTimeout(r, 0)));
    expect(cell.querySelector('.cut-full')!.textContent).toBe(note);
  });
});

describe('reading a large file', () => {
  const note = /Reading the file… a large file takes a while; Cancel stops it\./;

  it('says so beside "Check the file" while every row is checked', async () => {
    let answer: (report: unknown) => void = () => {};
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    expect(screen.queryByText(note)).toBeNull();
    const pending = new Promise((resolve) => (answer = resolve));
    fakeApi.validateSpecz = async () => pending as never;
    fireEvent.click(screen.getByRole('button', { name: 'Check the file' }));
    await act(async () => {});
    const status = screen.getByText(note);
    // in the row of the buttons, not only at the path field at the top of the form
    expect(status.parentElement).toBe(
      screen.getByRole('button', { name: 'Check the file' }).parentElement,
    );
    answer(fakeApi.report);
    await act(async () => {});
    expect(screen.queryByText(note)).toBeNull();
  });

  it('says how many rows main read, and the part of the file, then the writing', async () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Check the file' }));
    await act(async () => {});
    let open: () => void = () => {};
    fakeApi.catalogGate = new Promise<void>((resolve) => (open = resolve));
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    await act(async () => {});
    const { requestId } = fakeApi.callsOf('registerSpecz')[0].args[0] as { requestId: string };
    act(() =>
      fakeApi.emit('catalogProgress', {
        requestId,
        progress: { phase: 'read', rowsRead: 458_752, fraction: 0.4587 },
      }),
    );
    const status = screen.getByText('Reading the file: 458,752 rows read (45%)… Cancel stops it.');
    expect(status.getAttribute('role')).toBe('status');
    act(() =>
      fakeApi.emit('catalogProgress', {
        requestId,
        progress: { phase: 'write', rowsRead: 1_000_000, fraction: 1 },
      }),
    );
    expect(screen.getByText('Writing the catalog: 1,000,000 rows… Cancel stops it.')).toBeTruthy();
    cleanup();
    open();
    await act(async () => {});
  });

  it('says so beside Register while the catalog is written', async () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Check the file' }));
    await act(async () => {});
    let open: () => void = () => {};
    fakeApi.catalogGate = new Promise<void>((resolve) => (open = resolve));
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    await act(async () => {});
    expect(screen.getByText(note).parentElement).toBe(
      screen.getByRole('button', { name: 'Register' }).parentElement,
    );
    // the page, not this form, shows the registered catalog: unmount before it is answered
    cleanup();
    open();
    await act(async () => {});
  });
});

describe('the focus between the columns and the report', () => {
  /** Presses a button the way a keyboard user does: focused first. */
  function press(button: HTMLElement) {
    button.focus();
    fireEvent.click(button);
  }

  it('goes to the report after "Check the file", and to the RA column after "Back to the columns"', async () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    press(screen.getByRole('button', { name: 'Check the file' }));
    await act(async () => {});
    // the button went away with its step: the focus is where the report starts, not on <body>
    expect(screen.queryByRole('button', { name: 'Check the file' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Validation report' }));
    expect(screen.getByRole('status').textContent).toBe(
      'The file can be registered: 3 of 3 rows are valid.',
    );
    press(screen.getByRole('button', { name: 'Back to the columns' }));
    await act(async () => {});
    expect(screen.queryByRole('heading', { name: 'Validation report' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'RA *' }));
  });

  it('stays on a column changed while the report shows (the report goes, the choice stays)', async () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Check the file' }));
    await act(async () => {});
    const z = screen.getByLabelText(/^Redshift z/);
    z.focus();
    fireEvent.change(z, { target: { value: 'ra' } });
    await act(async () => {});
    expect(screen.queryByRole('heading', { name: 'Validation report' })).toBeNull();
    expect(document.activeElement).toBe(z);
  });
});

describe('another path after a preview', () => {
  it("drops the previewed file's rows, columns and name: Check the file read the new path with them", async () => {
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    expect(screen.getByRole('button', { name: 'Check the file' })).toBeTruthy();
    expect((screen.getByLabelText('Catalog name') as HTMLInputElement).value).toBe('new');
    const path = screen.getByLabelText(/^Spec-z catalog/);
    fireEvent.change(path, { target: { value: '/d/other.parquet' } });
    await act(async () => {});
    expect(screen.queryByText('First rows')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Check the file' })).toBeNull();
    expect(store.getState().registration).toMatchObject({
      step: 'pick',
      preview: null,
      mapping: null,
      report: null,
      name: '',
    });
    // previewed again: the new file's rows and name
    fireEvent.keyDown(path, { key: 'Enter' });
    await act(async () => {});
    expect(fakeApi.callsOf('previewSpecz').at(-1)!.args[0]).toBe('/d/other.parquet');
    expect((screen.getByLabelText('Catalog name') as HTMLInputElement).value).toBe('other');
    // the same path again (spaces around it) keeps the preview
    fireEvent.change(path, { target: { value: ' /d/other.parquet ' } });
    await act(async () => {});
    expect(screen.getByRole('button', { name: 'Check the file' })).toBeTruthy();
  });

  it('keeps a name the user typed', async () => {
    store.getState().setRegistrationName('my name');
    store.getState().setRegistrationPath('/d/other.parquet');
    expect(store.getState().registration).toMatchObject({ preview: null, name: 'my name' });
  });
});

describe('a preview that takes long (a remote catalog)', () => {
  const reading =
    'Reading the first rows of https://example.org/specz… a remote catalog can take a while; Cancel preview stops it.';

  it('has Cancel preview, which stops main reading, says so and keeps the form', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('https://example.org/specz');
    let open: () => void = () => {};
    fakeApi.catalogGate = new Promise<void>((resolve) => (open = resolve));
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    const preview = screen.getByRole('button', { name: 'Preview' });
    fireEvent.click(preview);
    await act(async () => {});
    expect(screen.getByText(reading).getAttribute('role')).toBe('status');
    expect((preview as HTMLButtonElement).disabled).toBe(true);
    const [, requestId] = fakeApi.callsOf('previewSpecz').at(-1)!.args as [string, string];
    expect(requestId).toMatch(/^catalog-/);

    const cancel = screen.getByRole('button', { name: 'Cancel preview' });
    cancel.focus();
    fireEvent.click(cancel);
    await act(async () => {});
    expect(fakeApi.callsOf('cancelCatalogRequest').map((c) => c.args[0])).toEqual([requestId]);
    expect(screen.queryByText(reading)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel preview' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(
      'Preview of https://example.org/specz cancelled.',
    );
    // the form stays, with its path, ready to preview again; the focus is back on Preview
    expect((preview as HTMLButtonElement).disabled).toBe(false);
    expect(document.activeElement).toBe(preview);
    expect(screen.getByLabelText(/^Spec-z catalog/)).toHaveProperty(
      'value',
      'https://example.org/specz',
    );

    // main's answer to the cancelled call (it rejects) changes nothing
    open();
    await act(async () => {});
    expect(screen.queryByRole('alert')).toBeNull();
    expect(store.getState().registration).toMatchObject({ step: 'pick', busy: false });
    expect(screen.getByRole('status').textContent).toBe(
      'Preview of https://example.org/specz cancelled.',
    );
  });

  it('is stopped in main by the form’s Cancel too', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('https://example.org/specz');
    fakeApi.catalogGate = new Promise<void>(() => {});
    void store.getState().loadPreview();
    await act(async () => {});
    const [, requestId] = fakeApi.callsOf('previewSpecz').at(-1)!.args as [string, string];
    store.getState().cancelRegistration();
    expect(fakeApi.callsOf('cancelCatalogRequest').map((c) => c.args[0])).toEqual([requestId]);
    expect(store.getState().registration).toBeNull();
  });

  it('stops the preview in progress in main when Enter asks for another', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('https://example.org/specz');
    fakeApi.catalogGate = new Promise<void>(() => {});
    render(
      <TsmStoreProvider store={store}>
        <RegisterSpecz />
      </TsmStoreProvider>,
    );
    const path = screen.getByLabelText(/^Spec-z catalog/);
    fireEvent.keyDown(path, { key: 'Enter' });
    await act(async () => {});
    fireEvent.change(path, { target: { value: 'https://example.org/specz2' } });
    fireEvent.keyDown(path, { key: 'Enter' });
    await act(async () => {});
    const ids = fakeApi
      .callsOf('previewSpecz')
      .filter((c) => String(c.args[0]).startsWith('https://'))
      .map((c) => c.args[1]);
    expect(ids).toHaveLength(2);
    // the first kept downloading in main, its answer dropped
    expect(fakeApi.callsOf('cancelCatalogRequest').map((c) => c.args[0])).toEqual([ids[0]]);
    expect(store.getState().registration).toMatchObject({ previewing: true, requestId: ids[1] });
  });
});
