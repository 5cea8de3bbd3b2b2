// @vitest-environment jsdom
/**
 * Where the keyboard focus goes on the Catalogs page when the control that had it goes away:
 * Delete's question, a catalog deleted, a catalog added or registered, a form cancelled.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogsPage } from '../../renderer/components/catalogs/catalogs-page';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, summary } from './fake-api';

let api: FakeApi;
let store: TsmStore;
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

beforeEach(async () => {
  api = new FakeApi();
  api.catalogs = [summary('sz-9', 'specz', 'VVDS')];
  store = createTsmStore(api);
  await store.getState().init();
  render(
    <TsmStoreProvider store={store}>
      <CatalogsPage />
    </TsmStoreProvider>,
  );
});
afterEach(cleanup);

/** Clicks a button the way a keyboard user presses it: focused first. */
function press(button: HTMLElement) {
  button.focus();
  fireEvent.click(button);
}

describe('the focus on the Catalogs page', () => {
  it("moves into Delete's question, and Escape dismisses it and goes back to Delete", async () => {
    act(() => store.getState().selectCatalog('sz-9'));
    press(screen.getByRole('button', { name: 'Delete' }));
    const question = screen.getByRole('group', {
      name: 'Delete this catalog and its stored copy?',
    });
    expect(question.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Keep' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete' }));
    expect(api.catalogs).toHaveLength(1);
  });

  it('goes to the page heading after a deletion, which the status line reports', async () => {
    act(() => store.getState().selectCatalog('sz-9'));
    press(screen.getByRole('button', { name: 'Delete' }));
    press(screen.getByRole('button', { name: 'Yes, delete' }));
    await settle();
    expect(api.catalogs).toEqual([]);
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Catalogs' }));
    expect(store.getState().notice).toBe("Deleted the catalog 'VVDS'.");
  });

  it("goes to the new photometric catalog's heading after Add catalog", async () => {
    press(screen.getByRole('button', { name: 'Add photometric catalog' }));
    fireEvent.change(screen.getByLabelText(/HATS catalog or collection/), {
      target: { value: '/cats/dp1' },
    });
    press(screen.getByRole('button', { name: 'Add catalog' }));
    await settle();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'dp1', level: 2 }));
    expect(store.getState().notice).toBe("Added the photometric catalog 'dp1'.");
  });

  it("goes to the new redshift catalog's heading after Register", async () => {
    press(screen.getByRole('button', { name: 'Register redshift catalog' }));
    await act(async () => {
      store.getState().setRegistrationPath('/home/me/specz.parquet');
      await store.getState().loadPreview();
      await store.getState().validateRegistration();
    });
    press(screen.getByRole('button', { name: 'Register' }));
    await settle();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'specz', level: 2 }));
    expect(store.getState().notice).toBe("Registered the redshift catalog 'specz'.");
  });

  it('closes either form on Escape, as Cancel does, back on the button that opened it (Escape did nothing)', async () => {
    press(screen.getByRole('button', { name: 'Add photometric catalog' }));
    const location = screen.getByLabelText(/HATS catalog or collection/);
    location.focus();
    fireEvent.change(location, { target: { value: '/cats/dp1' } });
    fireEvent.keyDown(location, { key: 'Escape' });
    expect(screen.queryByRole('form', { name: 'Add a photometric catalog' })).toBeNull();
    expect(screen.queryByLabelText(/HATS catalog or collection/)).toBeNull();
    expect(store.getState().photometricForm).toBeNull();
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Add photometric catalog' }),
    );
    // the redshift form, from its column step (a column chooser focused)
    press(screen.getByRole('button', { name: 'Register redshift catalog' }));
    await act(async () => {
      store.getState().setRegistrationPath('/home/me/specz.parquet');
      await store.getState().loadPreview();
    });
    const region = screen.getByRole('region', { name: 'Register a redshift catalog' });
    const chooser = within(region).getAllByRole('combobox')[0];
    chooser.focus();
    fireEvent.keyDown(chooser, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Register a redshift catalog' })).toBeNull();
    expect(store.getState().registration).toBeNull();
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Register redshift catalog' }),
    );
    expect(api.catalogs).toHaveLength(1);
  });

  it("goes to a form's first field when its button opens it (it stayed on the button)", async () => {
    press(screen.getByRole('button', { name: 'Register redshift catalog' }));
    expect(document.activeElement).toBe(screen.getByLabelText(/^Spec-z catalog: a file/));
    // the other form, opened over the first
    press(screen.getByRole('button', { name: 'Add photometric catalog' }));
    expect(document.activeElement).toBe(screen.getByLabelText(/HATS catalog or collection/));
    press(screen.getByRole('button', { name: 'Cancel' }));
    press(screen.getByRole('button', { name: 'Add photometric catalog' }));
    expect(document.activeElement).toBe(screen.getByLabelText(/HATS catalog or collection/));
  });

  it('goes back to the button that opened a form when it is cancelled', () => {
    press(screen.getByRole('button', { name: 'Add photometric catalog' }));
    press(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Add photometric catalog' }),
    );
  });
});

