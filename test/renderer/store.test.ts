import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { CLEARED_NOTICE } from '../../renderer/state/wizard-slice';
import { FakeApi, progressAt, summary } from './fake-api';
import type { RunRecord } from '../../preload/api';
import { projectIssues } from '../../compute/pipeline/project';
import { unregisteredCatalogIssues } from '../../main/project-files';

let api: FakeApi;
let store: TsmStore;
beforeEach(async () => {
  api = new FakeApi();
  store = createTsmStore(api);
  await store.getState().init();
});

describe('app slice', () => {
  it('reads the settings again as the wizard opens: another dust-map folder saved elsewhere checks the draft again', async () => {
    const checked: unknown[] = [];
    const validate = api.validateProject;
    api.validateProject = async (project) => {
      checked.push(project);
      return validate(project);
    };
    // the same settings on disk: nothing checked again
    store.getState().navigate('wizard');
    await new Promise((r) => setTimeout(r, 0));
    expect(checked).toHaveLength(0);
    const saved = await api.getSettings();
    // saved by a web bridge on the same data folder since the app loaded them
    api.getSettings = async () => ({ ...saved, dustMapDir: '/shared/maps' });
    store.getState().navigate('wizard');
    await vi.waitFor(() => expect(checked).toEqual([store.getState().draft]));
    expect(store.getState().settings?.dustMapDir).toBe('/shared/maps');
  });

  it('loads app info, settings, catalogs, runs and a fresh draft on init', async () => {
    const s = store.getState();
    expect(s.info?.transport).toBe('web');
    expect(s.settings?.dataDir).toBe('/data');
    expect(s.draft?.crossmatch.radiusArcsec).toBe(1);
    expect(s.draft?.crossmatch.nNeighbors).toBe(1);
    expect(s.draft?.photometry.convertToMagnitudes).toBe(true);
    expect(s.draft?.split.trainFraction).toBe(0.7);
  });

  it('lists the catalogs again on the Catalogs page and the wizard (one tsm register stored meanwhile showed only after a reload)', async () => {
    expect(store.getState().catalogs).toEqual([]);
    store.getState().navigate('history');
    // stored in the same data folder by `tsm register` while the app was open
    api.catalogs = [summary('from_cli', 'specz', 'from_cli')];
    store.getState().navigate('settings');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().catalogs).toEqual([]);
    for (const page of ['catalogs', 'wizard'] as const) {
      store.setState({ catalogs: [] });
      store.getState().navigate(page);
      await vi.waitFor(() =>
        expect(store.getState().catalogs.map((c) => c.id)).toEqual(['from_cli']),
      );
    }
  });

  it('lists the runs again on the Runs page (one tsm run --data-dir recorded meanwhile showed only after Refresh or a reload)', async () => {
    expect(store.getState().runs).toEqual([]);
    // recorded in the same data folder by `tsm run --data-dir` while the app was open
    const fromCli: RunRecord = {
      id: 'cli_batch-20261127T184706-mb563',
      name: 'cli batch',
      status: 'done',
      startedAt: '2026-11-27T18:47:06.837Z',
      project: store.getState().draft!,
      outputDir: '/home/me/out',
      outputPath: '/home/me/out/cli_batch.parquet',
    };
    api.runs = [fromCli];
    store.getState().navigate('settings');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().runs).toEqual([]);
    store.getState().navigate('history');
    await vi.waitFor(() => expect(store.getState().runs).toEqual([fromCli]));
  });

  it('shows the error of a failed first load instead of a page', async () => {
    const broken = new FakeApi();
    broken.getAppInfo = async () => {
      throw new Error('The app refused the request: open the address printed by `npm run web`');
    };
    const s2 = createTsmStore(broken);
    await s2.getState().init();
    expect(s2.getState().initError).toMatch(/refused the request/);
  });

  it("does not keep another catalog's flux type for a catalog without flux types", async () => {
    const dp1 = summary('ph-1', 'photometric', 'dp1', '/cats/dp1');
    await store.getState().choosePhotometric(dp1);
    expect(store.getState().draft!.photometry.fluxType).toBe('cmodel');
    const generic = {
      ...summary('ph-2', 'photometric', 'plain', '/cats/plain'),
      profile: { ...dp1.profile!, id: 'generic', label: 'Generic', fluxTypes: [] },
    };
    await store.getState().choosePhotometric(generic);
    expect(store.getState().draft!.photometry.fluxType).toBe('auto');
  });

  it('does not send settings whose numbers are wrong, and says why', async () => {
    const settings = store.getState().settings!;
    await store.getState().saveSettings({ ...settings, workers: 0 });
    expect(store.getState().settingsError).toMatch(/^Worker threads must be a whole number/);
    expect(api.callsOf('updateSettings')).toHaveLength(0);
    await store.getState().saveSettings({ ...settings, workers: 2 });
    expect(store.getState().settingsError).toBeNull();
    expect(api.callsOf('updateSettings')).toHaveLength(1);
  });

  it('checks the draft again when saved settings change the data folder', async () => {
    // as main does: a spec-z catalog the data folder does not hold is a problem of the draft
    api.validateProject = async (project) => [
      ...projectIssues(project),
      ...unregisteredCatalogIssues(project, api.catalogs),
    ];
    api.catalogs = [
      summary('sz-1', 'specz', 'vvds'),
      summary('ph-1', 'photometric', 'dp1', '/cats/dp1'),
    ];
    await store.getState().loadCatalogs();
    await store.getState().setField('name', 'set');
    await store.getState().setField('specz.catalogId', 'sz-1');
    await store.getState().choosePhotometric(api.catalogs[1]);
    expect(store.getState().issues).toEqual([]);
    // an empty data folder: no catalogs there
    api.catalogs = [];
    await store.getState().saveSettings({ ...store.getState().settings!, dataDir: '/empty' });
    expect(store.getState().settingsSaved).toBe(true);
    expect(store.getState().issues).toEqual([
      {
        path: 'specz.catalogId',
        message:
          "no registered spec-z catalog 'sz-1' (deleted, or registered in another data folder): choose one in step 2, or register its file on the Catalogs page",
      },
    ]);
  });

  it('File > New from the menu starts a new draft on the wizard page', async () => {
    await store.getState().setField('name', 'old');
    api.emit('menu', { command: 'new' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().page).toBe('wizard');
    expect(store.getState().draft?.name).toBe('');
  });
});

