// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsPage } from '../../../../renderer/components/settings/settings-page';
import { createTsmStore, type TsmStore } from '../../../../renderer/state/store';
import { TsmStoreProvider } from '../../../../renderer/state/store-context';
import { FakeApi } from '../../fake-api';

let api: FakeApi;
let store: TsmStore;

beforeEach(async () => {
  api = new FakeApi();
  store = createTsmStore(api);
  await store.getState().init();
  render(
    <TsmStoreProvider store={store}>
      <SettingsPage />
    </TsmStoreProvider>,
  );
  await settle();
});
afterEach(cleanup);

const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

async function save(): Promise<void> {
  fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
  await settle();
}

describe('the stall timeout on the Settings page', () => {
  it('is empty for the default, takes seconds, and refuses what is no number of seconds above 0', async () => {
    const stall = screen.getByLabelText<HTMLInputElement>(
      'Stall timeout for remote catalogs (seconds)',
    );
    expect(stall.value).toBe('');
    expect(stall.placeholder).toBe('Default (30)');
    for (const typed of ['0', '-5', 'soon', '1e309', '90000']) {
      fireEvent.change(stall, { target: { value: typed } });
      await save();
      expect(screen.getByRole('alert').textContent).toBe(
        `The stall timeout for remote catalogs must be a number of seconds above 0, at most 86400, or empty for the default (got ${typed}).`,
      );
    }
    expect(api.callsOf('updateSettings')).toHaveLength(0);
    fireEvent.change(stall, { target: { value: ' 120.5 ' } });
    await save();
    expect(screen.getByRole('status').textContent).toBe('Settings saved.');
    expect(api.callsOf('updateSettings')[0].args[0]).toMatchObject({ stallSeconds: 120.5 });
    expect(stall.value).toBe('120.5');
    fireEvent.change(stall, { target: { value: '' } });
    await save();
    expect(api.callsOf('updateSettings')[1].args[0]).toMatchObject({ stallSeconds: null });
    expect(stall.value).toBe('');
  });
});
