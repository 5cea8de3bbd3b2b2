import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { UserError } from '../../../compute/errors';
import { lockOutputFolder } from '../../../compute/pipeline/output-lock';
import { testTempDir } from '../../helpers/temp-dir';
import { canMount, fillUp, mountTmpfs } from '../../reliability/helpers';

const outPath = () => join(tmpdir(), `tsm-lock-test-${process.pid}-${Math.random()}`, 'out');

describe('lockOutputFolder', () => {
  it('refuses a second lock on the same output folder while the first is held, naming it', async () => {
    const path = outPath();
    const unlock = await lockOutputFolder(path);
    const err = await lockOutputFolder(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`process ${process.pid}) is writing into ${path}`);
    await unlock();
    const again = await lockOutputFolder(path);
    await again();
  });

  it('takes over a stale lock whose process is gone', async () => {
    const path = outPath();
    const dir = join(tmpdir(), `tsm-output-locks-${process.getuid!()}`);
    mkdirSync(dir, { recursive: true });
    const lockFile = join(dir, `${createHash('sha1').update(path).digest('hex')}.lock`);
    writeFileSync(lockFile, '2147483646'); // no such process
    const unlock = await lockOutputFolder(path);
    await unlock();
  });

  it('removes the locks folder from the temp folder with the last lock, and keeps it while another run holds one', async () => {
    // every run left an empty tsm-output-locks-<uid> folder in the temp folder. A temp folder of
    // its own: the other test files' runs take locks in the run's temp folder meanwhile
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = testTempDir('tsm-lock-folder-');
    onTestFinished(() => {
      process.env.TMPDIR = saved;
    });
    const dir = join(tmpdir(), `tsm-output-locks-${process.getuid!()}`);
    const unlockA = await lockOutputFolder(outPath());
    const unlockB = await lockOutputFolder(outPath());
    expect(readdirSync(dir)).toHaveLength(2);
    await unlockA();
    expect(readdirSync(dir)).toHaveLength(1);
    await unlockB();
    expect(existsSync(dir)).toBe(false);
    // and a lock taken after that makes the folder again
    const unlockC = await lockOutputFolder(outPath());
    expect(readdirSync(dir)).toHaveLength(1);
    await unlockC();
    expect(existsSync(dir)).toBe(false);
  });

  it("keeps each user's locks in a folder of their own", async () => {
    // a shared folder made by the first user (mode 0755) refused every other user's lock
    const path = outPath();
    const lockFile = join(
      tmpdir(),
      `tsm-output-locks-${process.getuid!()}`,
      `${createHash('sha1').update(path).digest('hex')}.lock`,
    );
    const unlock = await lockOutputFolder(path);
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    await unlock();
    expect(existsSync(lockFile)).toBe(false);
  });
});

describe.skipIf(!canMount())(
  'lockOutputFolder with the system temp folder full (tmpfs as TMPDIR)',
  () => {
    it('names the lock in the temp folder, not the output folder, and leaves no empty lock', async () => {
      // a run on a roomy disk said "output folder <out> has no space left on its disk"
      const temp = mkdtempSync(join(tmpdir(), 'tsm-lock-tmpdir-'));
      const umount = mountTmpfs(temp, 'size=64k');
      const saved = process.env.TMPDIR;
      try {
        process.env.TMPDIR = temp;
        const lockDir = join(temp, `tsm-output-locks-${process.getuid!()}`);
        mkdirSync(lockDir);
        fillUp(temp);
        const out = '/home/me/training-sets';
        const lockFile = join(lockDir, `${createHash('sha1').update(out).digest('hex')}.lock`);
        const err = await lockOutputFolder(out).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UserError);
        expect((err as Error).message).toBe(
          `could not lock ${out} for writing: its lock ${lockFile} in the system's temp folder cannot be written (ENOSPC: no space left on device, write); free some space there, or set TMPDIR to another folder`,
        );
        expect(readdirSync(lockDir)).toEqual([]);
      } finally {
        process.env.TMPDIR = saved;
        umount();
        rmSync(temp, { recursive: true, force: true });
      }
    });
  },
);
