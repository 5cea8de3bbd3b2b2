// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WizardPage } from '../../renderer/components/wizard/wizard-page';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi, summary } from './fake-api';
import { startedStore, wizardCatalogs } from '../helpers/started-store';

let api: FakeApi;
let store: TsmStore;

async function renderWizard() {
  render(
    <TsmStoreProvider store={store}>
      <WizardPage />
    </TsmStoreProvider>,
  );
  await act(async () => {});
}

/** Lets pending validation promises settle inside act(). */
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

beforeEach(async () => {
  ({ api, store } = await startedStore(wizardCatalogs()));
});
afterEach(cleanup);

describe('the wizard', () => {
  it('shows the original labels and defaults', async () => {
    await renderWizard();
    expect(screen.getByLabelText(/1\. Training set name/)).toHaveProperty('value', '');
    expect(screen.getByLabelText(/2\. Description \(optional\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '3. Crossmatch' }));
    const radius = screen.getByLabelText(/threshold distance in arcseconds/) as HTMLInputElement;
    expect(radius.value).toBe('1');
    // a text box with a decimal keypad: a number input reports '1e309' as '' (read as empty)
    expect(radius.type).toBe('text');
    expect(radius.inputMode).toBe('decimal');
    expect((screen.getByLabelText(/number of neighbors/) as HTMLInputElement).value).toBe('1');
  });

  it('says the name is required when Next is pressed with an empty name', async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await settle();
    expect(
      screen.getByText(/^This field is required\. Fill in the training set name\./),
    ).toBeTruthy();
    expect(screen.getByLabelText(/1\. Training set name/).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(store.getState().step).toBe('basics');
    fireEvent.change(screen.getByLabelText(/1\. Training set name/), {
      target: { value: 'my set' },
    });
    await settle();
    expect(screen.queryByText(/This field is required/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await settle();
    expect(store.getState().step).toBe('catalogs');
  });

  it("moves the focus to a new step's first field (keyboard users start there)", async () => {
    await renderWizard();
    expect(document.activeElement).not.toBe(screen.getByLabelText(/1\. Training set name/));
    fireEvent.click(screen.getByRole('button', { name: '3. Crossmatch' }));
    expect(document.activeElement).toBe(screen.getByLabelText(/threshold distance in arcseconds/));
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await settle();
    expect(store.getState().step).toBe('catalogs');
    expect(document.activeElement).toBe(screen.getByLabelText('VVDS'));
    // the summary itself, not its project-file box past the list of problems
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    expect(document.activeElement).toBe(screen.getByRole('region', { name: '5. Summary' }));
  });

  it('shows the radius and neighbour range messages of the engine as the user types', async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '3. Crossmatch' }));
    const radius = screen.getByLabelText(/threshold distance in arcseconds/);
    fireEvent.change(radius, { target: { value: '91' } });
    await settle();
    expect(screen.getByText('must be at most 90 arcsec (got 91)')).toBeTruthy();
    fireEvent.change(radius, { target: { value: '0' } });
    await settle();
    expect(screen.getByText('must be > 0 (got 0)')).toBeTruthy();
    fireEvent.change(radius, { target: { value: '1e309' } });
    await settle();
    expect(screen.getByText('must be a number of arcseconds (got "1e309")')).toBeTruthy();
    // decimal notation only, as tsm run takes it: '0x1' was read as 1 arcsec
    fireEvent.change(radius, { target: { value: '0x1' } });
    await settle();
    expect(screen.getByText('must be a number of arcseconds (got "0x1")')).toBeTruthy();
    fireEvent.change(radius, { target: { value: '2.5' } });
    await settle();
    expect(screen.queryByText(/must be/)).toBeNull();
    expect(store.getState().draft?.crossmatch.radiusArcsec).toBe(2.5);
    const neighbours = screen.getByLabelText(/number of neighbors/);
    fireEvent.change(neighbours, { target: { value: '1.5' } });
    await settle();
    expect(screen.getByText('must be a whole number (got 1.5)')).toBeTruthy();
  });

  it('offers flux types and dust maps only once a catalog is chosen, from its profile', async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    expect(screen.queryByLabelText('Flux type:')).toBeNull();
    expect(screen.queryByLabelText(/Apply dereddening/)).toBeNull();
    fireEvent.change(screen.getByLabelText(/4\. Select the Objects catalog/), {
      target: { value: 'ph-1' },
    });
    await settle();
    const flux = screen.getByLabelText('Flux type:') as HTMLSelectElement;
    expect([...flux.options].map((o) => o.value)).toEqual(['cmodel', 'psf']);
    const dust = screen.getByLabelText(/Apply dereddening/) as HTMLSelectElement;
    expect([...dust.options].map((o) => o.value)).toEqual(['none', 'sfd', 'sfd-lowres']);
    // the default, SFD, kept (it became None when its files were not there)
    expect(dust.value).toBe('sfd');
    expect(
      (screen.getByLabelText(/Convert fluxes into magnitudes/) as HTMLInputElement).checked,
    ).toBe(true);
  });

  it("shows an opened project's own dust-map file and flux type 'auto' on step 2, not the list's first entry", async () => {
    // a project of `tsm run --dereddening my.fits` on an added catalog: the list showed None
    // while the Summary, and the run, used the file
    const draft = store.getState().draft!;
    await act(async () => {
      await store.getState().setField('photometry', {
        ...draft.photometry,
        location: '/cats/dp1',
        fluxType: 'auto',
        dereddening: { map: '/maps/my_ebv.fits', scale: 1 },
      });
    });
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    const dust = screen.getByLabelText(/Apply dereddening/) as HTMLSelectElement;
    expect(dust.value).toBe('/maps/my_ebv.fits');
    expect(dust.selectedOptions[0].textContent).toBe("/maps/my_ebv.fits (the project's map)");
    expect([...dust.options].map((o) => o.value)).toEqual([
      '/maps/my_ebv.fits',
      'none',
      'sfd',
      'sfd-lowres',
    ]);
    const flux = screen.getByLabelText('Flux type:') as HTMLSelectElement;
    expect(flux.value).toBe('auto');
    expect(flux.selectedOptions[0].textContent).toBe("auto (the catalog's default)");
    // another map chosen: the list is the profile's again
    fireEvent.change(dust, { target: { value: 'sfd-lowres' } });
    await settle();
    expect(store.getState().draft!.photometry.dereddening.map).toBe('sfd-lowres');
    expect([...dust.options].map((o) => o.value)).toEqual(['none', 'sfd', 'sfd-lowres']);
  });

  // the summary said "cmodel" and "sfd-lowres" (the project's ids) where step 2 offered "cModel"
  // and "SFD98 low resolution, ..."
  it("names the flux type and dust map on the summary as step 2's lists do", async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.change(screen.getByLabelText(/4\. Select the Objects catalog/), {
      target: { value: 'ph-1' },
    });
    await settle();
    fireEvent.change(screen.getByLabelText('Flux type:'), { target: { value: 'cmodel' } });
    fireEvent.change(screen.getByLabelText(/Apply dereddening/), {
      target: { value: 'sfd-lowres' },
    });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    const value = (term: string) =>
      screen.getByText(term, { selector: 'dt' }).nextElementSibling!.textContent;
    // the fake profile's labels (test/renderer/fake-api.ts summary)
    expect(value('Flux type')).toBe('cModel');
    expect(value('Dereddening')).toBe('SFD low-res');
    // an opened project's own map file and 'auto', which no list names, as step 2 shows them
    const draft = store.getState().draft!;
    await act(async () => {
      await store.getState().setField('photometry', {
        ...draft.photometry,
        fluxType: 'auto',
        dereddening: { map: '/maps/my_ebv.fits', scale: 1 },
      });
    });
    expect(value('Flux type')).toBe("auto (the catalog's default)");
    expect(value('Dereddening')).toBe('/maps/my_ebv.fits');
  });

  it("says on the dust-map field at once that SFD's files are missing, with what to do", async () => {
    const said =
      'the SFD map needs SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits in the dust-map folder /data/dustmaps (or its sfd/ sub-folder): download them from ...';
    const check = api.validateProject;
    api.validateProject = async (project) => [
      ...(await check(project)),
      ...(project.photometry.dereddening.map === 'sfd'
        ? [{ path: 'photometry.dereddening.map', message: said }]
        : []),
    ];
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.change(screen.getByLabelText(/4\. Select the Objects catalog/), {
      target: { value: 'ph-1' },
    });
    await settle();
    // shown without Next pressed: the catalog chosen is what made it a problem
    const dust = screen.getByLabelText(/Apply dereddening/) as HTMLSelectElement;
    expect(dust.value).toBe('sfd');
    expect(dust.getAttribute('aria-invalid')).toBe('true');
    screen.getByText(said);
    fireEvent.change(dust, { target: { value: 'sfd-lowres' } });
    await settle();
    expect(screen.queryByText(said)).toBeNull();
  });

  it('ticks every photometric column at once, and clears the choice (= all columns)', async () => {
    api.catalogs[1] = {
      ...api.catalogs[1],
      columns: ['objectId', 'coord_ra', 'coord_dec', 'g_cModelFlux'].map((name) => ({
        name,
        type: 'Float64',
      })),
    };
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.change(screen.getByLabelText(/4\. Select the Objects catalog/), {
      target: { value: 'ph-1' },
    });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /4\. Split/ }));
    expect(screen.getByText('none ticked: all 4 columns kept')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Tick all' }));
    await settle();
    expect(store.getState().draft?.photometry.columns).toEqual([
      'objectId',
      'coord_ra',
      'coord_dec',
      'g_cModelFlux',
    ]);
    expect(screen.getByText('4 of 4 ticked')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear (all columns)' }));
    await settle();
    expect(store.getState().draft?.photometry.columns).toEqual([]);
  });

  it('requires a redshift catalog and accepts a registered one', async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await settle();
    expect(
      screen.getByText(
        'Select the Redshift Catalog for the cross-matching: tick a registered catalog, or register one on the Catalogs page',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'Select the Objects catalog (photometric data): choose one in the list, or add one on the Catalogs page',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByLabelText('VVDS'));
    await settle();
    expect(store.getState().draft?.specz.catalogId).toBe('sz-1');
    expect(screen.queryByText(/tick a registered catalog/)).toBeNull();
  });

  it("does not carry an opened spec-z file's 'no id column' over to a registered catalog that maps an id", async () => {
    const gama = summary('sz-2', 'specz', 'GAMA');
    api.catalogs = [{ ...gama, mapping: { ...gama.mapping!, id: 'id' } }];
    store = createTsmStore(api);
    await store.getState().init();
    // a project of `tsm run --specz file --id NONE`, opened in the app
    const draft = store.getState().draft!;
    await store.getState().setField('specz', {
      ...draft.specz,
      path: '/data/specz.csv',
      noIdColumn: true,
    });
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.click(screen.getByLabelText('GAMA'));
    await settle();
    const specz = store.getState().draft!.specz;
    expect(specz).toMatchObject({ catalogId: 'sz-2', path: null, columns: { id: 'id' } });
    expect(specz).not.toHaveProperty('noIdColumn');
    const issues = await api.validateProject(store.getState().draft!);
    expect(issues.filter((i) => i.path.startsWith('specz'))).toEqual([]);
  });

  it("shows an opened project's spec-z file and photometric folder that are not catalogs on step 2 (only the Summary listed them), and switches to registered ones", async () => {
    // a tsm.json of `tsm run --specz file --photometry folder`, opened in the app
    const draft = store.getState().draft!;
    await act(async () => {
      await store.getState().setField('specz', {
        ...draft.specz,
        catalogId: null,
        path: '/data/specz.csv',
        columns: { ...draft.specz.columns, ra: 'RA_deg', dec: 'DEC_deg', z: 'zspec' },
      });
      await store.getState().setField('photometry', {
        ...draft.photometry,
        location: '/hats/dp1_object',
        fluxType: 'cmodel',
        dereddening: { map: 'sfd-lowres', scale: 0.86 },
      });
    });
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    const file = screen.getByLabelText(
      'Spec-z file of the opened project (not a registered catalog)',
    ) as HTMLInputElement;
    expect(file.value).toBe('/data/specz.csv');
    expect(file.readOnly).toBe(true);
    expect(screen.getByText(/^The run reads this file/).textContent).toBe(
      'The run reads this file (its RA, Dec and z columns: RA_deg, DEC_deg, zspec). Choose a registered catalog below to use it instead.',
    );
    // the photometric list names the project's folder as what is chosen, with its photometry
    const objects = screen.getByLabelText(/4\. Select the Objects catalog/) as HTMLSelectElement;
    expect(objects.value).toBe('');
    expect(objects.selectedOptions[0].textContent).toBe("The opened project's catalog (not added)");
    expect(screen.getByText(/^The opened project's catalog is/).textContent).toBe(
      "The opened project's catalog is /hats/dp1_object. The run reads it with the flux type cmodel, the dust map sfd-lowres x 0.86, fluxes converted to magnitudes, as the project says. Choose an added catalog here to use it instead; add this one on the Catalogs page to change its flux type or dust map.",
    );
    // switching to registered catalogs: the file and folder notes go
    fireEvent.click(screen.getByLabelText('VVDS'));
    await settle();
    fireEvent.change(objects, { target: { value: 'ph-1' } });
    await settle();
    expect(store.getState().draft!.specz).toMatchObject({ catalogId: 'sz-1', path: null });
    expect(store.getState().draft!.photometry.location).toBe('/cats/dp1');
    expect(screen.queryByLabelText(/Spec-z file of the opened project/)).toBeNull();
    expect(screen.queryByText(/opened project's catalog/)).toBeNull();
  });

  it("says on step 4 why an opened project's catalog that is not added lists no columns", async () => {
    const draft = store.getState().draft!;
    await act(async () => {
      await store.getState().setField('photometry', {
        ...draft.photometry,
        location: '/hats/dp1_object',
        fluxType: 'cmodel',
      });
    });
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '4. Split & output' }));
    // it said "Choose a photometric catalog first." while step 2 showed the project's folder
    expect(screen.queryByText('Choose a photometric catalog first.')).toBeNull();
    expect(screen.getByText(/^All columns are kept/).textContent).toBe(
      "All columns are kept. The opened project's catalog is not added, so its columns are not listed: add it on the Catalogs page and choose it in step 2 to choose them.",
    );
    await act(async () => {
      await store.getState().setField('photometry.columns', ['objectId', 'g_cModelFlux']);
    });
    expect(screen.getByText(/^Kept as the project says/).textContent).toMatch(
      /^Kept as the project says: objectId, g_cModelFlux\. The opened project's catalog/,
    );
  });

  it('shows them too when no catalog is registered at all, with the way to the Catalogs page', async () => {
    api.catalogs = [];
    store = createTsmStore(api);
    await store.getState().init();
    const draft = store.getState().draft!;
    await act(async () => {
      await store.getState().setField('specz', { ...draft.specz, path: '/data/specz.csv' });
      await store.getState().setField('photometry', { ...draft.photometry, location: '/hats/x' });
    });
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    expect(
      (screen.getByLabelText(/Spec-z file of the opened project/) as HTMLInputElement).value,
    ).toBe('/data/specz.csv');
    expect(screen.getByText(/^The run reads this file/).textContent).toContain(
      'To use a registered catalog instead, register one on the Catalogs page.',
    );
    const folder = screen.getByLabelText(
      'Photometric catalog of the opened project (not added as a catalog)',
    ) as HTMLInputElement;
    expect(folder.value).toBe('/hats/x');
    expect(folder.readOnly).toBe(true);
    expect(screen.getByText(/^The run reads it with/).textContent).toContain(
      'Add it (or another) on the Catalogs page to choose its flux type and dust map here.',
    );
    expect(screen.getAllByRole('button', { name: 'Go to Catalogs' })).toHaveLength(2);
  });

  it('marks a redshift catalog whose stored copy is gone in the list of step 2', async () => {
    api.catalogs = [
      { ...summary('sz-1', 'specz', 'VVDS'), missing: true },
      summary('sz-2', 'specz', 'SDSS'),
    ];
    await store.getState().loadCatalogs();
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    const rows = screen.getAllByRole('row').map((r) => r.textContent);
    expect(rows.filter((r) => r?.startsWith('VVDS') || r?.startsWith('SDSS'))).toEqual([
      'VVDSstored copy missing402026-11-25',
      'SDSS402026-11-25',
    ]);
  });

  it('lists every issue on the summary and disables Run until they are fixed', async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toMatch(
      /Training set name \(1\. Name\): This field is required/,
    );
    // each issue names its field as the wizard labels it, and leads to its step
    await act(async () => store.getState().setField('crossmatch.radiusArcsec', 0));
    await settle();
    const radius = screen.getByRole('button', {
      name: 'Threshold distance (arcsec) (3. Crossmatch)',
    });
    expect(radius.parentElement!.textContent).toBe(
      'Threshold distance (arcsec) (3. Crossmatch): must be > 0 (got 0)',
    );
    // every step with an issue is marked on the summary, attempted or not
    for (const name of ['1. Name', '2. Catalogs', '3. Crossmatch'])
      expect(screen.getByRole('button', { name }).className, name).toBe('has-issues');
    expect(screen.getByRole('button', { name: '4. Split & output' }).className).toBe('');
    fireEvent.click(radius);
    expect(store.getState().step).toBe('crossmatch');
  });

  it('names the output format on the summary as the output step does (Parquet, not PARQUET)', async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    expect(screen.getByText(/^Parquet in the run's own folder/)).toBeTruthy();
    await act(async () => store.getState().setField('output.format', 'hdf5'));
    await settle();
    expect(screen.getByText(/^HDF5 in the run's own folder/)).toBeTruthy();
  });

  it('names the project file after the training set, made safe as its output file, until a path is typed', async () => {
    await store.getState().setField('name', '../../evil/name');
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    const path = screen.getByLabelText(/Save the parameters as a project file/) as HTMLInputElement;
    // '/' and leading dots never reach the path: the file stays in the projects folder
    expect(path.value).toBe('/data/projects/_.._evil_name.tsm.json');
    await act(async () => store.getState().setField('name', 'Renamed set'));
    expect(path.value).toBe('/data/projects/Renamed_set.tsm.json');
    fireEvent.change(path, { target: { value: '/mine/p.tsm.json' } });
    await act(async () => store.getState().setField('name', 'Again'));
    expect(path.value).toBe('/mine/p.tsm.json');
    // a project opened while the summary is shown: Save writes to its file, not the typed path
    await act(async () => store.getState().openProjectFile('/projects/other.tsm.json'));
    expect(path.value).toBe('/projects/other.tsm.json');
  });

  it("opens a problem's field from its link on the summary, not its step's first field", async () => {
    await renderWizard();
    await act(async () => store.getState().setField('crossmatch.nNeighbors', 0));
    await act(async () => store.getState().setField('split.trainFraction', 2));
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    const link = (name: string) => {
      const button = screen.getByRole('button', { name });
      button.focus();
      fireEvent.click(button);
    };
    link('Number of neighbors (3. Crossmatch)');
    await settle();
    // the second field of its step (the radius comes first)
    expect(document.activeElement).toBe(screen.getByLabelText(/number of neighbors/));
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    link('Training fraction (4. Split & output)');
    await settle();
    expect(document.activeElement).toBe(screen.getByLabelText('Training fraction:'));
    // a problem of a whole section (no field of its own): the step's first field
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    await settle();
    link('Redshift catalog (2. Catalogs)');
    await settle();
    expect(document.activeElement).toBe(screen.getByLabelText('VVDS'));
  });

  it('moves the focus from a refused Next to the first field with a problem', async () => {
    await renderWizard();
    const next = () => {
      const button = screen.getByRole('button', { name: 'Next' });
      button.focus();
      fireEvent.click(button);
    };
    next();
    await settle();
    expect(store.getState().step).toBe('basics');
    expect(document.activeElement).toBe(screen.getByLabelText(/1\. Training set name/));
    expect(document.activeElement!.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(document.activeElement!, { target: { value: 'my set' } });
    await settle();
    next();
    await settle();
    // no redshift catalog ticked: the list's first choice
    expect(store.getState().step).toBe('catalogs');
    next();
    await settle();
    expect(document.activeElement).toBe(screen.getByLabelText('VVDS'));
    // a later field of its step (the split method comes first)
    fireEvent.click(screen.getByRole('button', { name: '4. Split & output' }));
    await act(async () => store.getState().setField('split.trainFraction', 2));
    next();
    await settle();
    expect(store.getState().step).toBe('output');
    expect(document.activeElement).toBe(screen.getByLabelText('Training fraction:'));
  });

  it('opens a project with the focus in its path, keeps the path of one it cannot open, and gives the focus back on Cancel', async () => {
    await renderWizard();
    const openButton = screen.getByRole('button', { name: 'Open project…' });
    openButton.focus();
    fireEvent.click(openButton);
    const path = screen.getByLabelText(/^Project file/) as HTMLInputElement;
    expect(document.activeElement).toBe(path);
    api.openProject = async (p: string) => {
      throw new Error(`${p}: cannot read the project file (ENOENT: no such file or directory)`);
    };
    fireEvent.change(path, { target: { value: '/home/me/typo.tsm.json' } });
    const open = screen.getByRole('button', { name: 'Open' });
    open.focus();
    fireEvent.click(open);
    await settle();
    expect(screen.getByRole('alert').textContent).toBe(
      '/home/me/typo.tsm.json: cannot read the project file (ENOENT: no such file or directory)',
    );
    // still open, with the path to correct
    expect((screen.getByLabelText(/^Project file/) as HTMLInputElement).value).toBe(
      '/home/me/typo.tsm.json',
    );
    expect(document.activeElement).toBe(open);
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    cancel.focus();
    fireEvent.click(cancel);
    expect(screen.queryByLabelText(/^Project file/)).toBeNull();
    expect(document.activeElement).toBe(openButton);
  });

  it('closes the Open project panel on Escape, as Cancel, with the focus back on its button', async () => {
    await renderWizard();
    const openButton = screen.getByRole('button', { name: 'Open project…' });
    openButton.focus();
    fireEvent.click(openButton);
    const path = screen.getByLabelText(/^Project file/);
    fireEvent.change(path, { target: { value: '/home/me/half-typed' } });
    fireEvent.keyDown(path, { key: 'Escape' });
    expect(screen.queryByLabelText(/^Project file/)).toBeNull();
    expect(document.activeElement).toBe(openButton);
    expect(api.callsOf('openProject')).toEqual([]);
  });

  it("puts the focus in the form's first field after Undo of Clear form (its button goes)", async () => {
    await act(async () => store.getState().setField('name', 'kept set'));
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: 'Clear form' }));
    await settle();
    const undo = screen.getByRole('button', { name: 'Undo' });
    undo.focus();
    fireEvent.click(undo);
    await settle();
    expect(screen.getByRole('status').textContent).toBe(
      'The form is back as it was before Clear form.',
    );
    const name = screen.getByLabelText(/1\. Training set name/) as HTMLInputElement;
    expect(name.value).toBe('kept set');
    expect(document.activeElement).toBe(name);
  });

  it("names every column of the redshift catalogs' list, the radio buttons' one too", async () => {
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    await settle();
    const list = screen.getByRole('group', { name: /3\. Select the Redshift Catalog/ });
    expect(
      within(list)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Chosen', 'Name', 'Rows', 'Created at']);
  });

  it('offers no stored folder the app cannot read among the redshift catalogs', async () => {
    api.catalogs.push({
      ...summary('broken', 'specz', 'broken'),
      problem:
        '/data/catalogs/broken looks like a catalog stored by tsm register, but it cannot be read',
    });
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    await settle();
    const list = screen.getByRole('group', { name: /3\. Select the Redshift Catalog/ });
    expect(
      within(list)
        .getAllByRole('radio')
        .map((r) => r.id),
    ).toEqual(['specz-sz-1']);
  });

  // a box each was a Tab stop between the output folder and Next: 55 Tabs for DP1's 48 columns
  it('keeps the column boxes in a list closed while none is ticked (its summary one Tab stop)', async () => {
    api.catalogs[1] = {
      ...api.catalogs[1],
      columns: ['objectId', 'coord_ra', 'g_cModelFlux'].map((name) => ({ name, type: 'Float64' })),
    };
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.change(screen.getByLabelText(/4\. Select the Objects catalog/), {
      target: { value: 'ph-1' },
    });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /4\. Split/ }));
    const list = screen.getByRole('group', { name: 'Photometric columns to keep:' }).parentElement!;
    expect(list.tagName).toBe('DETAILS');
    expect((list as HTMLDetailsElement).open).toBe(false);
    const summary = list.querySelector('summary')!;
    expect(summary.textContent).toBe('Choose the columns one by one (3)');
    fireEvent.click(summary);
    await settle();
    expect((list as HTMLDetailsElement).open).toBe(true);
    fireEvent.click(screen.getByLabelText('g_cModelFlux'));
    await settle();
    expect(store.getState().draft?.photometry.columns).toEqual(['g_cModelFlux']);
    // a choice made: the list shows it when the step is seen again
    fireEvent.click(screen.getByRole('button', { name: '5. Summary' }));
    fireEvent.click(screen.getByRole('button', { name: /4\. Split/ }));
    const again = screen.getByRole('group', { name: 'Photometric columns to keep:' });
    expect((again.parentElement as HTMLDetailsElement).open).toBe(true);
  });

  it('names the group of photometric column boxes by its label', async () => {
    api.catalogs[1] = {
      ...api.catalogs[1],
      columns: ['objectId', 'g_cModelFlux'].map((name) => ({ name, type: 'Float64' })),
    };
    await renderWizard();
    fireEvent.click(screen.getByRole('button', { name: '2. Catalogs' }));
    fireEvent.change(screen.getByLabelText(/4\. Select the Objects catalog/), {
      target: { value: 'ph-1' },
    });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /4\. Split/ }));
    const group = screen.getByRole('group', { name: 'Photometric columns to keep:' });
    expect(
      within(group)
        .getAllByRole('checkbox')
        .map((c) => c.id),
    ).toEqual(['col-objectId', 'col-g_cModelFlux']);
  });
});
