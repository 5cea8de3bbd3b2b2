import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isLocalLocation,
  locationGone,
  markMissing,
  withDatasetsDirAdvice,
} from '../../main/catalog-location';
import type { CatalogSummary } from '../../preload/api';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-location-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (location: string): CatalogSummary => ({
  id: 'phot-1',
  kind: 'photometric',
  name: 'dp1',
  location,
  addedAt: '2026-11-27T09:00:00.000Z',
  rowCount: 320,
  columns: [],
  partitions: 7,
  coverage: { points: [], skyFraction: 0 },
});

describe('catalog locations', () => {
  it('tells local paths from URLs', () => {
    expect(isLocalLocation('/data/hats/dp1')).toBe(true);
    expect(isLocalLocation('C:\\hats\\dp1')).toBe(true);
    expect(isLocalLocation('https://data.lsdb.io/hats/dp1')).toBe(false);
    expect(isLocalLocation('s3://bucket/dp1')).toBe(false);
  });

  it('finds a local folder gone, or a file where it was; never probes a URL', async () => {
    expect(await locationGone(dir)).toBe(false);
    expect(await locationGone(join(dir, 'moved'))).toBe(true);
    writeFileSync(join(dir, 'file'), 'x');
    expect(await locationGone(join(dir, 'file'))).toBe(true);
    expect(await locationGone(join(dir, 'file', 'below'))).toBe(true);
    // a closed port: a probe would fail, so "not gone" shows that none was made
    expect(await locationGone('http://127.0.0.1:9/hats/dp1')).toBe(false);
    // relative: its base depends on where it is used
    expect(await locationGone('moved/dp1')).toBe(false);
  });

  it('marks the photometric catalogs whose folder is gone and the spec-z ones whose stored copy is', async () => {
    mkdirSync(join(dir, 'catalogs', 'vvds'), { recursive: true });
    const marked = await markMissing(
      [
        at(dir),
        at(join(dir, 'moved')),
        at('https://x.org/dp1'),
        // runs read a spec-z catalog from the data folder by id, not from its recorded location
        { ...at(join(dir, 'old-data', 'catalogs', 'vvds')), id: 'vvds', kind: 'specz' },
        // its stored copy deleted: it was not marked, and a run with it failed once started
        { ...at(join(dir, 'catalogs', 'sdss')), id: 'sdss', kind: 'specz' },
      ],
      dir,
    );
    expect(marked.map((c) => c.missing)).toEqual([undefined, true, undefined, undefined, true]);
  });
});

describe('withDatasetsDirAdvice', () => {
  const saved = process.env.DATASETS_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATASETS_DIR;
    else process.env.DATASETS_DIR = saved;
  });

  it("adds how to set DATASETS_DIR to a run's error about a path under its folder, and to nothing else", () => {
    delete process.env.DATASETS_DIR;
    // the engine's words when a config.yml's spec-z file is not there (tsm run adds the same hint)
    const notFound =
      '/datasets/specz.parquet: spec-z catalog not found; check specz.path (or --specz)';
    expect(withDatasetsDirAdvice(notFound)).toBe(
      `${notFound}; an original config.yml names its data under \${DATASETS_DIR}, which is /datasets as DATASETS_DIR is not set: start the app with DATASETS_DIR set to the folder that holds the data (DATASETS_DIR=/path/to/datasets npm run web) and open the config.yml again`,
    );
    for (const other of [
      '/data/specz.parquet: spec-z catalog not found; check specz.path (or --specz)',
      '/datasets/specz.parquet: cannot read the file (corrupt)',
    ])
      expect(withDatasetsDirAdvice(other)).toBe(other);
    process.env.DATASETS_DIR = '/srv/data/';
    expect(withDatasetsDirAdvice('/srv/data/dr2: no such folder; check the path')).toBe(
      '/srv/data/dr2: no such folder; check the path; an original config.yml names its data under ${DATASETS_DIR}, which is DATASETS_DIR=/srv/data/ here: start the app with DATASETS_DIR set to the folder that holds the data and open the config.yml again',
    );
  });
});
