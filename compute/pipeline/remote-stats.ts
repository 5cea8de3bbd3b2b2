/**
 * What a run fetched from http(s) catalogs, across threads. Each thread has its own default
 * remote session (compute/hats/store.ts); worker tasks send back the difference of their
 * session's counters over the task (tasks run one at a time per worker), and the main thread adds
 * what its own session fetched since the run started (opening and planning, in-thread tasks).
 */
import type { HttpStats, HttpTotals, UrlStats } from '../hats/http-options';
import type { HttpSession } from '../hats/http-session';
import { defaultRemoteSession } from '../hats/store';

const ZERO: HttpStats = {
  requests: 0,
  bytesDownloaded: 0,
  bytesFromCache: 0,
  retries: 0,
  urls: [],
  missing: [],
};

/** `after - before` of two snapshots of the same session (per URL too); `before` null = zero. */
export function diffStats(before: HttpStats | null, after: HttpStats): HttpStats {
  const b = before ?? ZERO;
  const old = new Map(b.urls.map((u) => [u.url, u]));
  const urls: UrlStats[] = [];
  for (const u of after.urls) {
    const o = old.get(u.url);
    const d = {
      url: u.url,
      requests: u.requests - (o?.requests ?? 0),
      bytesDownloaded: u.bytesDownloaded - (o?.bytesDownloaded ?? 0),
      bytesFromCache: u.bytesFromCache - (o?.bytesFromCache ?? 0),
    };
    if (d.requests > 0 || d.bytesDownloaded > 0 || d.bytesFromCache > 0) urls.push(d);
  }
  const seen = new Set(b.missing);
  return {
    requests: after.requests - b.requests,
    bytesDownloaded: after.bytesDownloaded - b.bytesDownloaded,
    bytesFromCache: after.bytesFromCache - b.bytesFromCache,
    retries: after.retries - b.retries,
    urls,
    missing: after.missing.filter((m) => !seen.has(m)),
  };
}

/** Sums of several stats (URLs merged in first-use order). */
export function addStats(parts: HttpStats[]): HttpStats {
  const urls = new Map<string, UrlStats>();
  const missing = new Set<string>();
  const sum: HttpTotals = { requests: 0, bytesDownloaded: 0, bytesFromCache: 0, retries: 0 };
  for (const p of parts) {
    sum.requests += p.requests;
    sum.bytesDownloaded += p.bytesDownloaded;
    sum.bytesFromCache += p.bytesFromCache;
    sum.retries += p.retries;
    for (const u of p.urls) {
      const t = urls.get(u.url);
      if (!t) urls.set(u.url, { ...u });
      else {
        t.requests += u.requests;
        t.bytesDownloaded += u.bytesDownloaded;
        t.bytesFromCache += u.bytesFromCache;
      }
    }
    for (const m of p.missing) missing.add(m);
  }
  return { ...sum, urls: [...urls.values()], missing: [...missing] };
}

/**
 * The run's remote transfers: the main thread's default session since `start` (a session replaced
 * by `configureRemoteDefaults` during the run counts from zero) plus the workers' task stats,
 * merged as they arrive (per URL in a map, so a long run stays linear).
 */
export class RemoteMeter {
  private readonly session: HttpSession;
  private readonly baseline: HttpStats;
  private readonly workerTotals: HttpTotals = {
    requests: 0,
    bytesDownloaded: 0,
    bytesFromCache: 0,
    retries: 0,
  };
  private readonly workerUrls = new Map<string, UrlStats>();
  private readonly workerMissing = new Set<string>();

  /**
   * `session`: the run's own session for the main thread's requests (then only it is counted);
   * without one, the default session.
   */
  constructor(private readonly own?: HttpSession) {
    this.session = own ?? defaultRemoteSession();
    this.baseline = this.session.stats();
  }

  private current(): HttpSession {
    return this.own ?? defaultRemoteSession();
  }

  /** Adds the stats a worker task sent back. */
  addWorker(stats: HttpStats | undefined): void {
    if (!stats) return;
    const t = this.workerTotals;
    t.requests += stats.requests;
    t.bytesDownloaded += stats.bytesDownloaded;
    t.bytesFromCache += stats.bytesFromCache;
    t.retries += stats.retries;
    for (const u of stats.urls) {
      const w = this.workerUrls.get(u.url);
      if (!w) this.workerUrls.set(u.url, { ...u });
      else {
        w.requests += u.requests;
        w.bytesDownloaded += u.bytesDownloaded;
        w.bytesFromCache += u.bytesFromCache;
      }
    }
    for (const m of stats.missing) this.workerMissing.add(m);
  }

  /** Running totals (cheap: no per-URL work), for progress events. */
  totals(): HttpTotals {
    const now = this.current();
    const base: HttpTotals = now === this.session ? this.baseline : ZERO;
    const cur = now.totals();
    const w = this.workerTotals;
    return {
      requests: cur.requests - base.requests + w.requests,
      bytesDownloaded: cur.bytesDownloaded - base.bytesDownloaded + w.bytesDownloaded,
      bytesFromCache: cur.bytesFromCache - base.bytesFromCache + w.bytesFromCache,
      retries: cur.retries - base.retries + w.retries,
    };
  }

  /** Everything fetched so far, per URL. */
  stats(): HttpStats {
    const now = this.current();
    const main = diffStats(now === this.session ? this.baseline : null, now.stats());
    const workers: HttpStats = {
      ...this.workerTotals,
      urls: [...this.workerUrls.values()],
      missing: [...this.workerMissing],
    };
    return addStats([main, workers]);
  }

  /** Whether anything remote was touched (a request or a cache hit). */
  used(): boolean {
    const t = this.totals();
    return t.requests > 0 || t.bytesFromCache > 0;
  }
}

/**
 * Runs `work` and returns its result with what this thread's default remote session fetched
 * meanwhile (valid when nothing else uses the session at the same time: one task per worker).
 */
export async function measuredRemote<T>(
  work: () => Promise<T>,
): Promise<{ value: T; remote: HttpStats }> {
  const session = defaultRemoteSession();
  const before = session.stats();
  const value = await work();
  const now = defaultRemoteSession();
  return { value, remote: diffStats(now === session ? before : null, now.stats()) };
}