describe('catalogs slice', () => {
  it('walks the registration: preview with auto mapping, change a column, report, register', async () => {
    const s = store.getState();
    s.startRegistration();
    s.setRegistrationPath('/home/me/specz.parquet');
    await store.getState().loadPreview();
    let reg = store.getState().registration!;
    expect(reg.step).toBe('map');
    expect(reg.mapping).toMatchObject({ ra: 'RA', dec: 'DEC', z: 'Z' });
    expect(reg.name).toBe('specz');
    store.getState().setMapping('id', 'RA');
    store.getState().setMapping('id', '');
    expect(store.getState().registration!.mapping!.id).toBeNull();
    await store.getState().validateRegistration();
    reg = store.getState().registration!;
    expect(reg.step).toBe('report');
    expect(reg.report?.rowsValid).toBe(3);
    const catalog = await store.getState().confirmRegistration();
    expect(catalog?.name).toBe('specz');
    expect(api.callsOf('registerSpecz')[0].args[0]).toMatchObject({
      path: '/home/me/specz.parquet',
      name: 'specz',
      mapping: { ra: 'RA', dec: 'DEC', z: 'Z', id: null },
    });
    expect(store.getState().registration).toBeNull();
    expect(store.getState().catalogs.map((c) => c.name)).toEqual(['specz']);
    expect(store.getState().selectedCatalogId).toBe('sz-1');
  });

  it('sends the RA/Dec units the user chose with the check and the registration, none by default', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/home/me/specz.parquet');
    await store.getState().loadPreview();
    await store.getState().validateRegistration();
    expect(api.callsOf('validateSpecz')[0].args[0]).not.toHaveProperty('angleUnits');
    expect(store.getState().registration!.step).toBe('report');
    store.getState().setAngleUnits('deg');
    expect(store.getState().registration!.report).toBeNull(); // the report was for other units
    // ... and the form goes back to the step with "Check the file" (it was left with no button)
    expect(store.getState().registration!.step).toBe('map');
    await store.getState().validateRegistration();
    store.getState().setMapping('zErr', null);
    expect(store.getState().registration!).toMatchObject({ report: null, step: 'map' });
    store.getState().setAngleUnits('deg');
    await store.getState().validateRegistration();
    expect(api.callsOf('validateSpecz')[2].args[0]).toMatchObject({ angleUnits: 'deg' });
    await store.getState().confirmRegistration();
    expect(api.callsOf('registerSpecz')[0].args[0]).toMatchObject({ angleUnits: 'deg' });
  });

  it('keeps the engine words of a failed preview on the registration', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/tmp/notes.txt');
    await store.getState().loadPreview();
    expect(store.getState().registration!.error).toBe(
      '/tmp/notes.txt: not a spec-z file I can read',
    );
    expect(store.getState().registration!.step).toBe('pick');
  });

  it('asks for a path before previewing', async () => {
    store.getState().startRegistration();
    await store.getState().loadPreview();
    expect(store.getState().registration!.error).toMatch(/Give the path of a spec-z file/);
    expect(api.callsOf('previewSpecz')).toHaveLength(0);
  });

  it('uploads a file then previews the stored copy (browser fallback)', async () => {
    store.getState().startRegistration();
    await store.getState().uploadSpecz('specz.parquet', new Uint8Array([1, 2, 3]));
    expect(api.callsOf('previewSpecz')[0].args[0]).toBe('/data/uploads/specz.parquet');
    expect(store.getState().registration!.step).toBe('map');
  });

  it('adds a photometric catalog and refuses an empty location', async () => {
    store.getState().startPhotometric();
    await store.getState().addPhotometric();
    expect(store.getState().photometricForm!.error).toMatch(/folder or the http\(s\) URL/);
    store.getState().setPhotometricField('location', ' /cats/dp1 ');
    const added = await store.getState().addPhotometric();
    expect(added?.profile?.id).toBe('lsst-dp1');
    expect(api.callsOf('addPhotometric')[0].args[0]).toEqual({
      location: '/cats/dp1',
      name: undefined,
      requestId: expect.stringMatching(/^catalog-/),
    });
  });

  it('Cancel while a photometric catalog is read stops it in main, and nothing is added after', async () => {
    let answer!: () => void;
    api.catalogGate = new Promise((resolve) => (answer = resolve));
    store.getState().startPhotometric();
    store.getState().setPhotometricField('location', 'https://slow.example/dp1');
    const adding = store.getState().addPhotometric();
    expect(store.getState().photometricForm!.busy).toBe(true);
    store.getState().cancelPhotometric();
    expect(store.getState().photometricForm).toBeNull();
    const { requestId } = api.callsOf('addPhotometric')[0].args[0] as { requestId: string };
    expect(api.callsOf('cancelCatalogRequest').map((c) => c.args[0])).toEqual([requestId]);
    answer();
    expect(await adding).toBeNull();
    expect(api.catalogs).toEqual([]);
    expect(store.getState().catalogs).toEqual([]);
    expect(store.getState().photometricForm).toBeNull();
    expect(store.getState().selectedCatalogId).toBeNull();
  });

  it('a catalog main added before the Cancel reached it is listed, but does not reopen the form', async () => {
    let answer!: () => void;
    api.catalogGate = new Promise((resolve) => (answer = resolve));
    api.cancelCatalogRequest = async () => undefined; // arrives after main finished
    store.getState().startPhotometric();
    store.getState().setPhotometricField('location', '/cats/dp1');
    const adding = store.getState().addPhotometric();
    store.getState().cancelPhotometric();
    store.getState().startRegistration();
    answer();
    expect(await adding).toBeNull();
    expect(store.getState().catalogs.map((c) => c.id)).toEqual(['ph-1']);
    expect(store.getState().selectedCatalogId).toBeNull();
    expect(store.getState().registration).toMatchObject({ step: 'pick', busy: false });
  });

  it('Cancel while a spec-z catalog is registered stops it in main, and nothing is added after', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/home/me/specz.parquet');
    await store.getState().loadPreview();
    await store.getState().validateRegistration();
    let answer!: () => void;
    api.catalogGate = new Promise((resolve) => (answer = resolve));
    const registering = store.getState().confirmRegistration();
    store.getState().cancelRegistration();
    const { requestId } = api.callsOf('registerSpecz')[0].args[0] as { requestId: string };
    expect(requestId).toMatch(/^catalog-/);
    expect(api.callsOf('cancelCatalogRequest').map((c) => c.args[0])).toEqual([requestId]);
    answer();
    expect(await registering).toBeNull();
    expect(store.getState().catalogs).toEqual([]);
    expect(store.getState().registration).toBeNull();
    expect(store.getState().selectedCatalogId).toBeNull();
  });

  it('the preview or check of a cancelled registration does not land in the next one', async () => {
    const preview = api.previewSpecz;
    const validate = api.validateSpecz;
    let answerPreview!: () => void;
    const previewGate = new Promise<void>((resolve) => (answerPreview = resolve));
    api.previewSpecz = async (path: string) => {
      await previewGate;
      return preview(path);
    };
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/home/me/old.parquet');
    const previewing = store.getState().loadPreview();
    store.getState().cancelRegistration();
    store.getState().startRegistration();
    answerPreview();
    await previewing;
    expect(store.getState().registration).toMatchObject({
      step: 'pick',
      path: '',
      name: '',
      preview: null,
      busy: false,
    });

    api.previewSpecz = preview;
    store.getState().setRegistrationPath('/home/me/old.parquet');
    await store.getState().loadPreview();
    let answerCheck!: () => void;
    const checkGate = new Promise<void>((resolve) => (answerCheck = resolve));
    api.validateSpecz = async (request: unknown) => {
      await checkGate;
      return validate(request);
    };
    const checking = store.getState().validateRegistration();
    store.getState().cancelRegistration();
    store.getState().startRegistration();
    answerCheck();
    await checking;
    expect(store.getState().registration).toMatchObject({
      step: 'pick',
      report: null,
      busy: false,
    });
  });

  it("Cancel during Check the file stops main's reading of the file (the check's request id)", async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/home/me/big.parquet');
    await store.getState().loadPreview();
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    let sent: { requestId?: string } = {};
    api.validateSpecz = async (request: unknown) => {
      sent = request as typeof sent;
      await gate;
      return api.report;
    };
    const checking = store.getState().validateRegistration();
    const { requestId } = sent;
    expect(requestId).toMatch(/^catalog-/);
    expect(store.getState().registration!.requestId).toBe(requestId);
    store.getState().cancelRegistration();
    expect(api.callsOf('cancelCatalogRequest').map((c) => c.args[0])).toEqual([requestId]);
    answer();
    await checking;
    expect(store.getState().registration).toBeNull();
  });

  it("shows how far main read the file, from its own request's events only", async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/home/me/big.parquet');
    await store.getState().loadPreview();
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    let sent: { requestId?: string } = {};
    api.validateSpecz = async (request: unknown) => {
      sent = request as typeof sent;
      await gate;
      return api.report;
    };
    const checking = store.getState().validateRegistration();
    const requestId = sent.requestId!;
    expect(store.getState().registration!.progress).toBeNull();
    const progress = { phase: 'read' as const, rowsRead: 131_072, fraction: 0.13 };
    api.emit('catalogProgress', { requestId, progress });
    expect(store.getState().registration!.progress).toEqual(progress);
    // another request's (a form since closed): not this one's
    api.emit('catalogProgress', {
      requestId: 'catalog-other',
      progress: { ...progress, rowsRead: 7 },
    });
    expect(store.getState().registration!.progress).toEqual(progress);
    answer();
    await checking;
    expect(store.getState().registration).toMatchObject({ step: 'report', progress: null });
    // an event of the check arriving after its answer changes nothing
    api.emit('catalogProgress', { requestId, progress });
    expect(store.getState().registration!.progress).toBeNull();
  });

  it('a finished check leaves no request for Cancel to stop', async () => {
    store.getState().startRegistration();
    store.getState().setRegistrationPath('/home/me/specz.parquet');
    await store.getState().loadPreview();
    await store.getState().validateRegistration();
    expect(store.getState().registration).toMatchObject({ step: 'report', requestId: null });
    store.getState().cancelRegistration();
    expect(api.callsOf('cancelCatalogRequest')).toEqual([]);
  });

  it('deletes a catalog and clears the selection', async () => {
    api.catalogs = [summary('sz-1', 'specz', 'a')];
    await store.getState().loadCatalogs();
    store.getState().selectCatalog('sz-1');
    await store.getState().deleteCatalog('sz-1');
    expect(store.getState().catalogs).toEqual([]);
    expect(store.getState().selectedCatalogId).toBeNull();
  });
});

