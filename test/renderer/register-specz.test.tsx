// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegisterSpecz } from '../../renderer/components/catalogs/register-specz';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, summary } from './fake-api';

let store: TsmStore;

beforeEach(async () => {
  const api = new FakeApi();
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
