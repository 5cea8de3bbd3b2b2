import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProjectFiles,
  RECENT_LIMIT,
  outputFolderIssues,
  unregisteredCatalogIssues,
} from '../../main/project-files';
import { defaultSettings } from '../../main/default-settings';
import { SettingsStore } from '../../main/settings-store';
import { UserError } from '../../compute/errors';
import type { CatalogSummary } from '../../preload/api';

let dir: string;
let files: ProjectFiles;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-projects-'));
  files = new ProjectFiles(join(dir, 'recent.json'), async () => join(dir, 'draft.tsm.json'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function validProject() {
  const p = files.newProject();
  return {
    ...p,
    name: 'VVDS x DP1',
    specz: { ...p.specz, catalogId: 'sz-1' },
    photometry: { ...p.photometry, location: '/cats/dp1' },
  };
}

describe('ProjectFiles', () => {
  it('starts a project with the form defaults', () => {
    const p = files.newProject();
    expect(p.crossmatch).toEqual({ radiusArcsec: 1, nNeighbors: 1, join: 'inner' });
    expect(p.photometry.fluxType).toBe('auto');
    expect(p.photometry.convertToMagnitudes).toBe(true);
    expect(p.photometry.dereddening.map).toBe('sfd');
    expect(p.split.trainFraction).toBe(0.7);
    expect(p.output.format).toBe('parquet');
    expect(files.validate(p).map((i) => i.path)).toEqual([
      'name',
      'specz.path',
      'photometry.location',
    ]);
  });

  it('saves with the .tsm.json suffix, reopens the same project and lists it as recent', async () => {
    const saved = await files.save(join(dir, 'first'), validProject());
    expect(saved.path).toBe(join(dir, 'first.tsm.json'));
    expect(JSON.parse(readFileSync(saved.path, 'utf8')).name).toBe('VVDS x DP1');
    const opened = await files.open(saved.path);
    expect(opened.project).toEqual(saved.project);
    const recent = await files.recent();
    expect(recent.map((r) => [r.path, r.name])).toEqual([[saved.path, 'VVDS x DP1']]);
  });

  it('creates the folder of a new project file', async () => {
    const saved = await files.save(join(dir, 'new', 'folder', 'x'), validProject());
    expect(saved.path).toBe(join(dir, 'new', 'folder', 'x.tsm.json'));
    expect((await files.open(saved.path)).project.name).toBe('VVDS x DP1');
  });

  it("saves and opens a relative path in the data folder's projects/, not the app's working folder", async () => {
    const saved = await files.save('relative', validProject());
    expect(saved.path).toBe(join(dir, 'projects', 'relative.tsm.json'));
    expect(existsSync(join(process.cwd(), 'relative.tsm.json'))).toBe(false);
    expect((await files.open('relative.tsm.json')).path).toBe(saved.path);
    await expect(files.save('../escape', validProject())).rejects.toThrow(
      "'../escape' leads out of the data folder's projects/, where a relative path is; give an absolute path for a project file elsewhere",
    );
    expect(existsSync(join(dir, 'escape.tsm.json'))).toBe(false);
  });

  it('refuses to save an invalid project, naming the file and the field', async () => {
    await expect(files.save(join(dir, 'bad.tsm.json'), files.newProject())).rejects.toThrow(
      /bad\.tsm\.json: name: This field is required/,
    );
  });

  it('opens an original config.yml and names the keys it ignores', async () => {
    const path = join(dir, 'config.yml');
    writeFileSync(
      path,
      [
        'inputs:',
        '  dataset: { path: /d }',
        '  specz: [{ path: s.csv, columns: { ra: ra, dec: dec, z: z } }]',
        'param: { crossmatch: { radius_arcsec: 2, nneighbors: 3 } }',
      ].join('\n'),
    );
    const opened = await files.open(path);
    expect(opened.project.crossmatch.radiusArcsec).toBe(2);
    expect(opened.warnings).toEqual([
      `${path}: param.crossmatch.nneighbors is not a key of the original config.yml and is ignored; check its spelling`,
    ]);
    // Save writes config.tsm.json beside it, never JSON over the original's YAML
    expect(opened.savePath).toBe(join(dir, 'config.tsm.json'));
    const saved = await files.save(path, opened.project);
    expect(saved.path).toBe(join(dir, 'config.tsm.json'));
    expect(readFileSync(path, 'utf8')).toContain('nneighbors: 3');
    const reopened = await files.open(saved.path);
    expect(reopened.warnings).toBeUndefined();
    expect(reopened.savePath).toBe(saved.path);
    expect(reopened.project.crossmatch.radiusArcsec).toBe(2);
  });

  // a project written by hand (or for tsm run) with paths beside it: the app ran it against its
  // run folder ('<data>/runs/main/demo-output/...: no such folder') where tsm run reads it fine
  it("opens a project's relative catalog paths as tsm run reads them: from the project file's folder", async () => {
    const folder = join(dir, 'sets');
    mkdirSync(folder);
    const path = join(folder, 'rel.tsm.json');
    const p = validProject();
    writeFileSync(
      path,
      JSON.stringify({
        ...p,
        specz: { ...p.specz, catalogId: null, path: '../data/specz.parquet' },
        photometry: {
          ...p.photometry,
          location: 'cats/dp1_object',
          dereddening: { map: 'maps/my_ebv.fits', scale: 1 },
        },
        output: { ...p.output, folder: 'out' },
      }),
    );
    const { project } = await files.open(path);
    expect(project.specz.path).toBe(join(dir, 'data', 'specz.parquet'));
    expect(project.photometry.location).toBe(join(folder, 'cats', 'dp1_object'));
    expect(project.photometry.dereddening.map).toBe(join(folder, 'maps', 'my_ebv.fits'));
    // the app's own meaning of a relative output folder: inside the run's folder
    expect(project.output.folder).toBe('out');
    // a URL and a named map stay as they are
    writeFileSync(
      path,
      JSON.stringify({
        ...p,
        photometry: { ...p.photometry, location: 'https://example.org/hats/dp1' },
      }),
    );
    const remote = (await files.open(path)).project;
    expect(remote.photometry.location).toBe('https://example.org/hats/dp1');
    expect(remote.photometry.dereddening.map).toBe('sfd');
  });

  it('refuses to open a broken file, naming it', async () => {
    const path = join(dir, 'broken.tsm.json');
    writeFileSync(path, '{"version": 1, "name": "x", ');
    await expect(files.open(path)).rejects.toThrow(/broken\.tsm\.json: is not valid JSON/);
  });

  it(`keeps the ${RECENT_LIMIT} most recent projects, newest first, without duplicates`, async () => {
    for (let i = 0; i < RECENT_LIMIT + 2; i++)
      await files.save(join(dir, `p${i}.tsm.json`), validProject());
    await files.save(join(dir, 'p3.tsm.json'), validProject());
    const recent = await files.recent();
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent[0].path).toBe(join(dir, 'p3.tsm.json'));
    expect(recent.filter((r) => r.path.endsWith('p3.tsm.json'))).toHaveLength(1);
    expect(recent.some((r) => r.path.endsWith('p0.tsm.json'))).toBe(false);
  });

  it('lists every project saved at once (two windows): the last writer of recent.json dropped the others', async () => {
    const paths = Array.from({ length: 6 }, (_, i) => join(dir, `w${i}.tsm.json`));
    await Promise.all(paths.map((p) => files.save(p, validProject())));
    expect((await files.recent()).map((r) => r.path).sort()).toEqual(paths.sort());
  });

  it('autosaves an incomplete draft and loads it back', async () => {
    expect(await files.loadDraft()).toBeNull();
    const draft = { ...files.newProject(), description: 'half done' };
    const saved = await files.saveDraft(draft, null);
    expect(saved).toEqual({ saved: true, revision: expect.any(String) });
    expect(await files.loadDraft()).toEqual({
      project: draft,
      projectPath: null,
      revision: saved.saved && saved.revision,
    });
  });

  it('keeps the project file a draft was saved to, so Save writes there after a restart', async () => {
    const saved = await files.save('v2', validProject());
    expect(saved.path).toBe(join(dir, 'projects', 'v2.tsm.json'));
    const draft = { ...saved.project, description: 'edited after saving' };
    await files.saveDraft(draft, saved.path);
    // a new ProjectFiles over the same data folder: the app started again
    const again = new ProjectFiles(join(dir, 'recent.json'), async () =>
      join(dir, 'draft.tsm.json'),
    );
    expect(await again.loadDraft()).toMatchObject({ project: draft, projectPath: saved.path });
  });

  it('reads a draft written before it kept its project file (the bare project)', async () => {
    const old = { ...files.newProject(), name: 'older draft' };
    writeFileSync(join(dir, 'draft.tsm.json'), JSON.stringify(old));
    expect(await files.loadDraft()).toEqual({ project: old, projectPath: null, revision: null });
  });

  it("does not write over another window's draft: a save from an older revision answers the newer one", async () => {
    const base = files.newProject();
    // two windows load the same draft
    const first = await files.saveDraft({ ...base, name: 'loaded' }, null);
    const loaded = (await files.loadDraft())!.revision;
    expect(first.saved && first.revision).toBe(loaded);
    // window A saves; window B, still on the revision it loaded, saves after it
    const a = await files.saveDraft({ ...base, name: 'from A' }, null, loaded);
    expect(a.saved).toBe(true);
    const b = await files.saveDraft({ ...base, name: 'from B' }, null, loaded);
    // it wrote over A's draft without a word
    expect(b).toEqual({ saved: false, current: await files.loadDraft() });
    expect((await files.loadDraft())!.project.name).toBe('from A');
    // B chose to keep its own: it saves over the revision it was shown
    const kept = await files.saveDraft(
      { ...base, name: 'from B' },
      null,
      !b.saved ? b.current.revision : null,
    );
    expect(kept.saved).toBe(true);
    expect((await files.loadDraft())!.project.name).toBe('from B');
    // without a revision (older callers) it writes
    expect((await files.saveDraft({ ...base, name: 'any' }, null)).saved).toBe(true);
  });

  it('checks and writes one save at a time: of two saves from one revision, one is refused', async () => {
    const base = files.newProject();
    const first = await files.saveDraft(base, null);
    const revision = first.saved ? first.revision : null;
    const both = await Promise.all([
      files.saveDraft({ ...base, name: 'A' }, null, revision),
      files.saveDraft({ ...base, name: 'B' }, null, revision),
    ]);
    expect(both.map((r) => r.saved)).toEqual([true, false]);
    expect((await files.loadDraft())!.project.name).toBe('A');
  });

  it('two processes (or stores) sharing the draft take turns: of two saves from one revision, one is refused', async () => {
    const other = new ProjectFiles(join(dir, 'recent.json'), async () =>
      join(dir, 'draft.tsm.json'),
    );
    const base = files.newProject();
    for (const round of [1, 2, 3]) {
      const first = await files.saveDraft(base, null);
      const revision = first.saved ? first.revision : null;
      const both = await Promise.all([
        files.saveDraft({ ...base, name: `A${round}` }, null, revision),
        other.saveDraft({ ...base, name: `B${round}` }, null, revision),
      ]);
      expect(both.filter((r) => r.saved)).toHaveLength(1);
      const kept = both[0]!.saved ? `A${round}` : `B${round}`;
      // the refused one is told of the draft that was kept
      const refused = both.find((r) => !r.saved);
      expect(refused && !refused.saved ? refused.current.project.name : null).toBe(kept);
      expect((await other.loadDraft())!.project.name).toBe(kept);
    }
    // no lock or .partial left beside it
    expect(readdirSync(dir).sort()).toEqual(['draft.tsm.json']);
  });

  it('saves over a draft it cannot read, or where there is none, whatever revision it had', async () => {
    writeFileSync(join(dir, 'draft.tsm.json'), JSON.stringify({ version: 99 }));
    expect((await files.saveDraft(files.newProject(), null, 'rev-gone')).saved).toBe(true);
    rmSync(join(dir, 'draft.tsm.json'));
    expect((await files.saveDraft(files.newProject(), null, 'rev-gone')).saved).toBe(true);
  });

  it('reads a draft an earlier build kept as version 1', async () => {
    const draft = { ...validProject(), version: 1 };
    writeFileSync(
      join(dir, 'draft.tsm.json'),
      JSON.stringify({ projectPath: null, project: draft }),
    );
    expect(await files.loadDraft()).toEqual({
      project: { ...draft, version: files.newProject().version },
      projectPath: null,
      revision: null,
    });
  });

  it('drops a stored project file that is not an absolute .tsm.json path', async () => {
    const draft = files.newProject();
    for (const bad of ['v2.tsm.json', '/etc/passwd', 42]) {
      writeFileSync(
        join(dir, 'draft.tsm.json'),
        JSON.stringify({ projectPath: bad, project: draft }),
      );
      expect(await files.loadDraft()).toEqual({
        project: draft,
        projectPath: null,
        revision: null,
      });
    }
  });
});

describe('SettingsStore', () => {
  it('starts from the defaults, validates and persists updates', async () => {
    const file = join(dir, 'settings.json');
    const defaults = {
      dataDir: dir,
      dustMapDir: '',
      workers: 2,
      cacheSizeMb: 512,
      stallSeconds: null,
    };
    const store = new SettingsStore(file, defaults);
    expect(await store.get()).toEqual(defaults);
    await expect(store.update({ workers: 0 })).rejects.toThrow(/Workers must be at least 1/);
    const maps = join(dir, 'maps');
    mkdirSync(maps);
    await store.update({ workers: 4, dustMapDir: maps });
    const again = new SettingsStore(file, defaults);
    expect(await again.get()).toEqual({ ...defaults, workers: 4, dustMapDir: maps });
  });

  it('refuses folders that cannot serve, naming them, and keeps what was saved', async () => {
    const file = join(dir, 'settings-folders.json');
    const defaults = {
      dataDir: dir,
      dustMapDir: '',
      workers: null,
      cacheSizeMb: 0,
      stallSeconds: null,
    };
    const store = new SettingsStore(file, defaults);
    await store.update({ cacheSizeMb: 5 });
    const saved = readFileSync(file, 'utf8');
    await expect(store.update({ dustMapDir: '/does/not/exist' })).rejects.toThrow(
      new UserError(
        'The dust-map folder /does/not/exist does not exist: choose the folder that holds the map files, or leave it empty for the dustmaps folder inside the data folder.',
      ),
    );
    await expect(store.update({ dataDir: 'relative/dir' })).rejects.toThrow(
      "The data folder must be a full path, such as /home/me/tsm-data (got 'relative/dir').",
    );
    const aFile = join(dir, 'a-file.txt');
    writeFileSync(aFile, 'x');
    await expect(store.update({ dataDir: aFile })).rejects.toThrow(
      `The data folder ${aFile} is a file: choose a folder.`,
    );
    await expect(store.update({ dustMapDir: aFile })).rejects.toThrow(
      / is a file: choose the folder/,
    );
    if (process.platform === 'linux') {
      await expect(store.update({ dataDir: '/proc/tsm-data' })).rejects.toThrow(
        "data folder /proc/tsm-data cannot be created there (its parent cannot hold folders): choose another data folder (ENOENT: no such file or directory, mkdir '/proc/tsm-data')",
      );
    }
    expect(readFileSync(file, 'utf8')).toBe(saved);
    expect((await store.get()).cacheSizeMb).toBe(5);
  });

  it('keeps workers null (chosen per run), the first launch default', async () => {
    const file = join(dir, 'settings-auto.json');
    const defaults = defaultSettings(dir);
    expect(defaults.workers).toBeNull();
    const store = new SettingsStore(file, { ...defaults, workers: 3 });
    await store.update({ workers: null });
    const again = new SettingsStore(file, { ...defaults, workers: 3 });
    expect((await again.get()).workers).toBeNull();
  });
});

describe('unregisteredCatalogIssues', () => {
  const catalog = (id: string, kind: 'specz' | 'photometric') =>
    ({ id, kind, name: id }) as unknown as CatalogSummary;

  it("names a project's spec-z catalog that is not registered (it opened and ran, to fail then)", () => {
    const p = validProject(); // specz.catalogId 'sz-1'
    expect(unregisteredCatalogIssues(p, [catalog('sz-1', 'specz')])).toEqual([]);
    // a stored folder the app cannot read (listed with its problem) is no catalog a run could use
    const unreadable = {
      ...catalog('sz-1', 'specz'),
      problem: 'registration.json is not valid JSON',
    };
    for (const list of [
      [],
      [catalog('sz-1', 'photometric')],
      [catalog('sz-2', 'specz')],
      [unreadable],
    ]) {
      expect(unregisteredCatalogIssues(p, list)).toEqual([
        {
          path: 'specz.catalogId',
          message:
            "no registered spec-z catalog 'sz-1' (deleted, or registered in another data folder): choose one in step 2, or register its file on the Catalogs page",
        },
      ]);
    }
    // a spec-z file given by path is not a registered catalog
    const byPath = { ...p, specz: { ...p.specz, catalogId: null, path: '/d/s.csv' } };
    expect(unregisteredCatalogIssues(byPath, [])).toEqual([]);
  });
});

describe('outputFolderIssues', () => {
  const withFolder = (folder: string) => {
    const p = validProject();
    return { ...p, output: { ...p.output, folder } };
  };

  it("names a relative output folder that leads out of the run's folder, on the field", () => {
    for (const folder of ['..', '../x', 'a/../../x', './../x', '..\\x']) {
      expect(outputFolderIssues(withFolder(folder)), folder).toEqual([
        {
          path: 'output.folder',
          message: `'${folder}' leads out of the run's own folder; give an absolute path for a folder elsewhere`,
        },
      ]);
    }
  });

  it('accepts folders inside the run folder, names starting with two dots, and absolute paths', () => {
    for (const folder of ['.', 'out', 'a/../b', '..data', 'x/..y', '/tmp/../elsewhere']) {
      expect(outputFolderIssues(withFolder(folder)), folder).toEqual([]);
    }
  });
});

describe('ProjectFiles: a recent-projects list that cannot be saved (a full disk)', () => {
  it('opens and saves the project anyway, with a warning (both failed, and Save said so though the file was written)', async () => {
    const saved = await files.save(join(dir, 'first'), validProject());
    // the list's write fails (here a folder in the place of its .partial)
    mkdirSync(join(dir, 'recent.json.partial'));
    const why = `EISDIR: illegal operation on a directory, open '${join(dir, 'recent.json.partial')}'`;
    const opened = await files.open(saved.path);
    expect(opened.project).toEqual(saved.project);
    expect(opened.warnings).toEqual([`The list of recent projects was not updated: ${why}`]);
    const again = await files.save(join(dir, 'second'), validProject());
    expect(JSON.parse(readFileSync(again.path, 'utf8')).name).toBe('VVDS x DP1');
    expect(again.warnings).toEqual([`The list of recent projects was not updated: ${why}`]);
    expect((await files.recent()).map((r) => r.path)).toEqual([saved.path]);
  });
});
