/**
 * Cancel across processes: a process sharing the data folder with the one running a run (the app
 * while `tsm run --data-dir` runs, a second web bridge) asks it to cancel by writing
 * `cancel-request.json` in the run's record folder; the owner watches that folder (fs.watch, and
 * a check every second where the file system sends no events), and cancels the run as its own
 * Cancel does, its record saying from where. Only a process on the owner's host can ask: another
 * host cannot tell whether the owner is alive, and its pid means nothing here.
 */
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunOwner } from '../../preload/api';

export const CANCEL_REQUEST_FILE = 'cancel-request.json';
/** How often the owner looks for a request besides fs.watch's events (ms). */
export const CANCEL_POLL_MS = 1_000;

const cancelRequest = z.object({
  /** The process asking. */
  pid: z.number().int().positive(),
  host: z.string(),
  program: z.string().min(1).max(100),
  /** The owner's token (RunOwner `token`) the request is for: no later process of the pid. */
  ownerToken: z.string().min(1),
  requestedAt: z.string(),
});
export type CancelRequest = z.infer<typeof cancelRequest>;

/** The reason a run cancelled on `request` gives (its record's `error`, tsm run's last line). */
export function cancelledFrom(request: Pick<CancelRequest, 'program' | 'pid'>): string {
  return `Cancelled from ${request.program} (pid ${request.pid})`;
}

/**
 * Writes the request that the run in `runDir`, which `owner` runs, be cancelled, on behalf of
 * this process (`program`, as the owner's record will name it); atomically (a file of its own,
 * renamed), so the owner never reads half of it.
 */
export async function writeCancelRequest(
  runDir: string,
  owner: RunOwner,
  program: string,
): Promise<void> {
  const request: CancelRequest = {
    pid: process.pid,
    host: hostname(),
    program,
    ownerToken: owner.token,
    requestedAt: new Date().toISOString(),
  };
  const file = join(runDir, CANCEL_REQUEST_FILE);
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, `${JSON.stringify(request)}\n`, 'utf8');
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * The request in `runDir` addressed to this process (owner `token`), or null: none, or one that
 * is not valid, for another process or from another host (such a file is removed).
 */
export async function takeCancelRequest(
  runDir: string,
  token: string,
): Promise<CancelRequest | null> {
  const file = join(runDir, CANCEL_REQUEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  await rm(file, { force: true }).catch(() => undefined);
  let parsed;
  try {
    parsed = cancelRequest.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const request = parsed.data;
  return request.ownerToken === token && request.host === hostname() ? request : null;
}

/**
 * Watches `runDir` for a cancel request to this process (owner `token`) and calls `onRequest`
 * with the first one. The function returned stops watching and removes a request that came
 * too late (the run ended meanwhile).
 */
export function watchCancelRequests(
  runDir: string,
  token: string,
  onRequest: (request: CancelRequest) => void,
  pollMs = CANCEL_POLL_MS,
): () => Promise<void> {
  let stopped = false;
  let checking: Promise<void> | null = null;
  const check = () => {
    if (stopped || checking) return;
    checking = takeCancelRequest(runDir, token)
      .then((request) => {
        if (request && !stopped) {
          stopped = true;
          onRequest(request);
        }
      })
      .finally(() => (checking = null));
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(runDir, { persistent: false }, (_event, name) => {
      if (name === null || String(name) === CANCEL_REQUEST_FILE) check();
    });
    watcher.on('error', () => undefined); // the folder gone: the timer still looks
  } catch {
    // no fs.watch here (some network file systems): the timer alone
  }
  const timer = setInterval(check, pollMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    watcher?.close();
    await checking;
    await rm(join(runDir, CANCEL_REQUEST_FILE), { force: true }).catch(() => undefined);
  };
}
