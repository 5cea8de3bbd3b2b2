import type { CachedMeta } from './http-cache';
import { RemoteFileChangedError, RetryableError } from './http-errors';
import type { Attempt } from './http-session';

/** Size and version of a remote file, fixed by the first response of the run. */
export type FileInfo = CachedMeta;

/** Parses `Content-Range: bytes a-b/total` (total may be `*`). */
export function parseContentRange(
  header: string | null,
): { start: number; end: number; total?: number } | undefined {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  return {
    start: Number(m[1]),
    end: Number(m[2]) + 1,
    total: m[3] === '*' ? undefined : Number(m[3]),
  };
}

/** Size and validators of a file from a response's headers. */
export function headerInfo(
  url: string,
  res: Response,
  size: number,
  rangeSupport: boolean,
): FileInfo {
  return {
    url,
    size,
    etag: res.headers.get('etag') ?? undefined,
    lastModified: res.headers.get('last-modified') ?? undefined,
    rangeSupport,
  };
}

/** The body's chunks (none when there is no body). */
export async function* chunksOf(res: Response): AsyncGenerator<Uint8Array> {
  if (res.body) yield* res.body as unknown as AsyncIterable<Uint8Array>;
}

/**
 * A retryable error for a body that broke off (aborts pass through: the session names the
 * timeout). `announced`: the response's Content-Length, which the body fell short of.
 */
export function cutOff(
  err: unknown,
  got: number,
  expected: number | undefined,
  announced?: string | null,
): unknown {
  if ((err as Error)?.name === 'AbortError') return err;
  const code = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.message;
  const length = Number(announced ?? NaN);
  // all the bytes asked for came, but fewer than the server's own Content-Length
  const received =
    Number.isSafeInteger(length) && length > got && (expected === undefined || got >= expected)
      ? `${got} bytes of the ${length} its Content-Length announced`
      : expected === undefined
        ? `${got} bytes`
        : `${got} of ${expected} bytes`;
  return new RetryableError(`connection lost after ${received} (${code}; truncated body)`);
}

/** Reads a whole body, reporting progress; `expected` bytes must arrive exactly. */
export async function readBody(
  res: Response,
  attempt: Attempt,
  expected?: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of chunksOf(res)) {
      chunks.push(chunk);
      total += chunk.length;
      attempt.progress(chunk.length);
      if (expected !== undefined && total > expected) break;
    }
  } catch (err) {
    throw cutOff(err, total, expected, res.headers.get('content-length'));
  }
  if (expected !== undefined && total !== expected) {
    throw new RetryableError(`body had ${total} bytes, expected ${expected} (truncated?)`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Cuts a body into aligned blocks of `blockBytes` as it arrives, calling `onBlock` for each full
 * block; returns the total and the shorter last block (if any). A body that breaks off, or whose
 * length differs from `declared` (when finite), throws a RetryableError.
 */
export async function streamBlocks(
  res: Response,
  attempt: Attempt,
  blockBytes: number,
  declared: number,
  onBlock: (index: number, block: Uint8Array) => void,
): Promise<{ total: number; tail?: Uint8Array }> {
  const expected = Number.isFinite(declared) ? declared : undefined;
  let buf = new Uint8Array(blockBytes);
  let fill = 0;
  let index = 0;
  let total = 0;
  try {
    for await (const chunk of chunksOf(res)) {
      attempt.progress(chunk.length);
      total += chunk.length;
      for (let at = 0; at < chunk.length;) {
        const n = Math.min(blockBytes - fill, chunk.length - at);
        buf.set(chunk.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === blockBytes) {
          onBlock(index++, buf);
          buf = new Uint8Array(blockBytes);
          fill = 0;
        }
      }
    }
  } catch (err) {
    throw cutOff(err, total, expected, res.headers.get('content-length'));
  }
  if (expected !== undefined && total !== expected) {
    throw new RetryableError(`body had ${total} bytes, expected ${expected} (truncated?)`);
  }
  return { total, tail: fill > 0 ? buf.slice(0, fill) : undefined };
}

/** Throws RemoteFileChangedError if a response's validators or total size differ from `info`'s. */
export function checkSameVersion(
  url: string,
  info: FileInfo,
  res: Response,
  total: number | undefined,
): void {
  const etag = res.headers.get('etag');
  const lm = res.headers.get('last-modified');
  if (info.etag && etag && etag !== info.etag) {
    throw new RemoteFileChangedError(url, `ETag ${info.etag} → ${etag}`);
  }
  if (info.lastModified && lm && lm !== info.lastModified) {
    throw new RemoteFileChangedError(url, `Last-Modified ${info.lastModified} → ${lm}`);
  }
  if (total !== undefined && total !== info.size) {
    throw new RemoteFileChangedError(url, `size ${info.size} → ${total} bytes`);
  }
}

/** Whether a response's validators or total size differ from `info`'s. */
export function versionChanged(
  url: string,
  info: FileInfo,
  res: Response,
  total: number | undefined,
): boolean {
  try {
    checkSameVersion(url, info, res, total);
    return false;
  } catch {
    return true;
  }
}
