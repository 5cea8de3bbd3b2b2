import { describe, expect, it } from 'vitest';
import { UserError } from '../../compute/errors';
import { dispatch, type TsmService } from '../../main/dispatch';

const service = {
  getTablePage: async (id: string, offset: number, limit: number) => ({ id, offset, limit }),
  deleteCatalog: async (id: string) => {
    throw new UserError(`There is no catalog '${id}'; it may have been deleted.`);
  },
  updateSettings: async (patch: object) => patch,
  uploadFile: async (name: string, data: Uint8Array) => `${name}:${data.length}`,
  setGenericColumns: async (id: string, choices: object) => ({ id, choices }),
  cancelCatalogRequest: async () => undefined,
  addPhotometric: async (request: object) => request,
  saveDraft: async () => undefined,
} as unknown as TsmService;

describe('dispatch', () => {
  it('runs a valid call and wraps the value', async () => {
    expect(await dispatch(service, 'getTablePage', ['run-1', 0, 25])).toEqual({
      ok: true,
      value: { id: 'run-1', offset: 0, limit: 25 },
    });
  });

  it('refuses unknown methods', async () => {
    expect(await dispatch(service, 'constructor', [])).toEqual({
      ok: false,
      error: { name: 'UserError', message: "Unknown request 'constructor'." },
    });
  });

  it('refuses ids that could leave their folder, naming the argument', async () => {
    const reply = await dispatch(service, 'getTablePage', ['../../etc', 0, 25]);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.message).toMatch(/getTablePage argument 0: must be an id/);
  });

  it('checks the request id of a catalog call and of its cancel', async () => {
    expect(await dispatch(service, 'cancelCatalogRequest', ['catalog-1'])).toEqual({
      ok: true,
      value: null,
    });
    const bad = await dispatch(service, 'cancelCatalogRequest', ['']);
    expect(!bad.ok && bad.error.message).toMatch(/cancelCatalogRequest argument 0/);
    const add = await dispatch(service, 'addPhotometric', [{ location: '/c', requestId: 'a/b' }]);
    expect(!add.ok && add.error.message).toMatch(/addPhotometric argument 0.requestId/);
  });

  it('refuses out-of-range numbers and extra arguments', async () => {
    const big = await dispatch(service, 'getTablePage', ['run-1', 0, 5000]);
    expect(!big.ok && big.error.message).toMatch(/getTablePage argument 2/);
    const extra = await dispatch(service, 'getTablePage', ['run-1', 0, 5, 'x']);
    expect(extra.ok).toBe(false);
  });

  it('checks the project file a draft belongs to: absolute, a .tsm.json, or none', async () => {
    const draft = { version: 2, name: 'x' };
    for (const ok of ['/data/projects/v2.tsm.json', null]) {
      expect(await dispatch(service, 'saveDraft', [draft, ok])).toEqual({ ok: true, value: null });
    }
    for (const bad of ['v2.tsm.json', '/data/settings.json', '']) {
      const reply = await dispatch(service, 'saveDraft', [draft, bad]);
      expect(!reply.ok && reply.error.message).toMatch(/^Invalid request\. saveDraft argument 1: /);
    }
    // the revision the window last loaded or saved: a text, or null for none
    for (const revision of ['0b6f1c1e-rev', null]) {
      const reply = await dispatch(service, 'saveDraft', [draft, null, revision]);
      expect(reply.ok).toBe(true);
    }
    const badRevision = await dispatch(service, 'saveDraft', [draft, null, 42]);
    expect(!badRevision.ok && badRevision.error.message).toMatch(/saveDraft argument 2: /);
  });

  it('refuses unknown settings fields and bad worker counts', async () => {
    const unknown = await dispatch(service, 'updateSettings', [{ evil: 1 }]);
    expect(!unknown.ok && unknown.error.message).toMatch(/updateSettings argument 0/);
    const workers = await dispatch(service, 'updateSettings', [{ workers: 0 }]);
    expect(!workers.ok && workers.error.message).toMatch(/workers/);
    expect(await dispatch(service, 'updateSettings', [{ workers: 3 }])).toEqual({
      ok: true,
      value: { workers: 3 },
    });
    expect(await dispatch(service, 'updateSettings', [{ workers: null }])).toEqual({
      ok: true,
      value: { workers: null },
    });
  });

  it('takes a stall timeout of seconds above 0, at most a day, or null; refuses others naming the field', async () => {
    for (const bad of [0, -1, 86_401, '30']) {
      const reply = await dispatch(service, 'updateSettings', [{ stallSeconds: bad }]);
      expect(!reply.ok && reply.error.message).toMatch(
        /^Invalid request\. updateSettings argument 0\.stallSeconds: /,
      );
    }
    for (const ok of [0.5, 120, 86_400, null]) {
      expect(await dispatch(service, 'updateSettings', [{ stallSeconds: ok }])).toEqual({
        ok: true,
        value: { stallSeconds: ok },
      });
    }
  });

  it('refuses upload names with folders and accepts bytes', async () => {
    const bad = await dispatch(service, 'uploadFile', ['../x.csv', new Uint8Array(2)]);
    expect(!bad.ok && bad.error.message).toMatch(/file name without folders/);
    expect(await dispatch(service, 'uploadFile', ['x.csv', new Uint8Array(2)])).toEqual({
      ok: true,
      value: 'x.csv:2',
    });
  });

  it('checks generic column choices with the engine schema and fills its defaults', async () => {
    const none = await dispatch(service, 'setGenericColumns', ['phot-1', { bands: [] }]);
    expect(!none.ok && none.error.message).toMatch(/setGenericColumns argument 1\.bands/);
    const numberAsText = await dispatch(service, 'setGenericColumns', [
      'phot-1',
      { bands: [{ band: 'g', flux: 'f_g' }], zeroPointMag: '31.4' },
    ]);
    expect(!numberAsText.ok && numberAsText.error.message).toMatch(/argument 1\.zeroPointMag/);
    const ok = await dispatch(service, 'setGenericColumns', [
      'phot-1',
      { bands: [{ band: 'g', flux: 'f_g' }] },
    ]);
    expect(ok.ok && ok.value).toEqual({
      id: 'phot-1',
      choices: {
        bands: [{ band: 'g', flux: 'f_g' }],
        fluxTypeId: 'custom',
        fluxUnit: 'nJy',
        zeroPointMag: 31.4,
        extinction: {},
        qualityFilter: null,
      },
    });
  });

  it('passes the engine message of a failed call through unchanged', async () => {
    expect(await dispatch(service, 'deleteCatalog', ['sz-1'])).toEqual({
      ok: false,
      error: {
        name: 'UserError',
        message: "There is no catalog 'sz-1'; it may have been deleted.",
      },
    });
  });
});
