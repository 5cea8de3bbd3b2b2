import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirStore } from '../../../compute/hats/byte-source';
import { resolveHttpOptions } from '../../../compute/hats/http-options';
import { HttpSession } from '../../../compute/hats/http-session';
import { HttpStore, parseHtmlIndex } from '../../../compute/hats/http-store';
import {
  configureRemoteDefaults,
  defaultRemoteSession,
  openStore,
  storeStats,
} from '../../../compute/hats/store';
import { LSDB_DATA } from '../../fixtures';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';

let server: FixtureServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startFixtureServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'tsm-http-store-'));
});
afterAll(async () => {
  configureRemoteDefaults({});
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('gives an HttpStore for http(s) URLs and a LocalDirStore for paths and file:// URLs', async () => {
    const local = join(LSDB_DATA, 'small_sky');
    expect(openStore(local)).toBeInstanceOf(LocalDirStore);
    const fromFileUrl = openStore(pathToFileURL(local).href);
    expect(fromFileUrl).toBeInstanceOf(LocalDirStore);
    expect(await fromFileUrl.readText('partition_info.csv')).toBe('Norder,Npix\n0,11\n');
    expect(storeStats(fromFileUrl)).toBeUndefined();
    const remote = openStore('https://data.lsdb.io/hats/gaia_dr3/gaia', { cacheDir: false });
    expect(remote).toBeInstanceOf(HttpStore);
    expect(remote.root).toBe('https://data.lsdb.io/hats/gaia_dr3/gaia/');
    expect((remote as HttpStore).url('dataset/Norder=1/Dir=0/Npix=44.parquet')).toBe(
      'https://data.lsdb.io/hats/gaia_dr3/gaia/dataset/Norder=1/Dir=0/Npix=44.parquet',
    );
    expect((remote as HttpStore).url('a b/c#d?.txt')).toBe(
      'https://data.lsdb.io/hats/gaia_dr3/gaia/a%20b/c%23d%3F.txt',
    );
    expect(remote.child('dataset').root).toBe('https://data.lsdb.io/hats/gaia_dr3/gaia/dataset/');
  });

  it('shares the configured default session between stores opened without options', async () => {
    configureRemoteDefaults({ cacheDir, blockBytes: 8192 });
    const a = openStore(server.urlFor(join(LSDB_DATA, 'small_sky')));
    const b = openStore(server.urlFor(join(LSDB_DATA, 'small_sky_xmatch')));
    expect((a as HttpStore).session).toBe((b as HttpStore).session);
    expect((a as HttpStore).session).toBe(defaultRemoteSession());
    expect(defaultRemoteSession().options.blockBytes).toBe(8192);
    await a.readText('partition_info.csv');
    await b.readText('partition_info.csv');
    expect(storeStats(a)).toMatchObject({ requests: 2, bytesDownloaded: 17 + 27 });
    expect(defaultRemoteSession().totals()).toEqual({
      requests: 2,
      bytesDownloaded: 44,
      bytesFromCache: 0,
      retries: 0,
    });
    // Explicit options give a separate session.
    const c = openStore(server.urlFor(join(LSDB_DATA, 'small_sky')), { cacheDir: false });
    expect((c as HttpStore).session).not.toBe(defaultRemoteSession());
  });

  it('takes TSM_OFFLINE and TSM_CACHE_MAX_BYTES from the environment, under explicit options', () => {
    process.env.TSM_OFFLINE = '1';
    process.env.TSM_CACHE_MAX_BYTES = '1048576';
    try {
      expect(resolveHttpOptions({ cacheDir })).toMatchObject({
        offline: true,
        cacheMaxBytes: 1048576,
      });
      expect(resolveHttpOptions({ cacheDir, offline: false }).offline).toBe(false);
    } finally {
      delete process.env.TSM_OFFLINE;
      delete process.env.TSM_CACHE_MAX_BYTES;
    }
  });

  it('rejects bad settings with a message naming the field', () => {
    expect(() => new HttpSession({ blockBytes: 5000 })).toThrow(
      'Remote catalog setting "blockBytes" is invalid: must be a power of two',
    );
    expect(() => new HttpSession({ offline: true, cacheDir: false })).toThrow(
      /Offline mode reads remote catalogs from the disk cache, but the cache is turned off/,
    );
    expect(() => openStore('s3://stpubdata/gaia/gaia_dr3/public/hats')).toThrow(
      's3://stpubdata/gaia/gaia_dr3/public/hats: s3:// locations are not supported. Give a local folder or an http(s) URL',
    );
    expect(
      () => new HttpStore('ftp://example.org/cat', new HttpSession({ cacheDir: false })),
    ).toThrow('ftp://example.org/cat: only http:// and https:// URLs are supported');
  });
});

describe('parseHtmlIndex', () => {
  it('keeps the direct children of the folder from Apache, nginx and python http.server pages', () => {
    const dir = new URL('http://h/cat/dataset/');
    const html = `
      <a href="?C=N;O=D">Name</a> <a href="/cat/">Parent Directory</a> <a href="../">../</a>
      <a href="Norder%3D0/">Norder=0/</a> <a href='Norder=1/'>Norder=1/</a>
      <a href="http://h/cat/dataset/_metadata">_metadata</a> <a href=_common_metadata>x</a>
      <a href="http://other/cat/dataset/evil">x</a> <a href="Norder=1/Dir=0/">deep</a>`;
    expect(parseHtmlIndex(html, dir)).toEqual([
      'Norder=0/',
      'Norder=1/',
      '_common_metadata',
      '_metadata',
    ]);
  });
});
