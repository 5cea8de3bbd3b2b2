import type { CachedMeta } from './http-cache';
import { RetryableError } from './http-errors';
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

/** A retryable error for a body that broke off (aborts pass through: the session names the timeout). */
export function cutOff(err: unknown, got: number, expected: number | undefined): unknown {
  if ((err as Error)?.name === 'AbortError') return err;
  const code = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.message;
  const of = expected === undefined ? '' : ` of ${expected}`;
  return new RetryableError(`connection lost after ${got}${of} bytes (${code}; truncated body)`);
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
    throw cutOff(err, total, expected);
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
