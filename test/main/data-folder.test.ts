/** A data folder removed (or its disk unmounted) while the app runs, and across launches. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import { createTestBackend } from '../helpers/test-backend';
import { DATA_FOLDER_MARKER } from '../../main/data-folder';
import type { TsmBackend } from '../../main/tsm-service';
import { TSM_EXAMPLE } from '../fixtures';

let dir: string;
/** The app's config folder (Electron's userData); the data folder is elsewhere. */
let config: string;
let data: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-data-folder-'));
  config = join(dir, 'config');
  data = join(dir, 'disk', 'tsm-data');
  mkdirSync(config);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const launch = (configDir = config, dataDir = data): TsmBackend =>
  createTestBackend(configDir, dataDir);

const gone = (folder: string) =>
  `The data folder ${folder} is not there any more (deleted, moved, or its disk not connected), so its catalogs and runs cannot be shown and nothing is saved there: reconnect its disk (or put the folder back) and reload, or choose another data folder in Settings.`;

/** Every request of the pages that reads or writes the data folder says it is gone, and makes nothing. */
async function expectGone(backend: TsmBackend, folder: string): Promise<void> {
  const { service } = backend;
  const message = gone(folder);
  // they answered [] (empty pages, no word) and the next write made an empty data folder
  await expect(service.listCatalogs()).rejects.toThrow(message);
  await expect(service.listRuns()).rejects.toThrow(message);
  await expect(service.saveDraft(defaultProject(), null)).rejects.toThrow(message);
  await expect(service.uploadFile('z.csv', new Uint8Array([49]))).rejects.toThrow(message);
  const p = defaultProject();
  const project = {
    ...p,
    name: 'set',
    specz: { ...p.specz, catalogId: null, path: join(TSM_EXAMPLE, 'specz.parquet') },
    photometry: { ...p.photometry, location: join(TSM_EXAMPLE, 'dr2') },
    output: { ...p.output, folder: join(dir, 'out') },
  };
  await expect(service.startRun(project)).rejects.toThrow(message);
  await expect(service.updateSettings({ workers: 2 })).rejects.toThrow(message);
}

describe('the data folder', () => {
  it('is made on a first launch, with its marker, as before', async () => {
    const backend = launch();
    expect(await backend.service.listCatalogs()).toEqual([]);
    expect((await backend.service.saveDraft(defaultProject(), null)).saved).toBe(true);
    expect(readdirSync(data).sort()).toEqual([DATA_FOLDER_MARKER, 'draft.tsm.json']);
  });

  it('removed while the app runs: every page says so, naming it, and it is not made again', async () => {
    const backend = launch();
    await backend.service.saveDraft(defaultProject(), null);
    expect(await backend.service.listRuns()).toEqual([]);
    rmSync(data, { recursive: true });
    await expectGone(backend, data);
    expect(existsSync(data)).toBe(false);
  });

  it('left empty while the app runs (an unmounted disk, its mount point kept): said, nothing written there', async () => {
    const backend = launch();
    await backend.service.saveDraft(defaultProject(), null);
    rmSync(data, { recursive: true });
    mkdirSync(data); // the mount point on the system disk
    await expectGone(backend, data);
    expect(readdirSync(data)).toEqual([]);
  });

  it('removed in the web layout (settings.json inside it): said, and not made again', async () => {
    const backend = launch(data, data);
    mkdirSync(data, { recursive: true }); // web.ts makes --data-dir at launch
    await backend.service.updateSettings({ workers: 2 });
    rmSync(data, { recursive: true });
    await expectGone(backend, data);
    expect(existsSync(data)).toBe(false);
  });

  it('gone at launch when the settings name it; made when they do not (a first launch)', async () => {
    const first = launch();
    await first.service.updateSettings({ workers: 2 });
    rmSync(data, { recursive: true });
    await expectGone(launch(), data);
    expect(existsSync(data)).toBe(false);
    // an empty mount point named by the settings is gone too
    mkdirSync(data);
    await expect(launch().service.listCatalogs()).rejects.toThrow(gone(data));
    expect(readdirSync(data)).toEqual([]);
    // settings that never named it (never saved): a first launch
    rmSync(join(config, 'settings.json'));
    rmSync(data, { recursive: true });
    expect(await launch().service.listCatalogs()).toEqual([]);
    expect(readdirSync(data)).toEqual([DATA_FOLDER_MARKER]);
  });

  it('back (its disk reconnected): the pages list it again', async () => {
    const backend = launch();
    await backend.service.saveDraft(defaultProject(), null);
    const away = join(dir, 'away');
    mkdirSync(away);
    // the disk unmounted: its files elsewhere
    renameSync(data, join(away, 'tsm-data'));
    await expect(backend.service.listRuns()).rejects.toThrow(gone(data));
    renameSync(join(away, 'tsm-data'), data);
    expect(await backend.service.listRuns()).toEqual([]);
    expect((await backend.service.loadDraft())?.project.name).toBe(defaultProject().name);
  });

  it('another one chosen in Settings is made and used, the one gone left alone', async () => {
    const backend = launch();
    await backend.service.updateSettings({ workers: 2 });
    rmSync(data, { recursive: true });
    const other = join(dir, 'other');
    expect((await backend.service.updateSettings({ dataDir: other })).dataDir).toBe(other);
    expect(await backend.service.listCatalogs()).toEqual([]);
    expect(await backend.service.listRuns()).toEqual([]);
    expect(readdirSync(other)).toContain(DATA_FOLDER_MARKER);
    expect(existsSync(data)).toBe(false);
  });

  it('one of other files (a home folder) chosen in Settings is refused, nothing saved or written there', async () => {
    const backend = launch();
    await backend.service.updateSettings({ workers: 2 });
    const saved = readFileSync(join(config, 'settings.json'), 'utf8');
    const home = join(dir, 'home');
    mkdirSync(join(home, 'Documents'), { recursive: true });
    writeFileSync(join(home, '.bashrc'), '');
    await expect(backend.service.updateSettings({ dataDir: home })).rejects.toThrow(
      `The data folder ${home} already holds other files (.bashrc, Documents) and is not a Training Set Maker data folder (no .tsm-data-folder, catalogs/ or runs/ in it), so its catalogs, runs and settings would be put among them: give a new or empty folder, such as ${join(home, 'tsm-data')}, or, to use this folder as it is, put an empty file named .tsm-data-folder in it.`,
    );
    expect(readdirSync(home).sort()).toEqual(['.bashrc', 'Documents']);
    expect(readFileSync(join(config, 'settings.json'), 'utf8')).toBe(saved);
    expect((await backend.service.getSettings()).dataDir).toBe(data);
    // an empty folder, or one of the app's, is taken
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await backend.service.updateSettings({ dataDir: empty })).dataDir).toBe(empty);
    expect(readdirSync(empty)).toEqual([DATA_FOLDER_MARKER]);
    expect((await backend.service.updateSettings({ dataDir: data })).dataDir).toBe(data);
  });

  it('of an older version (no marker) is used as it is, and marked', async () => {
    mkdirSync(join(data, 'catalogs'), { recursive: true });
    writeFileSync(join(data, 'catalogs', 'index.json'), '[]\n');
    writeFileSync(join(config, 'settings.json'), JSON.stringify({ dataDir: data }));
    expect(await launch().service.listCatalogs()).toEqual([]);
    expect(readdirSync(data).sort()).toEqual([DATA_FOLDER_MARKER, 'catalogs']);
  });
});
