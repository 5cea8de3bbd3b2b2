import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { UserError } from '../compute/errors';

/** How long to wait for a lock another process (or request) holds, by default. */
const WAIT_MS = 5_000;
/** A lock this old is left over, whoever holds it: a read-modify-write takes milliseconds. */
const STALE_MS = 30_000;

/** What a lock file holds: who took it (a lock of a process that is gone is left over). */
interface LockInfo {
  pid: number;
  host: string;
  /** Unique per taking: tells this lock from a later one at the same path. */
  nonce: string;
}

export interface FileLockOptions {
  /** How long to wait for the lock before giving up (ms). */
  waitMs?: number;
  /** Age (ms) after which a lock counts as left over even when its process seems alive. */
  staleMs?: number;
}

/**
 * Runs `work` while holding `<path>.lock`, an exclusive lock file made with O_EXCL (`wx`), so that
 * processes sharing a data folder (the app, a web bridge, tsm) and concurrent requests of one
 * process take turns to read, change and write `path`. A lock left by a process that is gone
 * (same host), or older than `staleMs`, is taken over. When the lock stays held for `waitMs`, a
 * UserError names the file and the lock and says what to do. The lock is removed when `work` ends,
 * whether it resolves or throws.
 */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const mine: LockInfo = { pid: process.pid, host: hostname(), nonce: newNonce() };
  await acquire(path, lockPath, mine, options.waitMs ?? WAIT_MS, options.staleMs ?? STALE_MS);
  try {
    return await work();
  } finally {
    await release(lockPath, mine);
  }
}

function newNonce(): string {
  return randomBytes(8).toString('hex');
}

async function acquire(
  path: string,
  lockPath: string,
  mine: LockInfo,
  waitMs: number,
  staleMs: number,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await create(path, lockPath, mine)) return;
    const held = await readLock(lockPath);
    if (held && isStale(held, staleMs)) {
      await takeOver(lockPath, held.ino);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = held?.info ? `process ${held.info.pid} on ${held.info.host}` : 'another process';
      throw new UserError(
        `${path} is being changed by ${who} (its lock file ${lockPath} stayed for ${waitMs / 1000} s): try again; if no Training Set Maker (app, web bridge or tsm) is using this data folder, delete ${lockPath}.`,
      );
    }
    await new Promise((done) => setTimeout(done, 10 + Math.random() * 40));
  }
}

/** Makes the lock file holding `mine`; false when there is one already. */
async function create(path: string, lockPath: string, mine: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotLock(path, lockPath, err);
  }
  try {
    await handle.writeFile(JSON.stringify(mine));
    await handle.close();
    return true;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(lockPath, { force: true });
    throw cannotLock(path, lockPath, err);
  }
}

function cannotLock(path: string, lockPath: string, err: unknown): UserError {
  return new UserError(
    `${path} cannot be changed: its lock file ${lockPath} cannot be made (${(err as Error).message}); make its folder writable (or free some disk space) and try again.`,
    { cause: err },
  );
}

/** The lock file's holder (null when unreadable: being written) and age; null when it is gone. */
async function readLock(
  lockPath: string,
): Promise<{ info: LockInfo | null; ageMs: number; ino: number } | null> {
  try {
    const [text, stats] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { info: parseLock(text), ageMs: Date.now() - stats.mtimeMs, ino: stats.ino };
  } catch {
    return null; // removed meanwhile: try again
  }
}

function parseLock(text: string): LockInfo | null {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    return typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.nonce === 'string'
      ? { pid: value.pid, host: value.host, nonce: value.nonce }
      : null;
  } catch {
    return null;
  }
}

function isStale(held: { info: LockInfo | null; ageMs: number }, staleMs: number): boolean {
  if (held.info === null) return held.ageMs > staleMs;
  return !holderAlive(held.info, held.ageMs, staleMs);
}

/**
 * Whether the process `holder` names (of this host, or another one sharing the folder) may still
 * hold what it wrote `ageMs` ago: not once that is older than `staleMs` (left over, whoever wrote
 * it), nor when its process on this host is gone; another host's process cannot be checked. Used
 * for locks and for the owners of running runs' records (main/run-manager.ts).
 */
export function holderAlive(
  holder: { pid: number; host: string },
  ageMs: number,
  staleMs: number,
): boolean {
  if (ageMs > staleMs) return false;
  return holder.host !== hostname() || processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * Removes a left-over lock (the file `staleIno`). It is renamed aside first (atomic), so that of
 * several processes taking it over at once one removes it; when what was renamed is a newer lock
 * (taken between the reading and the renaming), it is put back.
 */
async function takeOver(lockPath: string, staleIno: number): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${newNonce()}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else took it over
  }
  const moved = await stat(aside).catch(() => null);
  if (moved && moved.ino !== staleIno) await link(aside, lockPath).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Removes the lock when it is still this one (not taken over as left over meanwhile). */
async function release(lockPath: string, mine: LockInfo): Promise<void> {
  const held = parseLock(await readFile(lockPath, 'utf8').catch(() => ''));
  if (held?.nonce === mine.nonce) await rm(lockPath, { force: true });
}