describe('wizard slice', () => {
  it('blocks Next on an empty name with the engine message, then moves on', async () => {
    expect(await store.getState().nextStep()).toBe(false);
    expect(store.getState().step).toBe('basics');
    expect(store.getState().visibleIssues('name')[0].message).toMatch(/^This field is required/);
    await store.getState().setField('name', 'My set');
    expect(await store.getState().nextStep()).toBe(true);
    expect(store.getState().step).toBe('catalogs');
  });

  it('shows a field issue only once the field is touched', async () => {
    expect(store.getState().issues.some((i) => i.path === 'name')).toBe(true);
    expect(store.getState().visibleIssues('name')).toEqual([]);
    await store.getState().setField('crossmatch.radiusArcsec', 120);
    expect(store.getState().visibleIssues('crossmatch.radiusArcsec')[0].message).toBe(
      'must be at most 90 arcsec (got 120)',
    );
    await store.getState().setField('crossmatch.nNeighbors', 0);
    expect(store.getState().visibleIssues('crossmatch.nNeighbors')[0].message).toBe(
      'must be at least 1 (got 0)',
    );
  });

  it('keeps flux type and dust map within what the chosen catalog offers', async () => {
    await store.getState().setField('photometry.fluxType', 'gaap1p0');
    await store.getState().setField('photometry.dereddening.map', 'planck');
    await store.getState().choosePhotometric(summary('ph-1', 'photometric', 'dp1', '/cats/dp1'));
    const p = store.getState().draft!.photometry;
    expect(p.location).toBe('/cats/dp1');
    expect(p.profile).toBe('lsst-dp1');
    expect(p.fluxType).toBe('cmodel');
    expect(p.dereddening.map).toBe('none');
  });

  it('autosaves the draft after an edit', async () => {
    await store.getState().setField('name', 'autosaved');
    await store.getState().flushDraft();
    expect(api.drafts.at(-1)?.project.name).toBe('autosaved');
  });

  it('saves an edit still waiting for its autosave when the page goes (pagehide), and nothing else', async () => {
    await store.getState().flushDraft();
    const saved = api.drafts.length;
    // nothing waiting: a closing page must not write its draft over another window's
    await store.getState().flushPendingDraft();
    expect(api.drafts.length).toBe(saved);
    await store.getState().setField('name', 'typed just before the reload');
    await store.getState().flushPendingDraft();
    expect(api.drafts.length).toBe(saved + 1);
    expect(api.drafts.at(-1)?.project.name).toBe('typed just before the reload');
    await store.getState().flushPendingDraft();
    expect(api.drafts.length).toBe(saved + 1);
  });

  it('saves the project at the given path and remembers it', async () => {
    await store.getState().setField('name', 'x');
    const path = await store.getState().saveProjectFile(false, '/p/x.tsm.json');
    expect(path).toBe('/p/x.tsm.json');
    expect(store.getState().projectPath).toBe('/p/x.tsm.json');
  });

  it("shows what saving noticed (a recent list that could not be saved) under 'Saved'", async () => {
    const warning = 'The list of recent projects was not updated: ENOSPC: ...';
    const save = api.saveProject;
    api.saveProject = async (path, project) => ({
      ...(await save(path, project)),
      warnings: [warning],
    });
    await store.getState().setField('name', 'x');
    await store.getState().saveProjectFile(false, '/p/x.tsm.json');
    expect(store.getState().wizardNotice).toBe(`Saved /p/x.tsm.json\n${warning}`);
    expect(store.getState().wizardError).toBeNull();
  });

  it('remembers the project file across a reload: Save writes to it again', async () => {
    await store.getState().setField('name', 'x');
    await store.getState().saveProjectFile(false, '/data/projects/v2.tsm.json');
    expect(api.drafts.at(-1)?.projectPath).toBe('/data/projects/v2.tsm.json');
    // the page reloaded (or the app started again): a new store over the same main process
    const reloaded = createTsmStore(api);
    await reloaded.getState().init();
    expect(reloaded.getState().projectPath).toBe('/data/projects/v2.tsm.json');
    await reloaded.getState().setField('description', 'edited after the reload');
    expect(await reloaded.getState().saveProjectFile(false)).toBe('/data/projects/v2.tsm.json');
    expect(api.callsOf('saveProject').map((c) => c.args[0])).toEqual([
      '/data/projects/v2.tsm.json',
      '/data/projects/v2.tsm.json',
    ]);
  });

  it('drops the notice of an earlier open when an open fails or the user moves on', async () => {
    await store.getState().openProjectFile('/p/a.tsm.json');
    expect(store.getState().wizardNotice).toBe('Opened /p/a.tsm.json');
    api.openProject = async (path) => {
      throw new Error(`${path}: is not valid JSON`);
    };
    await store.getState().openProjectFile('/p/broken.tsm.json');
    expect(store.getState()).toMatchObject({
      wizardError: '/p/broken.tsm.json: is not valid JSON',
      wizardNotice: null,
    });
    store.setState({ wizardNotice: 'Saved /p/a.tsm.json' });
    store.getState().goToStep('basics');
    expect(store.getState().wizardNotice).toBeNull();
  });

  it('without a dialog and without a path, asks for one in the summary', async () => {
    expect(await store.getState().saveProjectFile(true)).toBeNull();
    expect(store.getState().step).toBe('summary');
    expect(store.getState().wizardError).toMatch(/Project file/);
  });
});

