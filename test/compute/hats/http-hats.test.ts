import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHats, openObjectCatalog, type HatsCatalog } from '../../../compute/hats';
import { HttpSession } from '../../../compute/hats/http-session';
import { HttpStore } from '../../../compute/hats/http-store';
import { LSDB_DATA, TSM_EXAMPLE } from '../../fixtures';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';
import { serveFixtures } from '../../helpers/served-fixtures';

const served = serveFixtures('tsm-http-hats-');

function session(blockBytes = 64 * 1024) {
  return new HttpSession({ cacheDir: served.newCacheDir(), blockBytes, retries: 1 });
}

async function asCatalog(location: string | HttpStore): Promise<HatsCatalog> {
  const opened = await openHats(location);
  return opened.kind === 'collection' ? opened.main : opened;
}

/** Opens a catalog locally and over HTTP and checks that every partition reads the same (Arrow IPC bytes). */
async function expectSameCatalog(localPath: string, s: HttpSession): Promise<number> {
  const local = await asCatalog(localPath);
  const remote = await asCatalog(new HttpStore(served.server.urlFor(localPath), s));
  expect(remote.name).toBe(local.name);
  expect(remote.partitions).toEqual(local.partitions);
  expect(remote.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
    local.schema.fields.map((f) => `${f.name}:${f.type}`),
  );
  let rows = 0;
  for (const pixel of local.partitions) {
    const a = await local.readPartition(pixel);
    const b = await remote.readPartition(pixel);
    expect(b.numRows, `${local.name} ${pixel.order}/${pixel.pixel}`).toBe(a.numRows);
    expect(Buffer.from(tableToIPC(b)).equals(Buffer.from(tableToIPC(a)))).toBe(true);
    rows += a.numRows;
  }
  return rows;
}

describe('HATS catalogs over HTTP', () => {
  it('reads small_sky, small_sky_xmatch and its margin like the local copies', async () => {
    const s = session();
    expect(await expectSameCatalog(join(LSDB_DATA, 'small_sky'), s)).toBe(131);
    expect(await expectSameCatalog(join(LSDB_DATA, 'small_sky_xmatch'), s)).toBe(111);
    expect(await expectSameCatalog(join(LSDB_DATA, 'small_sky_xmatch_margin'), s)).toBe(39);
    const stats = s.stats();
    expect(stats.retries).toBe(0);
    // No folder listing was needed: partition_info.csv names every partition.
    expect(served.server.log.some((r) => r.path.endsWith('/'))).toBe(false);
    expect(stats.requests).toBe(served.server.log.length);
    expect(stats.bytesDownloaded).toBe(served.server.log.reduce((n, r) => n + r.bytes, 0));
  });

  it('reads a collection with its default margin, a legacy catalog, and Npix folders (HTML index)', async () => {
    const s = session();
    const collection = join(LSDB_DATA, 'small_sky_order1_collection');
    const local = await openObjectCatalog(collection);
    const remote = await openObjectCatalog(new HttpStore(served.server.urlFor(collection), s));
    expect(remote.margin?.name).toBe(local.margin?.name);
    expect(remote.margin?.partitions).toEqual(local.margin?.partitions);
    for (const pixel of local.margin!.partitions) {
      const a = await local.margin!.readPartition(pixel);
      const b = await remote.margin!.readPartition(pixel);
      expect(Buffer.from(tableToIPC(b)).equals(Buffer.from(tableToIPC(a)))).toBe(true);
    }
    expect(await expectSameCatalog(collection, s)).toBe(131);
    expect(await expectSameCatalog(join(LSDB_DATA, 'small_sky_npix_as_dir'), s)).toBe(131);
    expect(await expectSameCatalog(join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog'), s)).toBe(40);
    expect(await expectSameCatalog(join(TSM_EXAMPLE, 'specz_collection'), s)).toBeGreaterThan(0);
  });

  it('opening a catalog fetches metadata only; a projected read fetches the footer and that column chunk', async () => {
    const s = session(4096);
    const path = join(LSDB_DATA, 'small_sky_source');
    const catalog = await asCatalog(new HttpStore(served.server.urlFor(path), s));
    expect(served.server.log.some((r) => r.path.includes('/Norder='))).toBe(false);

    const rel = 'dataset/Norder=1/Dir=0/Npix=47.parquet';
    const bytes = await readFile(join(path, rel));
    const meta = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    );
    const footerStart = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    const chunks = meta.row_groups.flatMap((rg) =>
      rg.columns
        .filter((c) => c.meta_data!.path_in_schema[0] === 'mag')
        .map((c) => {
          const m = c.meta_data!;
          const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
          return [start, start + Number(m.total_compressed_size)];
        }),
    );
    // The reader's first footer read is the last 32 KiB (parquet-file.ts FOOTER_GUESS_BYTES).
    const allowed = [...chunks, [Math.min(footerStart, bytes.length - 32 * 1024), bytes.length]];

    served.server.log.length = 0;
    const table = await catalog.readPartition({ order: 1, pixel: 47 }, { columns: ['mag'] });
    expect(table.numCols).toBe(1);
    expect(table.numRows).toBe(Number(meta.num_rows));
    const leafRequests = served.server.log.filter((r) => r.path.endsWith(rel));
    expect(leafRequests.length).toBeGreaterThan(0);
    for (const r of leafRequests) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(r.range ?? '')!;
      const [from, to] =
        m[1] === ''
          ? [bytes.length - Number(m[2]), bytes.length]
          : [Number(m[1]), Number(m[2]) + 1];
      // Every 4 KiB block fetched overlaps the footer or a 'mag' column chunk.
      for (let b = from; b < to; b += 4096) {
        const overlaps = allowed.some(([a, z]) => a < Math.min(b + 4096, to) && z > b);
        expect(overlaps, `${r.range} block at ${b}`).toBe(true);
      }
    }
    const fetched = leafRequests.reduce((n, r) => n + r.bytes, 0);
    expect(fetched).toBeLessThan(bytes.length / 2);
  });
});

