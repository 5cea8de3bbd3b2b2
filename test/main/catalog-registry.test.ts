import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, readSpeczPositions } from '../../compute/demo/surveys';
import { CancelledError } from '../../compute/errors';
import { CatalogRegistry } from '../../main/catalog-registry';
import { createEngine } from '../../main/engine';
import { createSpeczEngine } from '../../main/engine/specz';
import type { SpeczReadProgress } from '../../preload/api';
import { LSDB_DATA, TSM_EXAMPLE } from '../fixtures';
import { startFixtureServer } from '../helpers/fixture-server';
import { speczMapping } from '../helpers/specz-mapping';

let dir: string;
let registry: CatalogRegistry;
let dp1: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-registry-'));
  const settings = async () => ({ dataDir: join(dir, 'data'), dustMapDir: '' });
  registry = new CatalogRegistry(async () => join(dir, 'data'), createEngine(settings).catalogs);
  const generated = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed: 3,
    specz: await readSpeczPositions(join(TSM_EXAMPLE, 'specz.parquet')),
  });
  dp1 = generated.find((g) => g.survey === 'lsst-dp1')!.path;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CatalogRegistry with the engine', () => {
  it('adds the TSM example photometric catalog with its stored row count, columns and partition', async () => {
    const location = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
    const c = await registry.addPhotometric({ location });
    expect(c).toMatchObject({
      kind: 'photometric',
      name: 'mini_dataset',
      location,
      rowCount: 40,
      partitions: 1,
    });
    // One order-0 partition (pixel 4, centred on RA 0, Dec 0) covers 1/12 of the sky.
    expect(c.coverage.skyFraction).toBeCloseTo(1 / 12, 12);
    expect(c.coverage.points).toEqual([{ raDeg: 0, decDeg: 0, order: 0 }]);
    // Only ra/dec/id: no survey flux columns, so a generic profile with nothing to convert.
    expect(c.profile).toMatchObject({ id: 'generic', fluxTypes: [], canConvertToMag: false });
    expect(c.profile!.dustMaps).toEqual([{ name: 'none', label: 'None' }]);
  });

  it('detects the DP1 profile of a DP1-like collection: bands, flux types and usable dust maps', async () => {
    const c = await registry.addPhotometric({ location: dp1, name: 'DP1 test' });
    expect(c.name).toBe('DP1 test');
    expect(c.rowCount).toBe(320);
    expect(c.profile?.id).toBe('lsst-dp1');
    expect(c.profile?.bands).toEqual(['u', 'g', 'r', 'i', 'z', 'y']);
    expect(c.profile?.fluxTypes.map((f) => f.name)).toContain('cmodel');
    expect(c.profile?.canConvertToMag).toBe(true);
    // No dust-map folder configured: none, SFD (the default, offered without its files: the
    // wizard's field then says where to get them) and the embedded low-resolution SFD map.
    expect(c.profile?.dustMaps.map((d) => d.name)).toEqual(['none', 'sfd', 'sfd-lowres']);
    expect(c.columns.map((col) => col.name)).toContain('g_cModelFlux');
  });

  it('stores generic band columns for a photometric catalog and offers their flux type and dust maps', async () => {
    const dp1Entry = (await registry.list()).find((c) => c.name === 'DP1 test')!;
    const choices = {
      idColumn: 'objectId',
      raColumn: 'coord_ra',
      decColumn: 'coord_dec',
      bands: [
        { band: 'g', flux: 'g_cModelFlux', fluxErr: 'g_cModelFluxErr' },
        { band: 'r', flux: 'r_cModelFlux' },
      ],
      zeroPointMag: 31.4,
      extinction: { g: 3.237, r: 2.176 },
    };
    const updated = await registry.setGenericColumns(dp1Entry.id, choices);
    expect(updated.profile).toEqual({
      id: 'generic',
      label: 'generic HATS',
      bands: ['g', 'r'],
      fluxTypes: [{ name: 'custom', label: 'custom' }],
      dustMaps: [
        { name: 'none', label: 'None' },
        { name: 'sfd', label: expect.stringMatching(/^SFD98/) },
        { name: 'sfd-lowres', label: expect.any(String) },
      ],
      canConvertToMag: true,
    });
    // Stored with the catalog (read back from index.json).
    expect((await registry.get(dp1Entry.id)).generic).toEqual(choices);
    await expect(
      registry.setGenericColumns(dp1Entry.id, {
        ...choices,
        bands: [{ band: 'g', flux: 'g_nope' }],
      }),
    ).rejects.toThrow(
      /column 'g_nope' \(generic profile field bands\[0\]\.flux\) is not in the catalog/,
    );
    expect((await registry.get(dp1Entry.id)).profile?.bands).toEqual(['g', 'r']);
  });

  it('lists, gets and deletes catalogs without touching the user folder', async () => {
    const list = await registry.list();
    expect(list.map((c) => c.name)).toEqual(['mini_dataset', 'DP1 test']);
    const target = list[1];
    expect((await registry.get(target.id)).location).toBe(dp1);
    await registry.delete(target.id);
    expect((await registry.list()).map((c) => c.name)).toEqual(['mini_dataset']);
    expect(existsSync(dp1)).toBe(true);
    await expect(registry.get(target.id)).rejects.toThrow(/There is no catalog/);
  });

  it('reports a folder that is not HATS in the reader words', async () => {
    await expect(registry.addPhotometric({ location: dir })).rejects.toThrow(
      /no hats\.properties, properties or collection\.properties file/,
    );
  });

  it('refuses a second photometric catalog of the same name, and keeps the list as it was', async () => {
    const before = await registry.list();
    const location = join(LSDB_DATA, 'small_sky');
    await expect(registry.addPhotometric({ location, name: 'mini_dataset' })).rejects.toThrow(
      "A photometric catalog named 'mini_dataset' exists already; give this one another name.",
    );
    expect(await registry.list()).toEqual(before);
  });

  it('refuses the folder added already without a name by its folder, not by its name', async () => {
    const before = await registry.list();
    const location = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
    // its own name is the one taken: "give this one another name" led to the folder refused next
    await expect(registry.addPhotometric({ location })).rejects.toThrow(
      `${location} is already the photometric catalog 'mini_dataset'; choose that one in the wizard`,
    );
    expect(await registry.list()).toEqual(before);
  });

  it('refuses the folder of a photometric catalog added already, under any name or spelling', async () => {
    const before = await registry.list();
    const location = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
    // the wizard finds a project's catalog by its folder: a second one there could not be chosen
    for (const spelling of [location, `${location}/`, `${location}/../catalog`]) {
      await expect(
        registry.addPhotometric({ location: spelling, name: 'mini again' }),
      ).rejects.toThrow(
        `${spelling} is already the photometric catalog 'mini_dataset'; choose that one in the wizard`,
      );
    }
    expect(await registry.list()).toEqual(before);
  });

  it('refuses a margin catalog when it is added, naming its primary catalog', async () => {
    const before = await registry.list();
    const margin = join(LSDB_DATA, 'small_sky_xmatch_margin');
    await expect(registry.addPhotometric({ location: margin, name: 'margin' })).rejects.toThrow(
      new RegExp(
        `^${margin}/? is a margin catalog, not an object catalog\\. Open its primary catalog instead \\(hats_primary_table_url=`,
      ),
    );
    expect(await registry.list()).toEqual(before);
  });

  // A small field near RA 0 fits radian ranges too: the units cannot be told from the values.
  it('registers a file whose degrees also fit radian ranges once the user says degrees', async () => {
    const file = join(dir, 'near-ra0.csv');
    writeFileSync(file, 'id,ra,dec,z\n1,0.1,-0.1,0.5\n2,0.2,-0.2,0.6\n3,1.5,0.3,0.7\n');
    const preview = await registry.preview(file);
    expect(preview.mapping).toMatchObject({ ra: 'ra', dec: 'dec', z: 'z', id: 'id' });
    await expect(registry.validate(file, preview.mapping)).rejects.toThrow(
      /fits radian ranges .* say which \(the app's RA\/Dec units, or --angle-units deg/,
    );
    const report = await registry.validate(file, preview.mapping, 'deg');
    expect(report).toMatchObject({ ok: true, rowsRead: 3, rowsValid: 3, angleUnits: 'deg' });
    const asDegrees = await registry.registerSpecz({
      path: file,
      mapping: preview.mapping,
      angleUnits: 'deg',
      name: 'near ra0 deg',
    });
    const asRadians = await registry.registerSpecz({
      path: file,
      mapping: preview.mapping,
      angleUnits: 'rad',
      name: 'near ra0 rad',
    });
    // the stored positions: 1.5 deg, or 1.5 rad = 85.94 deg (RA of the third row)
    const ras = (c: typeof asDegrees) => c.coverage.points.map((p) => p.raDeg);
    expect(asDegrees.rowCount).toBe(3);
    expect(Math.max(...ras(asRadians))).toBeGreaterThan(45);
    expect(Math.max(...ras(asDegrees))).toBeLessThan(45);
  });

  it('previews and registers a spec-z HATS collection given by its http address', async () => {
    const server = await startFixtureServer({ root: TSM_EXAMPLE });
    try {
      const url = server.urlFor(join(TSM_EXAMPLE, 'specz_collection'));
      const preview = await registry.preview(url);
      expect(preview.format).toBe('hats');
      expect(preview.mapping).toMatchObject({ ra: 'ra', dec: 'dec', z: 'z' });
      const remote = await registry.registerSpecz({
        path: url,
        mapping: preview.mapping,
        name: 'by url',
      });
      const local = await registry.registerSpecz({
        path: join(TSM_EXAMPLE, 'specz_collection'),
        mapping: preview.mapping,
        name: 'from disk',
      });
      expect(remote.sourcePath).toBe(url);
      expect(remote.rowCount).toBe(local.rowCount);
      expect(remote.rowCount).toBeGreaterThan(0);
      expect(remote.coverage.points).toEqual(local.coverage.points);
    } finally {
      await server.close();
    }
  });

  it('removes an uploaded copy once it is registered, never a file of the user', async () => {
    const uploads = join(dir, 'data', 'uploads');
    mkdirSync(uploads, { recursive: true });
    const body = 'id,ra,dec,z\n1,10,20,0.5\n2,11,21,0.6\n';
    const uploaded = join(uploads, '1764000000000-mine.csv');
    const own = join(dir, 'mine.csv');
    writeFileSync(uploaded, body);
    writeFileSync(own, body);
    const preview = await registry.preview(uploaded);
    const registered = await registry.registerSpecz({
      path: uploaded,
      mapping: preview.mapping,
      name: 'uploaded one',
    });
    expect(existsSync(uploaded)).toBe(false);
    // "Registered from" named the copy just removed (uploads/1764000000000-mine.csv)
    expect(registered.sourcePath).toBe('mine.csv (uploaded)');
    expect((await registry.get(registered.id)).sourcePath).toBe('mine.csv (uploaded)');
    await registry.registerSpecz({ path: own, mapping: preview.mapping, name: 'own one' });
    expect(existsSync(own)).toBe(true);
  });

  // README's demo: "demo-output/catalogs/dp1_object" typed on the Catalogs page was stored as
  // typed, so the saved project's `tsm run` looked for it beside the project file
  it('stores a catalog added or registered by a relative path as the absolute path it names', async () => {
    const location = join(LSDB_DATA, 'small_sky_xmatch');
    const added = await registry.addPhotometric({
      location: relative(process.cwd(), location),
      name: 'relative one',
    });
    expect(added.location).toBe(location);
    expect((await registry.get(added.id)).location).toBe(location);
    const file = join(dir, 'relative.csv');
    writeFileSync(file, 'id,ra,dec,z\n1,10,20,0.5\n');
    const typed = relative(process.cwd(), file);
    const preview = await registry.preview(typed);
    const registered = await registry.registerSpecz({
      path: typed,
      mapping: preview.mapping,
      name: 'relative spec-z',
    });
    expect(registered.sourcePath).toBe(file);
  });
});

