import { CancelledError, errorMessage } from '../errors';
import { DiskCache } from './http-cache';
import { DownloadFailedError, RetryableError } from './http-errors';
import {
  resolveHttpOptions,
  type HttpOptions,
  type HttpOptionsInput,
  type HttpStats,
  type HttpTotals,
  type UrlStats,
} from './http-options';

/** Options of a session: the settings plus an optional signal that cancels every request. */
export interface HttpSessionInput extends HttpOptionsInput {
  signal?: AbortSignal;
}

/** What a response handler gets: call `progress()` whenever bytes arrive (it resets the idle timeout). */
export interface Attempt {
  progress(bytes: number): void;
  signal: AbortSignal;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524]);

/** Counting semaphore: at most `limit` holders at once, FIFO. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** A byte-budgeted LRU of blocks kept in memory (Map insertion order = recency). */
export class MemoryLru {
  private readonly map = new Map<string, Uint8Array>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): Uint8Array | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: Uint8Array): void {
    if (value.length > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.length;
      this.map.delete(key);
    }
    this.map.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.length;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Delay from a Retry-After header (seconds or an HTTP date), or undefined. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Shared state of remote reads: settings, request limiter, retries, the disk and memory caches,
 * per-URL file state and counters. Every HttpStore opened with the same session shares them, so a
 * run that reads three catalogs reports one set of numbers.
 */
export class HttpSession {
  readonly options: HttpOptions;
  readonly cache: DiskCache | undefined;
  readonly memory: MemoryLru;
  readonly signal: AbortSignal | undefined;
  /** Per-URL shared objects (RemoteFile), created by http-file. */
  readonly files = new Map<string, unknown>();
  private readonly limiter: Limiter;
  private readonly counters = { requests: 0, bytesDownloaded: 0, bytesFromCache: 0, retries: 0 };
  private readonly perUrl = new Map<string, UrlStats>();
  private readonly missingUrls = new Set<string>();

  constructor(input: HttpSessionInput = {}) {
    const { signal, ...rest } = input;
    this.options = resolveHttpOptions(rest);
    this.signal = signal;
    this.cache =
      this.options.cacheDir === false
        ? undefined
        : new DiskCache(this.options.cacheDir, this.options.cacheMaxBytes);
    this.memory = new MemoryLru(this.options.memoryCacheBytes);
    this.limiter = new Limiter(this.options.concurrency);
  }

  /** The running totals only (no per-URL list): cheap enough to poll on every progress tick. */
  totals(): HttpTotals {
    return { ...this.counters };
  }

  /** A snapshot of the counters (a plain object: safe to post to another thread or write to JSON). */
  stats(): HttpStats {
    return {
      ...this.counters,
      urls: [...this.perUrl.values()].map((u) => ({ ...u })),
      missing: [...this.missingUrls],
    };
  }

  private url(url: string): UrlStats {
    let u = this.perUrl.get(url);
    if (!u) {
      u = { url, requests: 0, bytesDownloaded: 0, bytesFromCache: 0 };
      this.perUrl.set(url, u);
    }
    return u;
  }

  /** Records bytes served from the disk cache. */
  countFromCache(url: string, bytes: number): void {
    this.counters.bytesFromCache += bytes;
    this.url(url).bytesFromCache += bytes;
  }

  /** Records a URL that offline mode could not serve. */
  markMissing(url: string): void {
    this.missingUrls.add(url);
  }

  /** Throws CancelledError if the session's signal fired. */
  checkCancelled(): void {
    if (this.signal?.aborted) throw new CancelledError();
  }

  /**
   * Sends one request with bounded concurrency, an idle timeout, and retries with exponential
   * backoff and full jitter (delay = random(0, min(max, base*2^attempt)); AWS Architecture Blog,
   * "Exponential Backoff And Jitter", 2015) on network errors, timeouts, 408/429/5xx and
   * RetryableError from the handler. Retry-After is honoured (capped at backoffMaxMs).
   * `handle` reads the response; anything it throws other than RetryableError ends the request.
   */
  async request<T>(
    url: string,
    headers: Record<string, string>,
    handle: (res: Response, attempt: Attempt) => Promise<T>,
  ): Promise<T> {
    const o = this.options;
    let lastReason = '';
    let stalls = 0;
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      this.checkCancelled();
      let waitMs: number | undefined;
      await this.limiter.acquire();
      const controller = new AbortController();
      let stalled: string | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let rateTimer: ReturnType<typeof setInterval> | undefined;
      let windowBytes = 0;
      const stall = (reason: string) => {
        stalled = reason;
        controller.abort();
      };
      // no byte at all for timeoutMs (headers or body)
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => stall(`no data for ${seconds(o.timeoutMs)}`), o.timeoutMs);
      };
      // a body that trickles: fewer than minBytesPerSecond on average over a whole window
      const minBytes = (o.minBytesPerSecond * o.timeoutMs) / 1000;
      const watchRate = () => {
        if (minBytes <= 0) return;
        rateTimer = setInterval(() => {
          if (windowBytes < minBytes) {
            stall(
              `${windowBytes} bytes in ${seconds(o.timeoutMs)} (under ${o.minBytesPerSecond} bytes/s)`,
            );
          }
          windowBytes = 0;
        }, o.timeoutMs);
      };
      const onCancel = () => controller.abort();
      this.signal?.addEventListener('abort', onCancel, { once: true });
      try {
        // cancelled while waiting for a free request slot
        this.checkCancelled();
        arm();
        this.counters.requests++;
        this.url(url).requests++;
        const res = await fetch(url, {
          headers: { 'user-agent': o.userAgent, 'accept-encoding': 'identity', ...headers },
          signal: controller.signal,
          redirect: 'follow',
        });
        if (RETRY_STATUS.has(res.status)) {
          await res.body?.cancel().catch(() => undefined);
          lastReason = `HTTP ${res.status} ${res.statusText}`;
          waitMs = retryAfterMs(res.headers.get('retry-after'));
        } else {
          const stats = this.url(url);
          watchRate();
          return await handle(res, {
            signal: controller.signal,
            progress: (bytes) => {
              this.counters.bytesDownloaded += bytes;
              stats.bytesDownloaded += bytes;
              windowBytes += bytes;
              arm();
            },
          });
        }
      } catch (err) {
        if (this.signal?.aborted) throw new CancelledError();
        if (stalled !== undefined) {
          lastReason = `the server stalled: ${stalled}`;
          stalls++;
        } else if (err instanceof RetryableError) lastReason = err.message;
        else if (err instanceof TypeError || (err as Error)?.name === 'AbortError')
          lastReason = networkReason(err);
        else throw err;
      } finally {
        clearTimeout(timer);
        clearInterval(rateTimer);
        this.signal?.removeEventListener('abort', onCancel);
        this.limiter.release();
      }
      // a server that stalled twice is not coming back soon: say so now rather than after
      // (retries + 1) more waits of timeoutMs each
      if (stalls >= MAX_STALLS)
        throw new DownloadFailedError(url, lastReason, attempt + 1, STALL_HINT);
      if (attempt < o.retries) {
        // counted before the wait, so a run can say it is retrying while it waits
        this.counters.retries++;
        const cap = Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** attempt);
        const delay = waitMs !== undefined ? Math.min(waitMs, o.backoffMaxMs) : Math.random() * cap;
        await sleep(delay, this.signal);
      }
    }
    throw new DownloadFailedError(
      url,
      lastReason,
      o.retries + 1,
      stalls > 0 ? STALL_HINT : undefined,
    );
  }
}

/** Attempts of one request that may stall before it fails (the first and one retry). */
const MAX_STALLS = 2;

/** What to do about a server that stalls (said after the URL and the reason). */
const STALL_HINT =
  'The server may be overloaded or the link slow: try again later, or allow a slower link more time with TSM_STALL_SECONDS (default 30; tsm run --stall-seconds; in the app, Settings: Stall timeout), or work from what the cache holds (tsm run --offline, or TSM_OFFLINE=1 in the environment of tsm or the app).';

/** "30 s", "0.2 s". */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A short reason for a fetch failure: undici puts the system error (ECONNREFUSED...) in `cause`. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `network error ${cause.code}`;
  if (cause?.message) return `network error: ${cause.message}`;
  return `network error: ${errorMessage(err)}`;
}
