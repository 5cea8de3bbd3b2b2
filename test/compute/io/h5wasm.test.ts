/**
 * HDF5's failures of its file driver (a full disk, a read-only file system) become errors like
 * Node's own, with `code` and `path`, so that a run names the output folder and says what to do
 * instead of "internal error: HDF5: file write failed: time = <date>".
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { conciseHdf5Error } from '../../../compute/io/h5wasm';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { TSM_EXAMPLE } from '../../fixtures';
import { canMount, fillUp, mountTmpfs, snapshot, tempDir } from '../../reliability/helpers';

// the innermost frames of what h5wasm 0.10 (HDF5 2.0.0) threw on a full tmpfs; ctime's
// newline cuts the driver's line after the date
const FULL_DISK =
  'HDF5-DIAG: Error detected in HDF5 (2.0.0):\n' +
  "  #000: /src/H5D.c line 1360 in H5Dwrite(): can't synchronously write data\n" +
  '    major: Dataset\n    minor: Write failed\n' +
  "  #016: /src/H5FDsec2.c line 775 in H5FD__sec2_write(): file write failed: time = Fri Nov 27 15:07:21 2026\n, filename = '/data/out/ts.hdf5.partial', file descriptor = 3, errno = 51, error message = 'No space left on device', buf = 0x2ebea0, total write size = 1573376, bytes this sub-write = 1573376, offset = 28672\n" +
  '    major: Low-level I/O\n    minor: Write failed\n';

describe('conciseHdf5Error', () => {
  it("a driver's failed write on a full disk: ENOSPC with the file's path", () => {
    const err = conciseHdf5Error(new Error(FULL_DISK)) as NodeJS.ErrnoException;
    expect(err.code).toBe('ENOSPC');
    expect(err.path).toBe('/data/out/ts.hdf5.partial');
    expect(err.syscall).toBe('write');
    expect(err.message).toBe(
      "ENOSPC: no space left on device, write '/data/out/ts.hdf5.partial' (HDF5)",
    );
  });

  it('other HDF5 errors: the innermost reason, no code', () => {
    const err = conciseHdf5Error(
      new Error(FULL_DISK.replace("'No space left on device'", "'Input/output error'")),
    ) as NodeJS.ErrnoException;
    expect(err.code).toBeUndefined();
    expect(err.message).toBe('HDF5: file write failed: time = Fri Nov 27 15:07:21 2026');
  });
});

const { dir, cleanup } = tempDir('tsm-h5wasm-');
afterAll(cleanup);

describe.skipIf(!canMount())('an HDF5 output on a disk that fills up (tmpfs)', () => {
  it('the run fails with a UserError naming the output folder; no partial file, the previous output intact', async () => {
    const out = join(dir, 'full');
    mkdirSync(out);
    const umount = mountTmpfs(out, 'size=256k');
    const project = parseProject(
      {
        version: 1,
        name: 'ts',
        specz: { path: join(TSM_EXAMPLE, 'specz.parquet') },
        photometry: {
          location: join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog'),
          dereddening: { map: 'none' },
        },
        split: { seed: 4 },
        output: { folder: out, format: 'hdf5' },
      },
      'ts.tsm.json',
    );
    try {
      expect((await runTrainingSet(project, { workers: 0 })).counts.written).toBe(40);
      const before = snapshot(out);
      fillUp(out);
      // room for the lock and the write check, not for the 14 KB file
      for (const k of [0, 1, 2]) rmSync(join(out, `filler-${k}`));
      const err = await runTrainingSet(project, { workers: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toBe(
        `output folder ${out} has no space left on its disk: free some space or choose another output folder (ENOSPC: no space left on device, write '${join(out, 'ts.hdf5.partial')}' (HDF5))`,
      );
      const after = snapshot(out);
      for (const k of Object.keys(before)) expect(after[k]).toBe(before[k]);
      expect(readdirSync(out).filter((n) => n.includes('partial'))).toEqual([]);
    } finally {
      umount();
    }
  });
});
