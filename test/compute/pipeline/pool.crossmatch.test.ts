import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossmatch } from '../../../compute/crossmatch/crossmatch';
import { CancelledError } from '../../../compute/errors';
import { openObjectCatalog } from '../../../compute/hats';
import type { PixelCatalog } from '../../../compute/hats/types';
import { LSDB_DATA } from '../../fixtures';
import { collect, expectSamePairs, pairsOf, readExpected } from '../crossmatch/golden';

let left: PixelCatalog;
let right: PixelCatalog;
let margin: PixelCatalog;

beforeAll(async () => {
  left = (await openObjectCatalog(join(LSDB_DATA, 'small_sky_left_xmatch'))).catalog;
  const r = await openObjectCatalog(join(LSDB_DATA, 'small_sky_xmatch'), {
    margin: join(LSDB_DATA, 'small_sky_xmatch_margin'),
  });
  right = r.catalog;
  margin = r.margin!;
});

const bytes = (tables: Table[]) =>
  tables.map((t) => Buffer.from(tableToIPC(t, 'stream')).toString('base64'));

describe('crossmatch in the worker pool', () => {
  it('gives identical tables, in the same order, with 0 (in-process), 1 and 2 workers', async () => {
    const opts = { radiusArcsec: 7200, nNeighbors: 3, rightMargin: margin };
    const progress: number[] = [];
    const inProcess = await collect(crossmatch(left, right, { ...opts, workers: 0 }));
    const one = await collect(crossmatch(left, right, { ...opts, workers: 1 }));
    const two = await collect(
      crossmatch(left, right, {
        ...opts,
        workers: 2,
        onProgress: (p) => progress.push(p.pixelsDone),
      }),
    );
    expect(inProcess.length).toBe(5);
    expect(bytes(one)).toEqual(bytes(inProcess));
    expect(bytes(two)).toEqual(bytes(inProcess));
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expectSamePairs(
      pairsOf(two, 'id_small_sky_left_xmatch', 'id_small_sky_xmatch'),
      readExpected('xmatch_correct_3n_2t_negative.csv'),
    );
  });

  it('stops with CancelledError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError('user cancel'));
    const run = collect(
      crossmatch(left, right, { radiusArcsec: 36, workers: 2, signal: controller.signal }),
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });
});
