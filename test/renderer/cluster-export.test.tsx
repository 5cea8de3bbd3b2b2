// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportProject } from '../../compute/export';
import { WizardPage } from '../../renderer/components/wizard/wizard-page';
import type { TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi } from './fake-api';
import { startedStore, wizardCatalogs } from '../helpers/started-store';
import type { ExportWritten } from '../../preload/api';

let api: FakeApi;
let store: TsmStore;

const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

beforeEach(async () => {
  ({ api, store } = await startedStore(wizardCatalogs()));
  const s = store.getState();
  await s.setField('name', 'my set');
  await s.setField('specz.catalogId', 'sz-1');
  await s.setField('specz.path', null);
  await s.choosePhotometric(api.catalogs[1]);
  s.goToStep('summary');
});
afterEach(cleanup);

async function renderWizard() {
  render(
    <TsmStoreProvider store={store}>
      <WizardPage />
    </TsmStoreProvider>,
  );
  await act(async () => {});
}

describe('Run on a cluster… in the summary', () => {
  it('offers both exports with an explanation and a folder under the data folder', async () => {
    await renderWizard();
    const section = screen.getByRole('region', { name: 'Run on a cluster…' });
    expect(within(section).getByText('LSDB + Dask Python job')).toBeTruthy();
    expect(within(section).getByText('Original pipeline config.yml (pzserver)')).toBeTruthy();
    expect(within(section).getByText(/dask\.distributed scheduler/)).toBeTruthy();
    expect((screen.getByLabelText('Export folder') as HTMLInputElement).value).toBe(
      '/data/exports/my_set',
    );
  });

  it('names the folder after the training set the summary shows, until one is typed', async () => {
    await renderWizard();
    // a project opened (or the form cleared) while the summary is shown: the same step, another name
    await act(() => store.getState().setField('name', 'demo lsst-dp02'));
    expect((screen.getByLabelText('Export folder') as HTMLInputElement).value).toBe(
      '/data/exports/demo_lsst-dp02',
    );
    fireEvent.change(screen.getByLabelText('Export folder'), { target: { value: '/jobs/mine' } });
    await act(() => store.getState().setField('name', 'third'));
    expect((screen.getByLabelText('Export folder') as HTMLInputElement).value).toBe('/jobs/mine');
  });

  it('writes each export into the chosen folder and lists the files written', async () => {
    await renderWizard();
    fireEvent.change(screen.getByLabelText('Export folder'), { target: { value: '/jobs/dp1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Write the LSDB job' }));
    await settle();
    const call = api.callsOf('exportProject')[0];
    expect(call.args.slice(1)).toEqual(['lsdb', '/jobs/dp1']);
    expect((call.args[0] as { name: string }).name).toBe('my set');
    const draft = store.getState().draft!;
    const engine = exportProject(draft, 'lsdb', { dataDir: '/data' });
    const [files, notes] = within(screen.getByRole('status')).getAllByRole('list');
    const items = within(files).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      ...engine.files.map((f) => `/jobs/dp1/${f.name}`),
      ...engine.resources.map((r) => `/jobs/dp1/${r.name}`),
    ]);
    expect(items.map((li) => li.textContent)).toContain('/jobs/dp1/tsm_job.py');
    // What the job cannot reproduce is said too (no seed set; a registered spec-z catalog).
    expect(
      within(notes)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(engine.unsupported);
    expect(engine.unsupported.join(' ')).toMatch(/split\.seed/);

    fireEvent.click(screen.getByRole('button', { name: 'Write config.yml' }));
    await settle();
    expect(screen.getAllByRole('status')).toHaveLength(2);
    expect(screen.getByText('/jobs/dp1/config.yml')).toBeTruthy();
  });

  it('drops what an export wrote when another project is opened or the form is cleared', async () => {
    await renderWizard();
    const written = () =>
      within(screen.getByRole('region', { name: 'Run on a cluster…' })).queryAllByRole('status');
    fireEvent.click(screen.getByRole('button', { name: 'Write config.yml' }));
    await settle();
    expect(written()[0].textContent).toMatch(/^Written to \/data\/exports\/my_set/);
    // it still said "Written to .../my_set" over the opened project's summary
    await act(() => store.getState().openProjectFile('/projects/other.tsm.json'));
    expect(written()).toEqual([]);
    // Clear form too
    const earlier: ExportWritten = {
      target: 'pzserver',
      folder: '/x',
      paths: ['/x/config.yml'],
      unsupported: [],
    };
    act(() => store.setState({ exports: { pzserver: earlier } }));
    await act(() => store.getState().newDraft());
    expect(store.getState().exports).toEqual({});
  });

  it("shows the main side's refusal (e.g. a relative folder) as an error", async () => {
    api.exportProject = async () => {
      throw new Error("Export folder 'jobs' is not an absolute path; choose a folder.");
    };
    await renderWizard();
    fireEvent.change(screen.getByLabelText('Export folder'), { target: { value: 'jobs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Write config.yml' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toMatch(/is not an absolute path/);
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('export slice', () => {
  it('refuses an empty folder without calling main, and keeps results per target', async () => {
    expect(await store.getState().exportDraft('lsdb', '  ')).toBeNull();
    expect(store.getState().exportError).toBe('Give the folder the exported files go to.');
    expect(api.callsOf('exportProject')).toHaveLength(0);
    const written = await store.getState().exportDraft('pzserver', '/x');
    expect(written?.paths).toEqual(['/x/config.yml']);
    expect(store.getState().exports.pzserver).toEqual(written);
    expect(store.getState().exportError).toBeNull();
  });

  it('a failed export leaves only its error, not the files of an earlier one', async () => {
    await store.getState().exportDraft('pzserver', '/x');
    api.exportProject = async () => {
      throw new Error('export folder /proc/exp cannot be created there');
    };
    expect(await store.getState().exportDraft('lsdb', '/proc/exp')).toBeNull();
    expect(store.getState().exportError).toMatch(/cannot be created/);
    expect(store.getState().exports).toEqual({});
  });

  it('the folder dialog answer comes from pickPath(exportFolder)', async () => {
    api.exportFolderChoice = '/picked';
    expect(await store.getState().pickExportFolder()).toBe('/picked');
    expect(api.callsOf('pickPath').map((c) => c.args[0])).toEqual(['exportFolder']);
  });
});
