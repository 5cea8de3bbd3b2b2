import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../../compute/pipeline/progress';
import {
  RUN_LOG_FILE,
  RUN_LOG_OLD_FILE,
  RunLogTail,
  RunLogWriter,
} from '../../../compute/pipeline/run-log-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-run-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = (n: number, message?: string): RunProgress => ({
  stage: 'crossmatch',
  pixelsDone: n,
  pixelsTotal: 100,
  rowsMatched: 10 * n,
  bytesRead: 1000 * n,
  elapsedMs: 100 * n,
  ...(message ? { message } : {}),
});

describe('RunLogWriter and RunLogTail', () => {
  it('the follower reads what the owner appended so far, then only the events added since', async () => {
    const writer = new RunLogWriter(dir);
    writer.append(event(1, 'pixel 1'));
    writer.append(event(2, 'pixel 2'));
    await writer.flush();
    const tail = new RunLogTail(dir);
    expect((await tail.read()).map((e) => e.message)).toEqual(['pixel 1', 'pixel 2']);
    expect(await tail.read()).toEqual([]);
    writer.append(event(3, 'pixel 3'));
    await writer.flush();
    expect(await tail.read()).toEqual([event(3, 'pixel 3')]);
  });

  it('writes progress without a log line at most once a second (every line is kept)', async () => {
    const writer = new RunLogWriter(dir);
    writer.append(event(1));
    writer.append(event(2));
    writer.append(event(3, 'a line'));
    writer.append(event(4));
    await writer.flush();
    const events = await new RunLogTail(dir).read();
    expect(events.map((e) => e.pixelsDone)).toEqual([1, 3]);
  });

  it('leaves a line being written for the next reading, and skips lines that are not events', async () => {
    const tail = new RunLogTail(dir);
    expect(await tail.read()).toEqual([]); // no file yet
    const file = join(dir, RUN_LOG_FILE);
    appendFileSync(file, `${JSON.stringify(event(1, 'one'))}\nnot json\n{"stage":"x"}\n`);
    const whole = JSON.stringify(event(2, 'two'));
    appendFileSync(file, whole.slice(0, 20));
    expect((await tail.read()).map((e) => e.message)).toEqual(['one']);
    appendFileSync(file, `${whole.slice(20)}\n`);
    expect((await tail.read()).map((e) => e.message)).toEqual(['two']);
  });

  it('stays bounded: past its limit the file is set aside and a new one begun; a follower misses no line', async () => {
    const writer = new RunLogWriter(dir, 2_000);
    const tail = new RunLogTail(dir);
    const seen: string[] = [];
    for (let n = 1; n <= 60; n++) {
      writer.append(event(n, `line ${n}`));
      if (n % 7 === 0) {
        await writer.flush();
        seen.push(...(await tail.read()).map((e) => e.message!));
      }
    }
    await writer.flush();
    seen.push(...(await tail.read()).map((e) => e.message!));
    expect(seen).toEqual(Array.from({ length: 60 }, (_, k) => `line ${k + 1}`));
    expect(statSync(join(dir, RUN_LOG_FILE)).size).toBeLessThanOrEqual(2_000);
    expect(statSync(join(dir, RUN_LOG_OLD_FILE)).size).toBeLessThanOrEqual(2_000);
    // a follower that comes late reads the set-aside file first: the last lines, in order
    const late = (await new RunLogTail(dir).read()).map((e) => e.pixelsDone);
    expect(late.at(-1)).toBe(60);
    expect(late).toEqual(late.slice().sort((a, b) => a - b));
    expect(late.length).toBeGreaterThan(10);
    expect(readFileSync(join(dir, RUN_LOG_FILE), 'utf8').startsWith('{')).toBe(true);
  });

  it('a write that fails (the folder gone) is dropped; the owner goes on', async () => {
    const gone = join(dir, 'gone');
    const writer = new RunLogWriter(gone);
    writer.append(event(1, 'lost'));
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(existsSync(gone)).toBe(false);
  });
});