describe('CatalogRegistry cancel', () => {
  /** Waits until `check` holds (polling), or fails after `ms`. */
  async function until(check: () => boolean, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('stops adding a remote catalog whose server keeps failing, and adds nothing', async () => {
    const server = await startFixtureServer({ root: TSM_EXAMPLE });
    try {
      server.faults.failNext = { count: 1000, status: 503 };
      const url = server.urlFor(join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog'));
      const adding = registry.addPhotometric({ location: url, requestId: 'add-1' });
      const outcome = adding.then(
        () => 'added',
        (err: unknown) => err,
      );
      await until(() => server.log.length > 0);
      const cancelledAt = Date.now();
      registry.cancel('add-1');
      const err = await outcome;
      expect(err).toBeInstanceOf(CancelledError);
      // the backoff sleep is cut short, not waited out
      expect(Date.now() - cancelledAt).toBeLessThan(1000);
      const requests = server.log.length;
      server.faults.failNext = undefined;
      await new Promise((r) => setTimeout(r, 1500));
      expect(server.log.length).toBe(requests);
      expect((await registry.list()).some((c) => c.location === url)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('stops previewing a remote spec-z catalog whose server stalls, at Cancel', async () => {
    const server = await startFixtureServer({ root: TSM_EXAMPLE });
    try {
      // the partition's server accepts and sends nothing: the preview waited for it (30 s a try)
      server.faults.trickleNext = { count: 1000, ms: 0, silent: true, match: /Npix=/ };
      const url = server.urlFor(join(TSM_EXAMPLE, 'specz_collection'));
      const previewing = registry.preview(url, 'preview-1').catch((err: unknown) => err);
      await until(() => server.log.some((r) => /Npix=/.test(r.path)));
      const cancelledAt = Date.now();
      registry.cancel('preview-1');
      expect(await previewing).toBeInstanceOf(CancelledError);
      expect(Date.now() - cancelledAt).toBeLessThan(1000);
      // main reads no further: no request after the cancel
      const requests = server.log.length;
      server.faults.trickleNext = undefined;
      await new Promise((r) => setTimeout(r, 500));
      expect(server.log.length).toBe(requests);
      // and the same id can preview again
      expect((await registry.preview(url, 'preview-1')).mapping).toMatchObject({ ra: 'ra' });
    } finally {
      await server.close();
    }
  });

  it('refuses a request cancelled before it arrived', async () => {
    registry.cancel('add-early');
    const location = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
    await expect(
      registry.addPhotometric({ location, name: 'early', requestId: 'add-early' }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect((await registry.list()).some((c) => c.name === 'early')).toBe(false);
  });

  it('stops registering a spec-z catalog given by a failing http address, leaving no folder', async () => {
    const server = await startFixtureServer({ root: TSM_EXAMPLE });
    try {
      const url = server.urlFor(join(TSM_EXAMPLE, 'specz_collection'));
      const preview = await registry.preview(url);
      server.faults.failNext = { count: 1000, status: 503 };
      const registering = registry
        .registerSpecz({
          path: url,
          mapping: preview.mapping,
          name: 'cancelled',
          requestId: 'reg-1',
        })
        .catch((err: unknown) => err);
      const before = server.log.length;
      await until(() => server.log.length > before);
      registry.cancel('reg-1');
      expect(await registering).toBeInstanceOf(CancelledError);
      expect((await registry.list()).some((c) => c.name === 'cancelled')).toBe(false);
      expect(existsSync(join(dir, 'data', 'catalogs', 'cancelled'))).toBe(false);
      expect(existsSync(join(dir, 'data', 'catalogs', 'cancelled.partial'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('CatalogRegistry: a large file checked', () => {
  /** A 25-row spec-z CSV. */
  const file = () => {
    const path = join(dir, 'checked.csv');
    const lines = ['id,ra,dec,z'];
    for (let i = 1; i <= 25; i++) lines.push(`${i},${10 + i / 100},${-5 - i / 50},${i / 40}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const mapping = speczMapping({ id: 'id' });

  it('stops checking a file at Cancel, and answers that it was cancelled', async () => {
    const path = file();
    const checking = registry.validate(path, mapping, undefined, 'check-1');
    registry.cancel('check-1');
    await expect(checking).rejects.toBeInstanceOf(CancelledError);
    // without the id, the same file is read to its end
    expect(await registry.validate(path, mapping)).toMatchObject({ ok: true, rowsRead: 25 });
  });

  const events: { requestId: string; progress: SpeczReadProgress }[] = [];
  /** A registry reading 10 rows a batch, whose progress goes to `events` (and to `then`). */
  const reading = (then: (requestId: string) => void = () => {}) => {
    events.length = 0;
    const settings = async () => ({ dataDir: join(dir, 'data'), dustMapDir: '' });
    const engine = {
      ...createEngine(settings).catalogs,
      ...createSpeczEngine(async () => ({}), { batchRows: 10, progressIntervalMs: 0 }),
    };
    return new CatalogRegistry(
      async () => join(dir, 'data'),
      engine,
      (requestId, progress) => {
        events.push({ requestId, progress });
        then(requestId);
      },
    );
  };

  it('a check cancelled at its first report reads no further', async () => {
    const small: CatalogRegistry = reading((requestId) => small.cancel(requestId));
    const checking = small.validate(file(), mapping, undefined, 'check-2');
    await expect(checking).rejects.toBeInstanceOf(CancelledError);
    expect(events.map((e) => [e.requestId, e.progress.rowsRead])).toEqual([['check-2', 10]]);
  });

  it('reports how far a check and a registration read, under their request id', async () => {
    const small = reading();
    const path = file();
    const report = await small.validate(path, mapping, undefined, 'check-3');
    expect(report).toMatchObject({ ok: true, rowsRead: 25 });
    expect(events.map((e) => [e.requestId, e.progress.phase, e.progress.rowsRead])).toEqual([
      ['check-3', 'read', 10],
      ['check-3', 'read', 20],
      ['check-3', 'read', 25],
      ['check-3', 'read', 25],
    ]);
    await small.registerSpecz({ path, mapping, name: 'followed', requestId: 'reg-3' });
    expect(
      events.slice(4).map((e) => [e.requestId, e.progress.phase, e.progress.rowsRead]),
    ).toEqual([
      ['reg-3', 'read', 10],
      ['reg-3', 'read', 20],
      ['reg-3', 'read', 25],
      ['reg-3', 'read', 25],
      ['reg-3', 'write', 25],
    ]);
    // a call without an id is not followed
    events.length = 0;
    await small.validate(path, mapping);
    expect(events).toEqual([]);
  });
});

describe('a registration whose catalog list cannot be saved', () => {
  it('leaves no stored copy behind: the same name registers once the list can be saved', async () => {
    // the list's write fails (here a folder in the place of its .partial; on a laptop, a disk
    // filled by the stored copy): the copy stayed, unlisted, and took the name ("a spec-z
    // catalog named 'sz' is already registered") until deleted by hand
    const data = join(dir, 'data-list-fails');
    const own = new CatalogRegistry(
      async () => data,
      createEngine(async () => ({ dataDir: data, dustMapDir: '' })).catalogs,
    );
    const blocker = join(data, 'catalogs', 'index.json.partial');
    mkdirSync(blocker, { recursive: true });
    const request = {
      path: join(TSM_EXAMPLE, 'specz.parquet'),
      mapping: speczMapping({ id: 'id' }),
      name: 'sz',
    };
    await expect(own.registerSpecz(request)).rejects.toThrow(/EISDIR/);
    expect(existsSync(join(data, 'catalogs', 'sz'))).toBe(false);
    expect(await own.list()).toEqual([]);
    rmSync(blocker, { recursive: true });
    const c = await own.registerSpecz(request);
    expect(c).toMatchObject({ kind: 'specz', name: 'sz', rowCount: 80 }); // pyarrow: 80 rows
    expect((await own.list()).map((x) => x.name)).toEqual(['sz']);
  });
});