async function validDraft() {
  const s = store.getState();
  await s.setField('name', 'Run me');
  await s.setField('specz', { ...s.draft!.specz, catalogId: 'sz-1', path: null });
  await store.getState().choosePhotometric(summary('ph-1', 'photometric', 'dp1', '/cats/dp1'));
}

describe('run slice', () => {
  it('refuses to start an invalid project and marks every step', async () => {
    expect(await store.getState().startRun()).toBe(false);
    expect(api.callsOf('startRun')).toHaveLength(0);
    expect(store.getState().attempted).toMatchObject({ basics: true, catalogs: true });
    expect(store.getState().runError).toMatch(/Fix the fields/);
  });

  it('starts one run for a double click: the second start waits for nothing and sends nothing', async () => {
    await validDraft();
    const first = store.getState().startRun();
    expect(store.getState().starting).toBe(true);
    const second = store.getState().startRun();
    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(api.callsOf('startRun')).toHaveLength(1);
    expect(store.getState().starting).toBe(false);
    // and a start that fails leaves the button usable again
    api.startRun = async () => {
      throw new Error('output folder /x cannot be created');
    };
    expect(await store.getState().startRun()).toBe(false);
    expect(store.getState().starting).toBe(false);
    expect(store.getState().runError).toMatch(/cannot be created/);
    // editing the field that was wrong takes the old refusal away
    await store.getState().setField('output.folder', '/elsewhere');
    expect(store.getState().runError).toBeNull();
  });

  it('a started run is listed on the Runs page at once, not only when it ends', async () => {
    await validDraft();
    expect(await store.getState().startRun()).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().runs.map((r) => [r.id, r.status])).toEqual([['run-1', 'running']]);
  });

  /** A store started afresh (a reloaded page) over an app with this one run. */
  async function reloadedWith(id: string, status: RunRecord['status']) {
    const reloaded = new FakeApi();
    reloaded.runs = [
      {
        id,
        name: `${status} one`,
        status,
        startedAt: '2026-11-25T10:00:00.000Z',
        project: store.getState().draft!,
        outputDir: `/data/runs/${id}`,
      },
    ];
    const s2 = createTsmStore(reloaded);
    await s2.getState().init();
    return { reloaded, s2 };
  }

  it('after a reload, follows the run still going: run page, progress, Cancel', async () => {
    const { reloaded, s2 } = await reloadedWith('run-9', 'running');
    expect(s2.getState().page).toBe('run');
    expect(s2.getState().currentRun?.id).toBe('run-9');
    expect(s2.getState().log[0]).toBe(
      'Following run run-9 (started 2026-11-25 10:00:00, still running when this page opened); output in /data/runs/run-9',
    );
    reloaded.emit('runProgress', { runId: 'run-9', progress: progressAt(5, 8, 'pixel 5') });
    expect(s2.getState().progress?.pixelsDone).toBe(5);
    await s2.getState().cancelRun();
    expect(reloaded.callsOf('cancelRun').map((c) => c.args)).toEqual([['run-9']]);
  });

  it('a run page that follows a run late shows its whole log so far and its latest progress', async () => {
    const late = new FakeApi();
    late.runs = [
      {
        id: 'run-7',
        name: 'late one',
        status: 'running',
        startedAt: '2026-11-25T10:00:00.000Z',
        project: store.getState().draft!,
        outputDir: '/data/runs/run-7',
      },
    ];
    late.runLogs.set('run-7', {
      progress: progressAt(3, 8, 'pixel 3'),
      lines: [
        { elapsedMs: 0, message: 'Opening the photometric catalog /cats/dp1' },
        { elapsedMs: 100, message: '8 aligned pixels to crossmatch' },
        { elapsedMs: 300, message: 'pixel 3' },
      ],
    });
    const s2 = createTsmStore(late);
    await s2.getState().init();
    // a live line that arrives before the answer, and is in it too, is not written twice
    late.emit('runProgress', { runId: 'run-7', progress: progressAt(3, 8, 'pixel 3') });
    await new Promise((r) => setTimeout(r, 0));
    expect(s2.getState().log).toEqual([
      'Following run run-7 (started 2026-11-25 10:00:00, still running when this page opened); output in /data/runs/run-7',
      '   0.0 s  Opening the photometric catalog /cats/dp1',
      '   0.1 s  8 aligned pixels to crossmatch',
      '   0.3 s  pixel 3',
    ]);
    expect(s2.getState().progress?.pixelsDone).toBe(3);
    late.emit('runProgress', { runId: 'run-7', progress: progressAt(4, 8, 'pixel 4') });
    expect(s2.getState().log.at(-1)).toBe('   0.4 s  pixel 4');
    expect(s2.getState().progress?.pixelsDone).toBe(4);
  });

  it('a finished run does not take over the page after a reload', async () => {
    const { s2 } = await reloadedWith('run-8', 'done');
    expect(s2.getState().page).toBe('catalogs');
    expect(s2.getState().currentRun).toBeNull();
  });

  it('starts, follows progress of its own run only, and finishes', async () => {
    await validDraft();
    expect(store.getState().issues).toEqual([]);
    expect(await store.getState().startRun()).toBe(true);
    expect(store.getState().page).toBe('run');
    api.emit('runProgress', { runId: 'other', progress: progressAt(9, 9) });
    expect(store.getState().progress).toBeNull();
    api.emit('runProgress', { runId: 'run-1', progress: progressAt(2, 4, 'pixel 2') });
    expect(store.getState().progress?.pixelsDone).toBe(2);
    expect(store.getState().log.at(-1)).toBe('   0.2 s  pixel 2');
    const run = store.getState().currentRun!;
    api.emit('runFinished', {
      ...run,
      status: 'done',
      outputPath: '/data/runs/run-1/run_me.parquet',
      counts: {
        rowsIn: 40,
        matched: 30,
        unmatched: 10,
        duplicatesResolved: 0,
        train: 21,
        test: 9,
        rowsOut: 30,
      },
    });
    expect(store.getState().currentRun?.status).toBe('done');
    expect(store.getState().log.at(-1)).toBe(
      'Finished: 30 rows written to /data/runs/run-1/run_me.parquet',
    );
  });

  it('cancels the current run', async () => {
    await validDraft();
    await store.getState().startRun();
    await store.getState().cancelRun();
    expect(api.callsOf('cancelRun')[0].args).toEqual(['run-1']);
    expect(store.getState().cancelling).toBe(true);
    api.emit('runFinished', { ...store.getState().currentRun!, status: 'cancelled' });
    expect(store.getState().cancelling).toBe(false);
    expect(store.getState().log.at(-1)).toMatch(/^Cancelled/);
  });

  it('a run cancelled from another process ends its log saying from where', async () => {
    await validDraft();
    await store.getState().startRun();
    const reason = 'Cancelled from the web bridge (pid 77)';
    api.emit('runFinished', {
      ...store.getState().currentRun!,
      status: 'cancelled',
      error: reason,
    });
    expect(store.getState().log.at(-1)).toBe(`${reason}; no output file was left behind.`);
  });

  it("a Cancel refused because another process's run had ended keeps saying so once the run's end arrives", async () => {
    await validDraft();
    await store.getState().startRun();
    const refused =
      'Run run-1 had already ended (done) when Cancel was asked: nothing was cancelled.';
    api.cancelRun = async () => {
      throw new Error(refused);
    };
    await store.getState().cancelRun();
    expect(store.getState()).toMatchObject({ runError: refused, cancelling: false });
    api.emit('runFinished', { ...store.getState().currentRun!, status: 'done' });
    expect(store.getState()).toMatchObject({ runError: refused, currentRun: { status: 'done' } });
  });

  it('shows a failed run with the engine message', async () => {
    await validDraft();
    await store.getState().startRun();
    api.emit('runFinished', {
      ...store.getState().currentRun!,
      status: 'failed',
      error: 'No cross matches were found',
    });
    expect(store.getState().runError).toBe('No cross matches were found');
  });
});

