import { createHash } from 'node:crypto';
import { open, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors';
import { makeFolder } from '../io/make-folder';

/**
 * One run at a time per output folder: its run.json and config.yml describe one training set, so
 * two runs at once, even of two names, would leave one of them without its record. The lock lives
 * in the system's temp folder (named after a hash of the folder's path), not in the output folder,
 * so a crash leaves nothing there; a lock whose process is gone is stale and taken over. Unlocking
 * removes the lock and, when no other run holds one, the locks folder too (it was left in the temp
 * folder after every run).
 */
export async function lockOutputFolder(folder: string): Promise<() => Promise<void>> {
  // one folder per user: another user's folder (mode 0755) is not writable, and a shared temp
  // folder locked every other user of a machine out of tsm run
  const dir = join(tmpdir(), `tsm-output-locks-${userTag()}`);
  const lockPath = join(dir, `${createHash('sha1').update(folder).digest('hex')}.lock`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await makeFolder(dir);
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      return async () => {
        await rm(lockPath, { force: true });
        // the last run out removes the folder; another run's lock keeps it (ENOTEMPTY)
        await rmdir(dir).catch(() => undefined);
      };
    } catch (err) {
      // another run's unlock removed the (then empty) locks folder between makeFolder and open
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        // the system's temp folder full or read-only: its own error, not the output folder's
        // (Node's "ENOSPC: no space left on device, write" names no file, so a run blamed the
        // output folder)
        await rm(lockPath, { force: true }).catch(() => undefined);
        throw new UserError(
          `could not lock ${folder} for writing: its lock ${lockPath} in the system's temp folder cannot be written (${(err as Error).message}); free some space there, or set TMPDIR to another folder`,
          { cause: err },
        );
      }
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (pid > 0 && processAlive(pid)) {
        throw new UserError(
          `another run (process ${pid}) is writing into ${folder}: wait for it to finish, or choose another output folder`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new UserError(`could not lock ${folder} for writing: try again`);
}

function userTag(): string {
  const uid = process.getuid?.();
  if (uid !== undefined) return String(uid);
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]+/g, '_') || 'user';
  } catch {
    return 'user';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
