// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultDustMapDir,
  SettingsPage,
} from '../../../../renderer/components/settings/settings-page';
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

describe('the fields of the Settings page', () => {
  // label, the setting it saves, its value from FakeApi's settings, its placeholder and inputmode
  // (null: none), the start of its hint, and what is typed in the test
  const fields = [
    ['Data folder', 'dataDir', '/data', null, null, 'Registered catalogs, runs', '/disk/tsm'],
    // it had no placeholder: an empty field did not say which folder the maps are read from
    // (here the data folder typed above's)
    [
      'Dust-map folder',
      'dustMapDir',
      '',
      'Default (/disk/tsm/dustmaps)',
      null,
      'SFD (SFD_dust_4096_ngp',
      '/maps',
    ],
    ['Worker threads', 'workers', '1', 'Automatic', 'numeric', 'Empty: chosen per run', '3'],
    [
      'Cache size for remote catalogs (MB)',
      'cacheSizeMb',
      '100',
      '0 (the default)',
      'numeric',
      '0: the default (2 GiB',
      '250',
    ],
    [
      'Stall timeout for remote catalogs (seconds)',
      'stallSeconds',
      '',
      'Default (30)',
      'decimal',
      'A download that receives',
      '45',
    ],
  ] as const;

  it('each shows its setting, placeholder and hint, and saves what is typed into its own setting', async () => {
    for (const [label, , value, placeholder, inputMode, hint, typed] of fields) {
      const input = screen.getByLabelText<HTMLInputElement>(label);
      expect(input.type).toBe('text');
      expect(input.value).toBe(value);
      expect(input.getAttribute('placeholder')).toBe(placeholder);
      expect(input.getAttribute('inputmode')).toBe(inputMode);
      const hintText = input.nextElementSibling;
      expect(hintText?.className).toBe('hint');
      expect(hintText?.textContent?.startsWith(hint)).toBe(true);
      fireEvent.change(input, { target: { value: typed } });
    }
    await save();
    expect(api.callsOf('updateSettings')[0].args[0]).toEqual({
      dataDir: '/disk/tsm',
      dustMapDir: '/maps',
      workers: 3,
      cacheSizeMb: 250,
      stallSeconds: 45,
    });
  });
});

describe('the default dust-map folder an empty setting stands for', () => {
  it('is dustmaps in the data folder, with its separator, as typed', () => {
    expect(defaultDustMapDir('/home/me/tsm')).toBe('/home/me/tsm/dustmaps');
    expect(defaultDustMapDir('/home/me/tsm/')).toBe('/home/me/tsm/dustmaps');
    expect(defaultDustMapDir('C:\\Users\\me\\tsm')).toBe('C:\\Users\\me\\tsm\\dustmaps');
  });

  it('follows the data folder as it is typed', async () => {
    const dust = screen.getByLabelText<HTMLInputElement>('Dust-map folder');
    expect(dust.placeholder).toBe('Default (/data/dustmaps)');
    fireEvent.change(screen.getByLabelText('Data folder'), { target: { value: '/disk/tsm' } });
    expect(dust.placeholder).toBe('Default (/disk/tsm/dustmaps)');
  });
});

describe('the Settings page opened again', () => {
  it('shows the settings another process (a web bridge on the same data folder) saved since they were loaded', async () => {
    const workers = screen.getByLabelText<HTMLInputElement>('Worker threads');
    const dust = screen.getByLabelText<HTMLInputElement>('Dust-map folder');
    expect([workers.value, dust.value]).toEqual(['1', '']);
    await save();
    expect(screen.getByRole('status').textContent).toBe('Settings saved.');
    const saved = await api.getSettings();
    api.getSettings = async () => ({ ...saved, workers: 6, dustMapDir: '/shared/maps' });
    await act(async () => store.getState().navigate('settings'));
    await settle();
    // it showed the settings loaded when the app started until the page was reloaded
    expect([workers.value, dust.value]).toEqual(['6', '/shared/maps']);
    expect(store.getState().settings).toMatchObject({ workers: 6, dustMapDir: '/shared/maps' });
    // "Settings saved." was said of the settings this page saved, not of these
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('keeps what is typed when the settings on disk are the same, and says what cannot be read', async () => {
    const workers = screen.getByLabelText<HTMLInputElement>('Worker threads');
    const saved = await api.getSettings();
    fireEvent.change(workers, { target: { value: '4' } });
    await act(async () => store.getState().navigate('settings'));
    await settle();
    expect(workers.value).toBe('4');
    api.getSettings = () =>
      Promise.reject(
        new Error('/cfg/settings.json is not valid JSON (x); fix or delete the file.'),
      );
    await act(async () => store.getState().navigate('settings'));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe(
      '/cfg/settings.json is not valid JSON (x); fix or delete the file.',
    );
    // the file fixed: the page opened again shows it, without the message
    api.getSettings = async () => ({ ...saved, workers: 2 });
    await act(async () => store.getState().navigate('settings'));
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(workers.value).toBe('2');
  });
});
