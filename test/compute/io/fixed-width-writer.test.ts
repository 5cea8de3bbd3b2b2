/**
 * Ctrl-C while a run wrote a FITS or HDF5 file with text columns: those rows wait in a spill
 * until the column widths are known, and the pass writing them out (seconds for a million rows)
 * did not look at the cancel, so the run finished and kept its file (exit 0). A cancel now stops
 * that pass too, with its reason, and leaves no file.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../compute/errors';
import { createFitsWriter } from '../../../compute/io/fits-writer';
import { createHdf5Writer } from '../../../compute/io/hdf5-writer';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-fixed-width-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const batch = () =>
  tableFromArrays({ z: Float64Array.of(0.1, 0.2, 0.3), survey: ['SDSS', 'DESI', 'VVDS'] });

describe.each([
  ['fits', createFitsWriter],
  ['hdf5', createHdf5Writer],
] as const)(
  'a %s file of text columns cancelled while its rows are written out',
  (format, create) => {
    it('stops with the reason and leaves nothing', async () => {
      const folder = join(dir, format);
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder);
      const controller = new AbortController();
      const writer = create(join(folder, `set.${format}`), { signal: controller.signal });
      await writer.write(batch());
      await writer.write(batch());
      // every row is in the spill: the cancel comes as close() writes them out
      controller.abort(new CancelledError('Cancelled by Ctrl-C'));
      await expect(writer.close()).rejects.toThrow(new CancelledError('Cancelled by Ctrl-C'));
      expect(await readdir(folder)).toEqual([]);
    });
  },
);
