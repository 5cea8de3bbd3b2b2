import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import { RunManager, type RunEngine } from '../../main/run-manager';
import { SettingsStore } from '../../main/settings-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore dust-map folder', () => {
  it('refuses a relative folder as not a full path, even one that exists from where the app runs', async () => {
    const file = join(dir, 'settings.json');
    const store = new SettingsStore(file, {
      dataDir: join(dir, 'data'),
      dustMapDir: '',
      workers: null,
      cacheSizeMb: 0,
      stallSeconds: null,
    });
    await store.update({ cacheSizeMb: 5 });
    const saved = readFileSync(file, 'utf8');
    // it said "The dust-map folder dustmaps does not exist: ..."
    await expect(store.update({ dustMapDir: 'dustmaps' })).rejects.toThrow(
      "The dust-map folder must be a full path, such as /home/me/dustmaps (got 'dustmaps'), or empty for the dustmaps folder inside the data folder.",
    );
    // '.' exists (the folder the app was started from), and was saved as it is
    await expect(store.update({ dustMapDir: '.' })).rejects.toThrow(
      "The dust-map folder must be a full path, such as /home/me/dustmaps (got '.'), or empty for the dustmaps folder inside the data folder.",
    );
    expect(readFileSync(file, 'utf8')).toBe(saved);
    const maps = join(dir, 'maps');
    mkdirSync(maps);
    expect((await store.update({ dustMapDir: maps })).dustMapDir).toBe(maps);
  });
});

describe('SettingsStore stall timeout of remote catalogs', () => {
  const defaults = () => ({
    dataDir: join(dir, 'data'),
    dustMapDir: '',
    workers: null,
    cacheSizeMb: 0,
    stallSeconds: null,
  });

  it('reads the settings file of an older version (no stall timeout) with its values, the stall timeout the default', async () => {
    const file = join(dir, 'settings.json');
    const data = join(dir, 'old-data');
    // a data folder the older version used: its catalogs, no marker
    mkdirSync(join(data, 'catalogs'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ dataDir: data, dustMapDir: '', workers: 3, cacheSizeMb: 500 }),
    );
    const store = new SettingsStore(file, defaults());
    expect(await store.get()).toEqual({
      dataDir: data,
      dustMapDir: '',
      workers: 3,
      cacheSizeMb: 500,
      stallSeconds: null,
    });
    // and saving it keeps them, with the new field
    await store.update({ stallSeconds: 120 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      dataDir: data,
      dustMapDir: '',
      workers: 3,
      cacheSizeMb: 500,
      stallSeconds: 120,
    });
  });

  it('takes seconds above 0 (decimals too), at most a day, or null for the default; refuses others naming it, saving nothing', async () => {
    const file = join(dir, 'settings.json');
    const store = new SettingsStore(file, defaults());
    expect((await store.update({ stallSeconds: 0.5 })).stallSeconds).toBe(0.5);
    const saved = readFileSync(file, 'utf8');
    for (const bad of [0, -3]) {
      await expect(store.update({ stallSeconds: bad })).rejects.toThrow(
        'The stall timeout must be a number of seconds above 0, or empty for the default.',
      );
    }
    await expect(store.update({ stallSeconds: 86_401 })).rejects.toThrow(
      'The stall timeout must be at most 86400 seconds.',
    );
    expect(readFileSync(file, 'utf8')).toBe(saved);
    expect((await store.update({ stallSeconds: 86_400 })).stallSeconds).toBe(86_400);
    expect((await store.update({ stallSeconds: null })).stallSeconds).toBeNull();
  });
});

describe('SettingsStore with a settings file edited by hand', () => {
  it('keeps the fields it takes (the data folder) and defaults only the one it does not', async () => {
    const file = join(dir, 'settings.json');
    const data = join(dir, 'my-data');
    mkdirSync(join(data, 'catalogs'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        dataDir: data,
        dustMapDir: '',
        workers: 3,
        cacheSizeMb: 500,
        stallSeconds: '120',
      }),
    );
    const store = new SettingsStore(file, {
      dataDir: join(dir, 'default-data'),
      dustMapDir: '',
      workers: null,
      cacheSizeMb: 0,
      stallSeconds: null,
    });
    // every setting fell back to the defaults: another, empty data folder without a word
    expect(await store.get()).toEqual({
      dataDir: data,
      dustMapDir: '',
      workers: 3,
      cacheSizeMb: 500,
      stallSeconds: null,
    });
  });
});

