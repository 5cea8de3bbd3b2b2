/**
 * A run's live log in its record's folder (`<dataDir>/runs/<id>/log.jsonl`), so that another
 * process on the data folder (the app while `tsm run --data-dir` runs, a second web bridge) can
 * follow a run it does not run: the owner appends its progress events, one JSON object a line;
 * the follower reads the file so far, then the bytes added (tailRunLog). Bounded: once the file
 * passes RUN_LOG_MAX_BYTES it is renamed to `log.1.jsonl` (replacing the one before) and a new
 * one begins, so the folder holds at most about twice that.
 */
import { appendFile, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunProgress } from './progress';

export const RUN_LOG_FILE = 'log.jsonl';
export const RUN_LOG_OLD_FILE = 'log.1.jsonl';
/** Size (bytes) past which the log file is set aside and a new one begun. */
export const RUN_LOG_MAX_BYTES = 256 * 1024;
/** Progress events without a log line are written at most this often (the bar's steps). */
const PROGRESS_EVERY_MS = 1_000;

/** An event as read back: the fields the pages use, checked (a hand-edited line is skipped). */
const storedProgress = z
  .object({
    stage: z.string(),
    pixelsDone: z.number(),
    pixelsTotal: z.number(),
    rowsMatched: z.number(),
    bytesRead: z.number(),
    elapsedMs: z.number(),
    message: z.string().optional(),
  })
  .passthrough();

/**
 * Appends a running run's progress events to its log file, in order: each one with a log line,
 * and the others at most once a second. Writes that fail (a full disk) are dropped: the log is
 * for following the run, which goes on without it.
 */
export class RunLogWriter {
  private chain: Promise<void> = Promise.resolve();
  private lastPlainMs = -Infinity;
  private bytes = 0;

  constructor(
    private readonly runDir: string,
    private readonly maxBytes = RUN_LOG_MAX_BYTES,
  ) {}

  append(progress: RunProgress): void {
    const now = Date.now();
    if (!progress.message) {
      if (now - this.lastPlainMs < PROGRESS_EVERY_MS) return;
      this.lastPlainMs = now;
    }
    const line = `${JSON.stringify(progress)}\n`;
    this.chain = this.chain.then(() => this.write(line)).catch(() => undefined);
  }

  private async write(line: string): Promise<void> {
    const file = join(this.runDir, RUN_LOG_FILE);
    const size = Buffer.byteLength(line);
    if (this.bytes > 0 && this.bytes + size > this.maxBytes) {
      await rename(file, join(this.runDir, RUN_LOG_OLD_FILE));
      this.bytes = 0;
    }
    await appendFile(file, line, 'utf8');
    this.bytes += size;
  }

  /** Resolves once every line appended so far is written. */
  async flush(): Promise<void> {
    await this.chain;
  }
}

/** The events of complete lines in `text` (the rest, a line being written, is left). */
function parseLines(text: string): { events: RunProgress[]; rest: string } {
  const end = text.lastIndexOf('\n');
  const events: RunProgress[] = [];
  for (const line of text.slice(0, end + 1).split('\n')) {
    if (!line) continue;
    try {
      const parsed = storedProgress.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data as unknown as RunProgress);
    } catch {
      // not JSON (a line cut by a crash): skipped
    }
  }
  return { events, rest: text.slice(end + 1) };
}

/** Where a follower has read a log file to: its inode, the bytes read and a line begun. */
interface ReadPosition {
  ino: number;
  offset: number;
  rest: string;
}

async function readFrom(
  file: string,
  from: number,
): Promise<{ text: string; ino: number; size: number } | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const { ino, size } = await handle.stat();
    if (size <= from) return { text: '', ino, size };
    const buffer = Buffer.alloc(size - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), ino, size: from + bytesRead };
  } finally {
    await handle.close();
  }
}

/**
 * Follows a run's log file: `read()` gives the events added since the last call (the first call,
 * all there are, the set-aside file's first), reading only the new bytes; a file set aside
 * meanwhile is read to its end before the new one.
 */
export class RunLogTail {
  private position: ReadPosition | null = null;

  constructor(private readonly runDir: string) {}

  async read(): Promise<RunProgress[]> {
    const file = join(this.runDir, RUN_LOG_FILE);
    const old = join(this.runDir, RUN_LOG_OLD_FILE);
    const events: RunProgress[] = [];
    const now = await stat(file).catch(() => null);
    if (this.position === null) {
      // the first reading: the set-aside file (older lines) first, then the current one
      const before = await readFrom(old, 0);
      if (before) events.push(...parseLines(before.text).events);
      this.position = { ino: now?.ino ?? -1, offset: 0, rest: '' };
    } else if (now && now.ino !== this.position.ino && this.position.ino !== -1) {
      // set aside since the last reading: the rest of it is in the old file
      const rest = await readFrom(old, this.position.offset);
      if (rest && rest.ino === this.position.ino) {
        events.push(...parseLines(this.position.rest + rest.text).events);
      }
      this.position = { ino: now.ino, offset: 0, rest: '' };
    }
    if (!now) return events;
    if (this.position.ino === -1) this.position.ino = now.ino;
    const added = await readFrom(file, this.position.offset);
    if (!added || added.ino !== this.position.ino) return events; // changed meanwhile: next time
    const parsed = parseLines(this.position.rest + added.text);
    this.position = { ino: added.ino, offset: added.size, rest: parsed.rest };
    events.push(...parsed.events);
    return events;
  }
}
