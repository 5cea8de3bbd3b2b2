/**
 * writeExport into a folder on a full disk: the error names the folder and says what to do, and
 * no part of the export is left.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { writeExport } from '../../../compute/export';
import type { ExportResult } from '../../../compute/export/types';
import { canMount, fillUp, mountTmpfs } from '../../reliability/helpers';

const dir = mkdtempSync(join(tmpdir(), 'tsm-export-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (size: number): ExportResult => ({
  target: 'pzserver',
  files: [{ name: 'config.yml', content: `# tsm export --target pzserver\n${'#'.repeat(size)}\n` }],
  resources: [],
  unsupported: [],
});

describe.skipIf(!canMount())('writeExport on a full disk (tmpfs)', () => {
  it('names the folder and says what to do; the earlier export unchanged, no partial', async () => {
    const out = join(dir, 'full');
    mkdirSync(out);
    const umount = mountTmpfs(out, 'size=64k');
    try {
      await writeExport(result(10), out);
      const before = readFileSync(join(out, 'config.yml'), 'utf8');
      fillUp(out);
      // it said only "cannot write the export (ENOSPC: no space left on device, write)"
      await expect(writeExport(result(20_000), out)).rejects.toThrow(
        new UserError(
          `${out}: cannot write the export (ENOSPC: no space left on device, write); free some space on its disk, or choose another folder`,
        ),
      );
      expect(readFileSync(join(out, 'config.yml'), 'utf8')).toBe(before);
      expect(readdirSync(out).filter((n) => !n.startsWith('filler-'))).toEqual(['config.yml']);
    } finally {
      umount();
    }
  });
});

describe.skipIf(!canMount())('writeExport: a disk that fills up at the dust map (tmpfs)', () => {
  it('leaves nothing: not the job without its dust map', async () => {
    // tsm export --target lsdb left tsm_job.py, README.md and requirements.txt, and an empty
    // dustmaps/, when the 204 KB map did not fit
    const disk = join(dir, 'small');
    mkdirSync(disk);
    const umount = mountTmpfs(disk, 'size=128k');
    try {
      const job = join(disk, 'job');
      const lsdb: ExportResult = {
        target: 'lsdb',
        files: [
          { name: 'tsm_job.py', content: '# tsm export --target lsdb\n' },
          { name: 'README.md', content: '# tsm export --target lsdb\n' },
        ],
        resources: [{ name: 'dustmaps/sfd-lowres-healpix64.fits', resource: 'sfd-lowres' }],
        unsupported: [],
      };
      const err = await writeExport(lsdb, job).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^${job}: cannot write the export \\(ENOSPC: no space left on device, copyfile `,
        ),
      );
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      umount();
    }
  });
});