describe('history slice', () => {
  it('opens a run results page with the first table page', async () => {
    await validDraft();
    await store.getState().startRun();
    await store.getState().openResults('run-1');
    expect(store.getState().page).toBe('results');
    expect(store.getState().results?.run.id).toBe('run-1');
    expect(api.callsOf('getTablePage')[0].args).toEqual(['run-1', 0, 25]);
    await store.getState().loadTablePage(25);
    expect(store.getState().table?.offset).toBe(25);
  });

  /** A finished run with a CSV output, of the draft's project. */
  const doneRun = (id: string): RunRecord => ({
    id,
    name: id,
    status: 'done',
    startedAt: '2026-11-25T10:00:00.000Z',
    project: store.getState().draft!,
    outputDir: `/data/runs/${id}`,
    outputPath: `/data/runs/${id}/out.csv`,
  });

  it('shows the results opened last when those of a run opened before answer after them', async () => {
    api.runs = [doneRun('slow-csv'), doneRun('quick')];
    const served = api.getRunResults;
    let release: () => void = () => undefined;
    api.getRunResults = async (id: string) => {
      // a 950k-row CSV output's plots take minutes to compute
      if (id === 'slow-csv') await new Promise<void>((r) => (release = r));
      return served(id);
    };
    const slow = store.getState().openResults('slow-csv');
    await store.getState().openResults('quick');
    release();
    await slow;
    expect(store.getState().resultsRunId).toBe('quick');
    expect(store.getState().results?.run.id).toBe('quick');
    expect(api.callsOf('getTablePage').map((c) => c.args[0])).toEqual(['quick']);
  });

  it("drops the plots of a run the user has left for another's results", async () => {
    api.runs = [doneRun('slow-csv'), doneRun('quick')];
    const served = api.getRunQa;
    let release: () => void = () => undefined;
    api.getRunQa = async (id: string) => {
      const qa = await served(id);
      if (id !== 'slow-csv') return qa;
      await new Promise<void>((r) => (release = r));
      return { ...qa, sky: { ...qa.sky, matchedCount: 949_855 } };
    };
    const slow = store.getState().openResults('slow-csv');
    // the slow run's table came at once; its plots are still being computed
    await vi.waitFor(() => expect(store.getState().table).not.toBeNull());
    expect(store.getState().resultsQa).toBeNull();
    await store.getState().openResults('quick');
    expect(store.getState().resultsQa?.sky.matchedCount).toBe(1);
    api.emit('qaProgress', { runId: 'slow-csv', fraction: 0.5 });
    expect(store.getState().resultsQaProgress).toBeNull();
    release();
    await slow;
    expect(store.getState().resultsRunId).toBe('quick');
    expect(store.getState().resultsQa?.sky.matchedCount).toBe(1);
  });

  it("stops the plots' computation of the results left (another run opened, another page)", async () => {
    api.runs = [doneRun('slow-csv'), doneRun('quick')];
    const served = api.getRunQa;
    const pending = new Map<string, () => void>();
    api.getRunQa = async (id: string, requestId?: string) => {
      const qa = await served(id, requestId);
      if (id === 'slow-csv') await new Promise<void>((r) => pending.set(requestId!, r));
      return qa;
    };
    const slow = store.getState().openResults('slow-csv');
    await vi.waitFor(() => expect(pending.size).toBe(1));
    const [first] = pending.keys();
    expect(first).toMatch(/^qa-/);
    expect(api.callsOf('cancelRunQa')).toEqual([]);
    // another run's results: the first run's plots are not wanted any more
    await store.getState().openResults('quick');
    expect(api.callsOf('cancelRunQa').map((c) => c.args)).toEqual([[first]]);
    pending.get(first)!();
    await slow;
    // the quick run's plots came: nothing to stop when its page is left
    store.getState().navigate('history');
    expect(api.callsOf('cancelRunQa')).toHaveLength(1);
    // the slow run's results opened again, then the page left while its plots are computed
    const again = store.getState().openResults('slow-csv');
    await vi.waitFor(() => expect(pending.size).toBe(2));
    const second = [...pending.keys()][1];
    expect(second).not.toBe(first);
    store.getState().navigate('history');
    expect(api.callsOf('cancelRunQa').map((c) => c.args)).toEqual([[first], [second]]);
    pending.get(second)!();
    await again;
    // the window closing (pagehide) stops nothing that is already done
    store.getState().stopPlots();
    expect(api.callsOf('cancelRunQa')).toHaveLength(2);
  });

  it('plots stopped as the page is hidden say nothing of the cancel, and start again when it is shown', async () => {
    api.runs = [doneRun('slow-csv')];
    const served = api.getRunQa;
    const waiting = new Map<string, (err: Error) => void>();
    let slow = true;
    api.getRunQa = async (id: string, requestId?: string) => {
      const qa = await served(id, requestId);
      if (slow) await new Promise<void>((_, reject) => waiting.set(requestId!, reject));
      return qa;
    };
    api.cancelRunQa = async (requestId: string) => {
      waiting.get(requestId)?.(new Error('The plots were not made: cancelled.'));
    };
    const opened = store.getState().openResults('slow-csv');
    await vi.waitFor(() => expect(waiting.size).toBe(1));
    // pagehide: the window's plots are stopped, and their cancelled call rejects
    store.getState().stopPlots();
    await opened;
    expect(store.getState().resultsQaError).toBeNull();
    expect(store.getState().resultsQa).toBeNull();
    // pageshow from the back/forward cache: the same page asks again, and this time they come
    slow = false;
    store.getState().resumePlots();
    await vi.waitFor(() => expect(store.getState().resultsQa).not.toBeNull());
    expect(store.getState().resultsQa?.sky.matchedCount).toBe(1);
    // nothing to resume once they are there
    const calls = api.callsOf('getRunQa').length;
    store.getState().resumePlots();
    expect(api.callsOf('getRunQa')).toHaveLength(calls);
  });

  it('Clear form can be undone: the form and its project file come back', async () => {
    await validDraft();
    const before = store.getState().draft;
    await store.getState().newDraft();
    expect(store.getState().draft?.name).toBe('');
    expect(store.getState().wizardNotice).toBe(CLEARED_NOTICE);
    await store.getState().undoClear();
    expect(store.getState().draft).toEqual(before);
    expect(store.getState().clearedDraft).toBeNull();
    expect(store.getState().wizardNotice).toBe('The form is back as it was before Clear form.');
  });

  it('re-run copies the parameters into the wizard summary', async () => {
    await validDraft();
    await store.getState().startRun();
    const run = store.getState().runs[0] ?? (await api.listRuns())[0];
    await store.getState().newDraft();
    await store.getState().rerun(run);
    expect(store.getState().page).toBe('wizard');
    expect(store.getState().step).toBe('summary');
    expect(store.getState().draft?.name).toBe('Run me');
  });

  it("re-run takes the seed a run drew, so the split repeats; a project's own seed stays", async () => {
    await validDraft();
    await store.getState().startRun();
    const run = store.getState().runs[0] ?? (await api.listRuns())[0];
    expect(run.project.split.seed).toBeNull();
    await store.getState().rerun({ ...run, seed: 16125422 });
    expect(store.getState().draft?.split.seed).toBe(16125422);
    expect(store.getState().wizardNotice).toBe(
      `Parameters of run ${run.id}, with the seed it drew (16125422); check them and press Run.`,
    );
    const own = { ...run.project, split: { ...run.project.split, seed: 7 } };
    await store.getState().rerun({ ...run, project: own, seed: 7 });
    expect(store.getState().draft?.split.seed).toBe(7);
    // a record of an older version has no seed: the re-run draws one, as the run did
    await store.getState().rerun({ ...run, seed: undefined });
    expect(store.getState().draft?.split.seed).toBeNull();
  });

  it('shows the output folder in the status line', async () => {
    await store.getState().openOutputFolder('run-1');
    expect(store.getState().notice).toBe('Output folder: /data/runs/run-1');
  });
});
