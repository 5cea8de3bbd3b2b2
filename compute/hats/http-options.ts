import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';

/** Default size of an aligned cache block (and of the first tail read of a file): 256 KiB. */
export const DEFAULT_BLOCK_BYTES = 256 * 1024;

/**
 * The settings of remote (http/https) catalog access. All fields are optional; the defaults are in
 * {@link resolveHttpOptions}. Sizes in bytes, times in milliseconds.
 */
export const httpOptionsSchema = z.object({
  /** Disk cache folder; `false` turns the disk cache off. Default: $TSM_CACHE_DIR or ~/.cache/training-set-maker/http. */
  cacheDir: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** Disk cache size limit; least recently used blocks are evicted above it. Default 2 GiB. */
  cacheMaxBytes: z.number().int().positive().optional(),
  /** Read only from the disk cache; never touch the network. */
  offline: z.boolean().optional(),
  /** Aligned block size of range reads and cache entries (4 KiB..16 MiB, power of two). */
  blockBytes: z
    .number()
    .int()
    .min(4096)
    .max(16 * 1024 * 1024)
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
    .optional(),
  /** Largest single range request when adjacent blocks are coalesced. Default 8 MiB. */
  maxRequestBytes: z.number().int().positive().optional(),
  /** Requests in flight at once, per session. Default 6. */
  concurrency: z.number().int().min(1).max(64).optional(),
  /**
   * A request stalls when no byte arrives for this long (headers or body), or when its body brings
   * fewer than `minBytesPerSecond` on average over this long; a stalled request is retried once.
   * Default 30 s, or $TSM_STALL_SECONDS.
   */
  timeoutMs: z.number().int().positive().optional(),
  /** See `timeoutMs` (a server that trickles bytes); 0 turns that check off. Default 100. */
  minBytesPerSecond: z.number().min(0).optional(),
  /** Retries after the first attempt on network errors, timeouts, 429 and 5xx. Default 4. */
  retries: z.number().int().min(0).max(20).optional(),
  /** First backoff delay; doubles each retry, with full jitter. Default 250 ms. */
  backoffBaseMs: z.number().min(0).optional(),
  /** Largest backoff delay (also caps Retry-After). Default 15 s. */
  backoffMaxMs: z.number().min(0).optional(),
  /**
   * Trust a cached file version confirmed by the server less than this long ago, without asking
   * again (0 = ask once per run with a conditional request). Blocks stay keyed by version, so a
   * stale version is never mixed with a new one. Default 0.
   */
  revalidateAfterMs: z.number().int().min(0).optional(),
  /** In-memory block cache per session. Default 32 MiB. */
  memoryCacheBytes: z.number().int().min(0).optional(),
  /** Sent as User-Agent. */
  userAgent: z.string().optional(),
});

export type HttpOptionsInput = z.input<typeof httpOptionsSchema>;

export interface HttpOptions {
  cacheDir: string | false;
  cacheMaxBytes: number;
  offline: boolean;
  blockBytes: number;
  maxRequestBytes: number;
  concurrency: number;
  timeoutMs: number;
  minBytesPerSecond: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  revalidateAfterMs: number;
  memoryCacheBytes: number;
  userAgent: string;
}

/** The default disk cache folder: $TSM_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, + training-set-maker/http. */
export function defaultCacheDir(): string {
  if (process.env.TSM_CACHE_DIR) return process.env.TSM_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'training-set-maker', 'http');
}

/**
 * Settings from the environment, under the explicit options: TSM_OFFLINE=1, TSM_CACHE_MAX_BYTES,
 * TSM_STALL_SECONDS (TSM_CACHE_DIR is read by {@link defaultCacheDir}). They reach worker threads with the process.
 */
function envOptions(): HttpOptionsInput {
  const env: HttpOptionsInput = {};
  if (process.env.TSM_OFFLINE === '1') env.offline = true;
  const max = Number(process.env.TSM_CACHE_MAX_BYTES);
  if (process.env.TSM_CACHE_MAX_BYTES && Number.isInteger(max) && max > 0) env.cacheMaxBytes = max;
  const stall = process.env.TSM_STALL_SECONDS;
  if (stall) {
    const s = Number(stall);
    if (!(Number.isFinite(s) && s > 0 && s <= 86_400)) {
      throw new UserError(
        `TSM_STALL_SECONDS must be a number of seconds above 0, at most 86400 (got '${stall}'). Fix it in the environment of tsm or the app.`,
      );
    }
    env.timeoutMs = Math.max(1, Math.round(s * 1000));
  }
  return env;
}

/** Validates the options (a UserError names the bad field) and fills in the defaults. */
export function resolveHttpOptions(input: HttpOptionsInput = {}): HttpOptions {
  const parsed = httpOptionsSchema.safeParse({ ...envOptions(), ...input });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `Remote catalog setting "${issue.path.join('.')}" is invalid: ${issue.message}. Fix it in the settings.`,
    );
  }
  const o = parsed.data;
  const blockBytes = o.blockBytes ?? DEFAULT_BLOCK_BYTES;
  const options: HttpOptions = {
    cacheDir: o.cacheDir ?? defaultCacheDir(),
    cacheMaxBytes: o.cacheMaxBytes ?? 2 * 1024 ** 3,
    offline: o.offline ?? false,
    blockBytes,
    maxRequestBytes: Math.max(o.maxRequestBytes ?? 8 * 1024 * 1024, blockBytes),
    concurrency: o.concurrency ?? 6,
    timeoutMs: o.timeoutMs ?? 30_000,
    minBytesPerSecond: o.minBytesPerSecond ?? 100,
    retries: o.retries ?? 4,
    backoffBaseMs: o.backoffBaseMs ?? 250,
    backoffMaxMs: o.backoffMaxMs ?? 15_000,
    revalidateAfterMs: o.revalidateAfterMs ?? 0,
    memoryCacheBytes: o.memoryCacheBytes ?? 32 * 1024 * 1024,
    userAgent: o.userAgent ?? 'training-set-maker/0.1 (HATS reader)',
  };
  if (options.offline && options.cacheDir === false) {
    throw new UserError(
      'Offline mode reads remote catalogs from the disk cache, but the cache is turned off (cacheDir=false). Set a cache folder or turn offline mode off.',
    );
  }
  return options;
}

/** Per-URL counters of a session. */
export interface UrlStats {
  url: string;
  requests: number;
  bytesDownloaded: number;
  bytesFromCache: number;
}

/** The running totals of a session (cheap to poll for progress). */
export interface HttpTotals {
  /** HTTP requests sent (every attempt counts). */
  requests: number;
  /** Body bytes received from servers. */
  bytesDownloaded: number;
  /** Bytes served from the disk cache instead of the network. */
  bytesFromCache: number;
  /** Attempts repeated after a network error, timeout, 429 or 5xx. */
  retries: number;
}

/** A snapshot of what a session fetched, for progress and the run record. */
export interface HttpStats extends HttpTotals {
  /** URLs touched, in first-use order. */
  urls: UrlStats[];
  /** Offline mode: URLs that were needed but are not (fully) in the cache. */
  missing: string[];
}