describe('a server that answers with an HTML page', () => {
  let root: string;
  let pages: FixtureServer;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsm-http-html-'));
    // a portal answering the catalog's files with its sign-in page (status 200)
    await mkdir(join(root, 'portal', 'dp1'), { recursive: true });
    const page =
      '<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body>obs=1</body></html>\n';
    for (const f of ['hats.properties', 'properties', 'collection.properties']) {
      await writeFile(join(root, 'portal', 'dp1', f), page);
    }
    pages = await startFixtureServer({ root, index: false });
  });
  afterAll(async () => {
    await pages.close();
    await rm(root, { recursive: true, force: true });
  });

  it('says the location gave an HTML page (it said "obs_collection (the catalog name) is missing ... regenerate the catalog with hats-import")', async () => {
    const url = pages.urlFor(join(root, 'portal', 'dp1'));
    const err = await openHats(new HttpStore(url, session())).catch((e: unknown) => e);
    expect((err as Error).name).toBe('HatsError');
    expect((err as Error).message).toBe(
      `${url}/hats.properties: is an HTML page, not this file of a HATS catalog (a login, error or index page served in its place?). Check that the location is the catalog's folder and that the catalog is public.`,
    );
  });
});

describe('an http(s) address of one file', () => {
  it('is named as a file, not as a folder without hats.properties', async () => {
    const url = served.server.urlFor(join(TSM_EXAMPLE, 'specz.parquet'));
    const err = await openHats(new HttpStore(url, session())).catch((e: unknown) => e);
    expect((err as Error).name).toBe('HatsError');
    // it said ".../specz.parquet/: no hats.properties, properties or collection.properties file"
    expect((err as Error).message).toBe(
      `${url} is the address of one .parquet file, not of a HATS catalog or collection folder (the one holding hats.properties): give the folder's URL; a spec-z file is read from disk, so download it and give its path.`,
    );
  });

  it('keeps the folder message for a folder address without a file extension', async () => {
    const url = served.server.urlFor(TSM_EXAMPLE);
    await expect(openHats(new HttpStore(url, session()))).rejects.toThrow(
      `${url}/: no hats.properties, properties or collection.properties file. Give the folder (or URL) of a HATS catalog or collection.`,
    );
  });
});
