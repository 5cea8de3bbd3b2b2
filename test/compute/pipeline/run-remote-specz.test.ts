import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server';
import { TSM_EXAMPLE } from '../../fixtures';

type Row = Record<string, unknown>;
const rowsOf = (t: Table): Row[] => t.toArray().map((r) => ({ ...(r.toJSON() as Row) }));

const dir = mkdtempSync(join(tmpdir(), 'tsm-remote-specz-'));
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({ root: TSM_EXAMPLE });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const project = (specz: string, folder: string) =>
  parseProject(
    {
      version: 1,
      name: 'remote specz',
      specz: { path: specz, columns: { id: 'id' } },
      photometry: {
        location: join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog'),
        dereddening: { map: 'none' },
      },
      split: { seed: 2 },
      output: { folder: join(dir, folder) },
    },
    'remote.tsm.json',
  );

describe('a spec-z HATS collection over http', () => {
  // it was taken for a missing local file: "spec-z catalog not found; check specz.path"
  it('gives the rows of the same collection read from this computer', async () => {
    const local = join(TSM_EXAMPLE, 'specz_collection');
    const want = await runTrainingSet(project(local, 'local'), { workers: 0 });
    const url = server.urlFor(local);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/specz_collection$/);
    const got = await runTrainingSet(project(url, 'remote'), {
      workers: 0,
      remote: { cacheDir: join(dir, 'cache') },
    });
    expect(want.counts.written).toBeGreaterThan(10);
    expect(rowsOf(await readParquetFile(got.outputPath))).toEqual(
      rowsOf(await readParquetFile(want.outputPath)),
    );
    expect(got.remote?.bytesDownloaded).toBeGreaterThan(0);
  });
});
