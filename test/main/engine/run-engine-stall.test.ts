/**
 * The app's stall-timeout setting (Settings: "Stall timeout for remote catalogs") reaches every
 * remote read the app makes: previewing, checking and registering a remote spec-z catalog,
 * adding a remote photometric catalog and a run. The server (test/helpers/fixture-server.ts) accepts the
 * connections and sends nothing; with the setting at 0.2 s each read fails within seconds, its
 * message saying "no data for 0.2 s" (with the default, 30 s, it would wait a minute). The
 * setting is sent as the renderer sends it, through dispatch (main/api-schemas.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject, type Project } from '../../../compute/pipeline/project';
import { createTestBackend } from '../../helpers/test-backend';
import { dispatch } from '../../../main/dispatch';
import type { TsmBackend } from '../../../main/tsm-service';
import type { RunRecord } from '../../../preload/api';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';
import { TSM_EXAMPLE } from '../../fixtures';
import { speczMapping } from '../../helpers/specz-mapping';

let dir: string;
let server: FixtureServer;
let backend: TsmBackend;
const savedEnv = process.env.TSM_CACHE_DIR;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-app-stall-'));
  // a fresh cache: nothing of these URLs is served from an earlier test's blocks
  process.env.TSM_CACHE_DIR = join(dir, 'cache');
  server = await startFixtureServer({ root: TSM_EXAMPLE });
  backend = createTestBackend(join(dir, 'config'), join(dir, 'data'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  if (savedEnv === undefined) delete process.env.TSM_CACHE_DIR;
  else process.env.TSM_CACHE_DIR = savedEnv;
});
beforeEach(() => {
  server.faults.trickleNext = { count: 1000, ms: 0, silent: true };
});

async function call(method: string, ...args: unknown[]): Promise<unknown> {
  const reply = await dispatch(backend.service, method, args);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

const stalled = (url: string) =>
  new RegExp(`Could not download ${url}\\S*: the server stalled: no data for 0\\.2 s`);

describe('the stall timeout setting of remote catalogs', () => {
  it('is saved from a request, and every remote read of the app keeps to it', async () => {
    expect(await call('updateSettings', { stallSeconds: 0.2 })).toMatchObject({
      stallSeconds: 0.2,
    });
    const specz = server.urlFor(join(TSM_EXAMPLE, 'specz_collection'));
    const photometry = server.urlFor(join(TSM_EXAMPLE, 'dr2'));

    let started = Date.now();
    await expect(call('previewSpecz', specz)).rejects.toThrow(stalled(specz));
    expect(Date.now() - started).toBeLessThan(10_000);

    const mapping = speczMapping();
    started = Date.now();
    await expect(call('validateSpecz', { path: specz, mapping })).rejects.toThrow(stalled(specz));
    expect(Date.now() - started).toBeLessThan(10_000);

    started = Date.now();
    await expect(
      call('registerSpecz', {
        path: specz,
        mapping,
        name: 'remote',
      }),
    ).rejects.toThrow(stalled(specz));
    expect(Date.now() - started).toBeLessThan(10_000);

    started = Date.now();
    await expect(call('addPhotometric', { location: photometry })).rejects.toThrow(
      stalled(photometry),
    );
    expect(Date.now() - started).toBeLessThan(10_000);

    const base = defaultProject();
    const project: Project = {
      ...base,
      name: 'stalled',
      specz: { ...base.specz, path: join(TSM_EXAMPLE, 'specz.parquet') },
      photometry: { ...base.photometry, location: photometry },
      output: { format: 'parquet', folder: join(dir, 'out') },
    };
    const finished = new Promise<RunRecord>((resolve) =>
      backend.addSink((event, payload) => {
        if (event === 'runFinished') resolve(payload as RunRecord);
      }),
    );
    started = Date.now();
    await call('startRun', project);
    const record = await finished;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(stalled(photometry));
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);
});