// the types were in hover tooltips (title) only: no keyboard, screen reader or touch reached them
describe("a catalog's columns", () => {
  it('are listed each with its type', async () => {
    api.catalogs = [
      {
        ...summary('ph-1', 'photometric', 'dp1', '/cats/dp1'),
        columns: [
          { name: 'objectId', type: 'Int64' },
          { name: 'coord_ra', type: 'Float64' },
          { name: 'refBand', type: 'Utf8' },
        ],
      },
    ];
    await act(async () => store.getState().loadCatalogs());
    act(() => store.getState().selectCatalog('ph-1'));
    const list = screen.getByRole('heading', { name: 'Columns' }).nextElementSibling!;
    expect(
      within(list as HTMLElement)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['objectId Int64', 'coord_ra Float64', 'refBand Utf8']);
    expect(list.querySelectorAll('[title]')).toHaveLength(0);
  });
});

describe('a catalog whose folder is gone', () => {
  it('is marked in its row, and its page says to delete it and add it again', async () => {
    api.catalogs = [
      ...api.catalogs,
      summary('ph-1', 'photometric', 'dp1', '/hats/dp1'),
      { ...summary('ph-2', 'photometric', 'dp02', '/hats/dp02_object'), missing: true },
    ];
    await act(() => store.getState().loadCatalogs());
    const row = (name: string) => screen.getByRole('cell', { name: new RegExp(`^${name}`) });
    expect(row('dp1').textContent).toBe('dp1');
    expect(row('dp02').textContent).toBe('dp02folder missing');
    act(() => store.getState().selectCatalog('ph-2'));
    expect(screen.getByRole('alert').textContent).toBe(
      "The folder /hats/dp02_object is no longer there (moved or deleted), so runs with this catalog fail. A catalog's location cannot be changed: delete this catalog and add it again from its new place (Add photometric catalog).",
    );
    act(() => store.getState().selectCatalog('ph-1'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('marks a spec-z catalog whose stored copy is gone, and its page says to register its file again', async () => {
    api.catalogs = [
      {
        ...summary('sz-2', 'specz', 'sdss'),
        sourcePath: '/home/me/sdss_dr16.fits',
        missing: true,
      },
    ];
    await act(() => store.getState().loadCatalogs());
    expect(screen.getByRole('cell', { name: /^sdss/ }).textContent).toBe('sdssstored copy missing');
    act(() => store.getState().selectCatalog('sz-2'));
    expect(screen.getByRole('alert').textContent).toBe(
      "The stored copy of this catalog in the data folder (catalogs/sz-2) is no longer there (moved or deleted), so runs with this catalog fail. A catalog's stored copy cannot be changed: delete this catalog and register its file again (Register redshift catalog: /home/me/sdss_dr16.fits).",
    );
  });
});

describe('the Catalogs page when the data folder cannot be read', () => {
  it('shows the reason alone, not "No redshift catalog yet" under it', async () => {
    const gone =
      'The data folder /media/disk/tsm-data is not there any more (deleted, moved, or its disk not connected), so its catalogs and runs cannot be shown and nothing is saved there: reconnect its disk (or put the folder back) and reload, or choose another data folder in Settings.';
    api.catalogs = [];
    await act(async () => store.getState().loadCatalogs());
    api.listCatalogs = async () => {
      throw new Error(gone);
    };
    await act(async () => store.getState().loadCatalogs());
    expect(screen.getByRole('alert').textContent).toBe(gone);
    expect(screen.queryByText('No redshift catalog yet')).toBeNull();
    expect(screen.queryByText('No photometric catalog yet')).toBeNull();
  });
});

describe('a stored catalog folder the app cannot read', () => {
  it('is marked in its row, its page says what is wrong, and it offers no Delete', async () => {
    const problem =
      '/data/catalogs/broken looks like a catalog stored by tsm register, but it cannot be read: /data/catalogs/broken/registration.json is not valid JSON (Unexpected end of JSON input). Register its file again under another name, or move the folder out of /data/catalogs.';
    api.catalogs = [
      ...api.catalogs,
      { ...summary('broken', 'specz', 'broken'), rowCount: null, columns: [], problem },
    ];
    await act(() => store.getState().loadCatalogs());
    expect(screen.getByRole('cell', { name: /^broken/ }).textContent).toBe('brokencannot be read');
    act(() => store.getState().selectCatalog('broken'));
    expect(screen.getByRole('alert').textContent).toBe(problem);
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    act(() => store.getState().selectCatalog('sz-9'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeTruthy();
  });
});

describe("a redshift catalog's page", () => {
  it('says the id `tsm run --specz-id` takes (its folder in the data folder)', async () => {
    api.catalogs = [
      { ...summary('My_spec-z', 'specz', 'My spec-z'), location: '/data/catalogs/My_spec-z' },
      summary('ph-1', 'photometric', 'dp1', '/hats/dp1'),
    ];
    await act(() => store.getState().loadCatalogs());
    act(() => store.getState().selectCatalog('My_spec-z'));
    const term = screen.getByText('On the command line');
    expect(term.nextElementSibling?.textContent).toBe('tsm run --specz-id My_spec-z');
    act(() => store.getState().selectCatalog('ph-1'));
    expect(screen.queryByText('On the command line')).toBeNull();
  });
});
