/**
 * A leaf file that cannot be fetched: a network failure is the network's (its message says to
 * check the network and retry), a 404 is a catalog with a missing file. Both used to read "leaf
 * file ... cannot be opened (Could not download ...). The catalog is incomplete: re-download it".
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHats, type HatsCatalog } from '../../../compute/hats';
import { HttpSession } from '../../../compute/hats/http-session';
import { HttpStore } from '../../../compute/hats/http-store';
import { LSDB_DATA } from '../../fixtures';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';

let dir: string;
let server: FixtureServer;
const LEAF = 'dataset/Norder=1/Dir=0/Npix=44.parquet';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-leaf-errors-'));
  await cp(join(LSDB_DATA, 'small_sky_order1_default_columns'), join(dir, 'cat'), {
    recursive: true,
  });
  await rm(join(dir, 'cat', LEAF));
  server = await startFixtureServer({ root: dir });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<HatsCatalog> {
  const session = new HttpSession({ cacheDir: false, retries: 1, backoffBaseMs: 1 });
  const opened = await openHats(new HttpStore(server.urlFor(join(dir, 'cat')), session));
  return opened.kind === 'collection' ? opened.main : opened;
}

describe('a leaf file that cannot be fetched', () => {
  it('is a missing file of the catalog when the server answers 404', async () => {
    const catalog = await open();
    const url = server.urlFor(join(dir, 'cat', LEAF));
    await expect(catalog.readPartition({ order: 1, pixel: 44 })).rejects.toThrow(
      // a remote catalog is its provider's to mend ("re-download it" was no help)
      `${url}: leaf file of partition (1,44) is not on the server (HTTP 404). The catalog is incomplete on that server, or the URL is not the catalog's: check the URL, or tell the catalog's provider.`,
    );
  });

  it('is a network failure, named once with what to do, when the server keeps failing', async () => {
    const catalog = await open();
    const url = server.urlFor(join(dir, 'cat', 'dataset/Norder=1/Dir=0/Npix=45.parquet'));
    server.faults.failNext = { count: 10, status: 503 };
    const err = (await catalog.readPartition({ order: 1, pixel: 45 }).catch((e) => e)) as Error;
    server.faults = {};
    expect(err.message).toBe(
      `The leaf file of partition (1,45) cannot be read. Could not download ${url}: HTTP 503 Service Unavailable (2 attempts). Check the network and the URL, try again later, or work from what the cache holds (tsm run --offline, or TSM_OFFLINE=1 in the environment of tsm or the app).`,
    );
  });
});
