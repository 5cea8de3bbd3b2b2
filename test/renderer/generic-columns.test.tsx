// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZERO_POINT_NJY } from '../../compute/photometry/magnitudes';
import { CatalogDetail } from '../../renderer/components/catalogs/catalog-detail';
import { genericChoicesOf, genericFormOf } from '../../renderer/state/generic-slice';
import type { TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import type { CatalogSummary } from '../../preload/api';
import { FakeApi, summary } from './fake-api';
import { startedStore } from '../helpers/started-store';

/** A photometric catalog no survey profile knows, as main describes it (generic, no flux types). */
function genericCatalog(): CatalogSummary {
  const base = summary('ph-2', 'photometric', 'my survey', '/cats/mine');
  return {
    ...base,
    columns: ['ID', 'RA', 'DEC', 'F_G', 'FERR_G', 'F_R', 'FERR_R'].map((name) => ({
      name,
      type: name === 'ID' ? 'Int64' : 'Float64',
    })),
    profile: {
      id: 'generic',
      label: 'generic HATS',
      bands: [],
      fluxTypes: [],
      dustMaps: [{ name: 'none', label: 'None' }],
      canConvertToMag: false,
    },
  };
}

let api: FakeApi;
let store: TsmStore;
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

beforeEach(async () => {
  ({ api, store } = await startedStore([summary('sz-1', 'specz', 'VVDS'), genericCatalog()]));
});
afterEach(cleanup);

describe('generic form <-> engine choices', () => {
  it('guesses id/ra/dec from the column names and starts with one empty band', () => {
    expect(genericFormOf(genericCatalog())).toEqual({
      idColumn: 'ID',
      raColumn: 'RA',
      decColumn: 'DEC',
      fluxUnit: 'nJy',
      zeroPointMag: String(ZERO_POINT_NJY),
      bands: [{ band: '', flux: '', fluxErr: '', rb: '' }],
    });
  });

  it('builds the choices, R_b per band, and names what is missing', () => {
    const form = {
      ...genericFormOf(genericCatalog()),
      bands: [
        { band: ' g ', flux: 'F_G', fluxErr: 'FERR_G', rb: '3.237' },
        { band: 'r', flux: 'F_R', fluxErr: '', rb: '' },
        { band: '', flux: '', fluxErr: '', rb: '' },
      ],
    };
    expect(genericChoicesOf(form)).toEqual({
      idColumn: 'ID',
      raColumn: 'RA',
      decColumn: 'DEC',
      fluxUnit: 'nJy',
      zeroPointMag: 31.4,
      bands: [
        { band: 'g', flux: 'F_G', fluxErr: 'FERR_G' },
        { band: 'r', flux: 'F_R' },
      ],
      extinction: { g: 3.237 },
    });
    // Stored choices come back into the same form.
    const cat = { ...genericCatalog(), generic: genericChoicesOf(form) };
    expect(genericFormOf(cat).bands).toEqual([
      { band: 'g', flux: 'F_G', fluxErr: 'FERR_G', rb: '3.237' },
      { band: 'r', flux: 'F_R', fluxErr: '', rb: '' },
    ]);
    expect(() => genericChoicesOf({ ...form, bands: [form.bands[2]] })).toThrow(
      'Add at least one band with its flux column.',
    );
    expect(() =>
      genericChoicesOf({ ...form, bands: [{ band: 'g', flux: '', fluxErr: '', rb: '' }] }),
    ).toThrow('Band g: choose its flux column.');
    expect(() =>
      genericChoicesOf({ ...form, bands: [{ band: 'g', flux: 'F_G', fluxErr: '', rb: 'x' }] }),
    ).toThrow("Band g R_b: 'x' is not a number.");
    expect(() => genericChoicesOf({ ...form, zeroPointMag: '' })).toThrow(/Zero point/);
  });
});

describe('the wizard with a generic catalog', () => {
  it('leaves the profile to detection until columns are chosen, then uses the custom flux type', async () => {
    const s = store.getState();
    await s.choosePhotometric(genericCatalog());
    expect(store.getState().draft!.photometry).toMatchObject({
      location: '/cats/mine',
      profile: null,
      convertToMagnitudes: false,
    });
    expect(store.getState().draft!.photometry.dereddening.map).toBe('none');
    const form = {
      ...genericFormOf(genericCatalog()),
      bands: [{ band: 'g', flux: 'F_G', fluxErr: 'FERR_G', rb: '3.237' }],
    };
    const updated = await store.getState().saveGenericColumns('ph-2', form);
    expect(updated?.profile?.fluxTypes).toEqual([{ name: 'custom', label: 'custom' }]);
    expect(store.getState().catalogs.find((c) => c.id === 'ph-2')?.generic).toEqual(
      genericChoicesOf(form),
    );
    // The draft using this catalog now names the generic profile and its flux type.
    expect(store.getState().draft!.photometry).toMatchObject({
      profile: 'generic',
      fluxType: 'custom',
      convertToMagnitudes: true,
    });
    // ... and carries the column choices, so a run can build the generic profile.
    expect(store.getState().draft!.photometry.generic).toEqual(genericChoicesOf(form));
    // Another catalog without choices clears them.
    await store.getState().choosePhotometric(null);
    expect(store.getState().draft!.photometry.generic).toBeNull();
  });

  it("shows the engine's words for a column the catalog does not have", async () => {
    const form = {
      ...genericFormOf(genericCatalog()),
      bands: [{ band: 'g', flux: 'F_Z', fluxErr: '', rb: '' }],
    };
    expect(await store.getState().saveGenericColumns('ph-2', form)).toBeNull();
    expect(store.getState().genericError).toMatch(
      /column 'F_Z' \(generic profile field bands\[0\]\.flux\) is not in the catalog/,
    );
  });
});

describe('the band-columns form on the catalog page', () => {
  it('picks id/ra/dec, band flux and error columns and R_b, and saves them', async () => {
    render(
      <TsmStoreProvider store={store}>
        <CatalogDetail catalog={genericCatalog()} />
      </TsmStoreProvider>,
    );
    await act(async () => {});
    expect(screen.getByRole('heading', { name: 'Band columns (generic profile)' })).toBeTruthy();
    expect((screen.getByLabelText('RA column') as HTMLSelectElement).value).toBe('RA');
    fireEvent.change(screen.getByLabelText('Band 1 name'), { target: { value: 'g' } });
    fireEvent.change(screen.getByLabelText('Band 1 flux column'), { target: { value: 'F_G' } });
    fireEvent.change(screen.getByLabelText('Band 1 flux error column'), {
      target: { value: 'FERR_G' },
    });
    fireEvent.change(screen.getByLabelText('Band 1 R_b'), { target: { value: '3.237' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add band' }));
    fireEvent.change(screen.getByLabelText('Band 2 name'), { target: { value: 'r' } });
    fireEvent.change(screen.getByLabelText('Band 2 flux column'), { target: { value: 'F_R' } });
    fireEvent.change(screen.getByLabelText('Zero point (AB mag)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save band columns' }));
    await settle();
    expect(api.callsOf('setGenericColumns')[0].args).toEqual([
      'ph-2',
      {
        idColumn: 'ID',
        raColumn: 'RA',
        decColumn: 'DEC',
        fluxUnit: 'nJy',
        zeroPointMag: 30,
        bands: [
          { band: 'g', flux: 'F_G', fluxErr: 'FERR_G' },
          { band: 'r', flux: 'F_R' },
        ],
        extinction: { g: 3.237 },
      },
    ]);
    expect(screen.getByRole('status').textContent).toBe('Saved: g, r with flux type custom.');
  });

  it("sets the zero point to the flux unit's AB one while it is an AB one, not once typed", async () => {
    render(
      <TsmStoreProvider store={store}>
        <CatalogDetail catalog={genericCatalog()} />
      </TsmStoreProvider>,
    );
    await act(async () => {});
    const unit = screen.getByLabelText('Flux unit') as HTMLInputElement;
    const zp = screen.getByLabelText('Zero point (AB mag)') as HTMLInputElement;
    expect(zp.value).toBe(String(ZERO_POINT_NJY));
    // typed letter by letter: 'u', 'uJ' are no unit, the zero point changes at 'uJy'
    fireEvent.change(unit, { target: { value: 'u' } });
    fireEvent.change(unit, { target: { value: 'uJ' } });
    expect(zp.value).toBe(String(ZERO_POINT_NJY));
    fireEvent.change(unit, { target: { value: 'uJy' } });
    expect(zp.value).toBe('23.9');
    fireEvent.change(unit, { target: { value: 'mJy' } });
    expect(zp.value).toBe('16.4');
    fireEvent.change(zp, { target: { value: '25' } });
    fireEvent.change(unit, { target: { value: 'Jy' } });
    expect(zp.value).toBe('25');
  });

  it('offers only numeric columns for ra, dec, fluxes and errors, and every column for the id', async () => {
    const base = genericCatalog();
    const catalog = { ...base, columns: [...base.columns, { name: 'NAME', type: 'Utf8' }] };
    render(
      <TsmStoreProvider store={store}>
        <CatalogDetail catalog={catalog} />
      </TsmStoreProvider>,
    );
    await act(async () => {});
    const options = (label: string) =>
      [...(screen.getByLabelText(label) as HTMLSelectElement).options]
        .map((o) => o.value)
        .filter((v) => v !== '');
    const numeric = ['ID', 'RA', 'DEC', 'F_G', 'FERR_G', 'F_R', 'FERR_R'];
    for (const label of [
      'RA column',
      'Dec column',
      'Band 1 flux column',
      'Band 1 flux error column',
    ])
      expect(options(label), label).toEqual(numeric);
    expect(options('Object id column')).toEqual([...numeric, 'NAME']);
  });

  it('puts the focus on the band that takes the place of a removed one (its Remove went with it)', async () => {
    render(
      <TsmStoreProvider store={store}>
        <CatalogDetail catalog={genericCatalog()} />
      </TsmStoreProvider>,
    );
    await act(async () => {});
    fireEvent.change(screen.getByLabelText('Band 1 name'), { target: { value: 'g' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add band' }));
    fireEvent.change(screen.getByLabelText('Band 2 name'), { target: { value: 'r' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add band' }));
    fireEvent.change(screen.getByLabelText('Band 3 name'), { target: { value: 'i' } });
    const remove = (n: number) => {
      const button = screen.getByRole('button', { name: `Remove band ${n}` });
      button.focus();
      fireEvent.click(button);
    };
    remove(1);
    // g went: r is band 1 now
    expect(document.activeElement).toBe(screen.getByLabelText('Band 1 name'));
    expect((document.activeElement as HTMLInputElement).value).toBe('r');
    remove(2);
    // the last band went: the one before it
    expect(document.activeElement).toBe(screen.getByLabelText('Band 1 name'));
    expect((document.activeElement as HTMLInputElement).value).toBe('r');
    expect(screen.queryByLabelText('Band 2 name')).toBeNull();
  });

  it("names every column of the bands' table, the Remove buttons' one too (for screen readers)", async () => {
    render(
      <TsmStoreProvider store={store}>
        <CatalogDetail catalog={genericCatalog()} />
      </TsmStoreProvider>,
    );
    await act(async () => {});
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Band',
      'Flux column',
      'Flux error column',
      'R_b',
      'Remove',
    ]);
  });
});
