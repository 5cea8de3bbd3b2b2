import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossmatch } from '../../../compute/crossmatch/crossmatch';
import { openObjectCatalog } from '../../../compute/hats';
import { LSDB_DATA } from '../../fixtures';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';
import { collect } from '../crossmatch/golden';

let server: FixtureServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startFixtureServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'tsm-pool-http-'));
});
afterAll(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const ipc = (tables: Table[]) =>
  tables.map((t) => Buffer.from(tableToIPC(t, 'stream')).toString('base64'));

describe('crossmatch workers re-open http(s) catalogs by URL', () => {
  it('gives the same tables over HTTP with 2 workers as locally in-process', async () => {
    const local = await openObjectCatalog(join(LSDB_DATA, 'small_sky_xmatch'), {
      margin: join(LSDB_DATA, 'small_sky_xmatch_margin'),
    });
    const localLeft = (await openObjectCatalog(join(LSDB_DATA, 'small_sky'))).catalog;
    const want = await collect(
      crossmatch(localLeft, local.catalog, {
        radiusArcsec: 7200,
        nNeighbors: 3,
        rightMargin: local.margin,
        workers: 0,
      }),
    );
    const url = (n: string) => server.urlFor(join(LSDB_DATA, n));
    const remote = await openObjectCatalog(url('small_sky_xmatch'), {
      margin: url('small_sky_xmatch_margin'),
    });
    const remoteLeft = (await openObjectCatalog(url('small_sky'))).catalog;
    expect(remote.catalog.location).toMatch(/^http:/);
    const got = await collect(
      crossmatch(remoteLeft, remote.catalog, {
        radiusArcsec: 7200,
        nNeighbors: 3,
        rightMargin: remote.margin,
        workers: 2,
        remote: { cacheDir },
      }),
    );
    expect(got.reduce((s, t) => s + t.numRows, 0)).toBe(190);
    expect(ipc(got)).toEqual(ipc(want));
  });
});
