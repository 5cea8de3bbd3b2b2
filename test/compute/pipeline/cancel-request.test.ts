import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CANCEL_REQUEST_FILE,
  cancelledFrom,
  takeCancelRequest,
  watchCancelRequests,
  writeCancelRequest,
  type CancelRequest,
} from '../../../compute/pipeline/cancel-request';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-cancel-request-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const owner = { pid: 4242, host: hostname(), token: 'owner-token', program: 'tsm run' };
const requestFile = () => join(dir, CANCEL_REQUEST_FILE);
/** Waits for `test` to hold, checking every 20 ms, for at most `ms`. */
async function until(test: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!test() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
  return test();
}

describe('cancel requests in a run folder', () => {
  it('the request names who asks, for which owner; the owner takes it once (the file goes)', async () => {
    await writeCancelRequest(dir, owner, 'the web bridge');
    expect(readdirSync(dir)).toEqual([CANCEL_REQUEST_FILE]); // no .partial left
    const request = await takeCancelRequest(dir, 'owner-token');
    expect(request).toMatchObject({
      pid: process.pid,
      host: hostname(),
      program: 'the web bridge',
      ownerToken: 'owner-token',
    });
    expect(cancelledFrom(request!)).toBe(`Cancelled from the web bridge (pid ${process.pid})`);
    expect(existsSync(requestFile())).toBe(false);
    expect(await takeCancelRequest(dir, 'owner-token')).toBeNull();
  });

  it('ignores (and removes) a request for another process, from another host, or not valid', async () => {
    await writeCancelRequest(dir, { ...owner, token: 'a-later-process' }, 'the app');
    expect(await takeCancelRequest(dir, 'owner-token')).toBeNull();
    expect(existsSync(requestFile())).toBe(false);
    const valid: CancelRequest = {
      pid: 7,
      host: hostname(),
      program: 'the app',
      ownerToken: 'owner-token',
      requestedAt: new Date().toISOString(),
    };
    for (const text of [
      JSON.stringify({ ...valid, host: 'elsewhere' }),
      JSON.stringify({ ...valid, pid: 'seven' }),
      JSON.stringify({ ...valid, program: '' }),
      '{"pid": 7',
    ]) {
      writeFileSync(requestFile(), text);
      expect(await takeCancelRequest(dir, 'owner-token'), text).toBeNull();
      expect(existsSync(requestFile()), text).toBe(false);
    }
    writeFileSync(requestFile(), JSON.stringify(valid));
    expect(await takeCancelRequest(dir, 'owner-token')).toEqual(valid);
  });

  it('the owner hears a request at once through fs.watch, with no help from its timer', async () => {
    const heard: CancelRequest[] = [];
    // a timer that never comes during the test: fs.watch alone
    const stop = watchCancelRequests(dir, 'owner-token', (r) => heard.push(r), 600_000);
    try {
      await writeCancelRequest(dir, { ...owner, token: 'someone-else' }, 'the app');
      await until(() => !existsSync(requestFile()), 5_000);
      expect(heard).toEqual([]);
      await writeCancelRequest(dir, owner, 'the app');
      expect(await until(() => heard.length > 0, 5_000)).toBe(true);
      expect(heard[0]).toMatchObject({ program: 'the app', pid: process.pid });
      // once: a second request finds the owner cancelling already
      await writeCancelRequest(dir, owner, 'the app');
      await new Promise((done) => setTimeout(done, 200));
      expect(heard).toHaveLength(1);
    } finally {
      await stop();
    }
    // a request that came too late (the run ended) goes with the watch
    expect(existsSync(requestFile())).toBe(false);
  });

  it('finds a request by its timer where fs.watch sends nothing (the folder made after)', async () => {
    const later = join(dir, 'run');
    const heard: CancelRequest[] = [];
    const stop = watchCancelRequests(later, 'owner-token', (r) => heard.push(r), 50);
    try {
      // the folder did not exist when the watch began: only the timer can see it
      mkdirSync(later);
      await writeCancelRequest(later, owner, 'tsm run');
      expect(await until(() => heard.length > 0, 5_000)).toBe(true);
    } finally {
      await stop();
    }
  });
});