describe('SettingsStore: two processes (or stores) sharing settings.json', () => {
  const defaults = (dataDir: string) => ({
    dataDir,
    dustMapDir: '',
    workers: null,
    cacheSizeMb: 0,
    stallSeconds: null,
  });

  it("one's save keeps the setting the other saved since it read the file", async () => {
    const file = join(dir, 'settings.json');
    const app = new SettingsStore(file, defaults(join(dir, 'data')));
    const bridge = new SettingsStore(file, defaults(join(dir, 'data')));
    await app.get();
    await bridge.get();
    await app.update({ workers: 3 });
    expect(await bridge.update({ cacheSizeMb: 100 })).toMatchObject({
      workers: 3,
      cacheSizeMb: 100,
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ workers: 3, cacheSizeMb: 100 });
  });

  it('saves at the same time take turns under the lock: every change is kept, nothing left beside the file', async () => {
    const file = join(dir, 'settings.json');
    const a = new SettingsStore(file, defaults(join(dir, 'data')));
    const b = new SettingsStore(file, defaults(join(dir, 'data')));
    const steps = [1, 2, 3, 4, 5, 6];
    await Promise.all([
      (async () => {
        for (const n of steps) await a.update({ workers: n });
      })(),
      (async () => {
        for (const n of steps) await b.update({ cacheSizeMb: n * 10 });
      })(),
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ workers: 6, cacheSizeMb: 60 });
    expect(readdirSync(dir).sort()).toEqual(['data', 'settings.json']);
  });

  it('a data folder the other saved, gone since, is said and not made again when this one saves it', async () => {
    const file = join(dir, 'settings.json');
    const app = new SettingsStore(file, defaults(join(dir, 'data')));
    const bridge = new SettingsStore(file, defaults(join(dir, 'data')));
    await app.get();
    const disk = join(dir, 'disk');
    await bridge.update({ dataDir: disk });
    expect(readdirSync(disk)).toEqual(['.tsm-data-folder']);
    rmSync(disk, { recursive: true }); // its disk unmounted
    // the settings file names it (the bridge saved it): not a first use, where it is made
    await expect(app.update({ dataDir: disk, workers: 2 })).rejects.toThrow(
      `The data folder ${disk} is not there any more`,
    );
    expect(existsSync(disk)).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ dataDir: disk, workers: null });
  });

  it("one shows what the other saved since it read the file: the Settings page's, a run's and the data folder's settings", async () => {
    const file = join(dir, 'settings.json');
    const app = new SettingsStore(file, defaults(join(dir, 'data')));
    const bridge = new SettingsStore(file, defaults(join(dir, 'data')));
    expect(await app.get()).toMatchObject({ workers: null, dustMapDir: '' });
    const maps = join(dir, 'maps');
    mkdirSync(maps);
    await bridge.update({ workers: 3, dustMapDir: maps });
    // it showed workers null and no dust-map folder until the app was reloaded
    expect(await app.get()).toMatchObject({ workers: 3, dustMapDir: maps });
    const other = join(dir, 'other-data');
    await bridge.update({ dataDir: other });
    expect((await app.checked()).dataDir).toBe(other);
    // and a run started here runs with them
    const seen: { workers?: number | null; dustMapDir?: string; dataDir?: string } = {};
    const engine: RunEngine = async (project, options) => {
      Object.assign(seen, {
        workers: options.workers,
        dustMapDir: options.dustMapDir,
        dataDir: options.dataDir,
      });
      return {
        outputPath: join(project.output.folder, 'set.parquet'),
        counts: {
          rowsIn: 0,
          matched: 0,
          unmatched: 0,
          duplicatesResolved: 0,
          train: 0,
          test: 0,
          rowsOut: 0,
        },
        seed: 1,
      };
    };
    const runs = new RunManager(() => app.checked(), engine, {
      runProgress: () => undefined,
      runFinished: () => undefined,
    });
    await bridge.update({ workers: 2 });
    const p = defaultProject();
    const run = await runs.start({
      ...p,
      name: 'set',
      specz: { ...p.specz, catalogId: 'sz-1' },
      photometry: { ...p.photometry, location: '/cats/dp1' },
    });
    await runs.whenFinished(run.id);
    expect(seen).toEqual({ workers: 2, dustMapDir: maps, dataDir: other });
    expect(run.outputDir.startsWith(join(other, 'runs'))).toBe(true);
  });

  it("reads the file again only when its inode, time or size changed, and tells the store's listeners", async () => {
    const file = join(dir, 'settings.json');
    const data = join(dir, 'data');
    const saved = (workers: number) =>
      JSON.stringify({ ...defaults(data), dataDir: data, workers });
    const when = new Date('2026-11-01T10:00:00Z');
    writeFileSync(file, saved(2));
    utimesSync(file, when, when);
    const store = new SettingsStore(file, defaults(data));
    const heard: (number | null)[] = [];
    store.onChange((s) => heard.push(s.workers));
    expect((await store.get()).workers).toBe(2);
    // the same file, its time and size as read: the copy read is used, the file not read again
    writeFileSync(file, saved(5));
    utimesSync(file, when, when);
    expect((await store.get()).workers).toBe(2);
    expect(heard).toEqual([]);
    const later = new Date('2026-11-01T10:00:01Z');
    utimesSync(file, later, later);
    expect((await store.get()).workers).toBe(5);
    expect(heard).toEqual([5]);
    // read again, unchanged: nothing to tell
    utimesSync(file, when, when);
    expect((await store.get()).workers).toBe(5);
    expect(heard).toEqual([5]);
  });

  it('waits while another process holds the lock, and saves once it is released', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'x' }),
    );
    const store = new SettingsStore(file, defaults(join(dir, 'data')));
    const saving = store.update({ workers: 2 });
    await new Promise((done) => setTimeout(done, 300));
    // not written while the lock is held
    expect(existsSync(file)).toBe(false);
    rmSync(`${file}.lock`);
    expect((await saving).workers).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ workers: 2 });
  });
});
