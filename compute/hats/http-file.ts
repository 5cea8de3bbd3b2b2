import { validatorOf } from './http-cache';
import {
  HttpStatusError,
  OfflineMissingError,
  RemoteFileChangedError,
  RetryableError,
} from './http-errors';
import type { Attempt, HttpSession } from './http-session';
import {
  checkSameVersion,
  headerInfo,
  parseContentRange,
  readBody,
  streamBlocks,
  versionChanged,
  type FileInfo,
} from './http-body';

export type { FileInfo } from './http-body';

/**
 * One remote file within a session: its size and validator (from the first response of the run),
 * and its aligned blocks, served from memory, the disk cache or the network. Missing adjacent
 * blocks are fetched with one Range request; concurrent reads of the same block share one fetch.
 * Later range requests carry `If-Match` (strong ETag) or `If-Unmodified-Since`, and every response's
 * validator and total size are compared with the first, so a file that changes mid-run fails with
 * RemoteFileChangedError instead of mixing versions. A server that answers a Range request with 200
 * (no range support) is read whole, once, and its blocks cached.
 */
export class RemoteFile {
  private infoPromise: Promise<FileInfo> | undefined;
  private readonly inflight = new Map<number, Promise<Uint8Array>>();

  constructor(
    readonly session: HttpSession,
    readonly url: string,
  ) {}

  /** The shared RemoteFile of `url` in `session`. */
  static of(session: HttpSession, url: string): RemoteFile {
    let f = session.files.get(url) as RemoteFile | undefined;
    if (!f) {
      f = new RemoteFile(session, url);
      session.files.set(url, f);
    }
    return f;
  }

  private get blockBytes(): number {
    return this.session.options.blockBytes;
  }

  /** Size and version. Online: one request (a conditional tail read when the cache knows the file). */
  info(): Promise<FileInfo> {
    this.infoPromise ??= this.loadInfo();
    return this.infoPromise;
  }

  private async loadInfo(): Promise<FileInfo> {
    const { session, url } = this;
    const cache = session.cache;
    const cached = await cache?.readMeta(url);
    if (session.options.offline) {
      if (!cached) {
        session.markMissing(url);
        throw new OfflineMissingError(url, 'never downloaded');
      }
      if (cached.missing) throw new HttpStatusError(url, 404, 'Not Found (cached, offline)');
      return cached;
    }
    const fresh = session.options.revalidateAfterMs;
    if (cached && !cached.missing && fresh > 0 && Date.now() - (cached.checkedAt ?? 0) < fresh) {
      return cached;
    }
    const headers: Record<string, string> = { range: `bytes=-${this.blockBytes}` };
    if (cached && !cached.missing) {
      if (cached.etag) headers['if-none-match'] = cached.etag;
      else if (cached.lastModified) headers['if-modified-since'] = cached.lastModified;
    }
    const info = await session.request(url, headers, async (res, attempt) => {
      if (res.status === 304 && cached) {
        await res.body?.cancel().catch(() => undefined);
        return cached;
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel().catch(() => undefined);
        await cache?.writeMeta({ url, missing: true, size: 0, rangeSupport: true });
        throw new HttpStatusError(url, res.status, res.statusText);
      }
      if (res.status === 416) {
        // Only an empty file cannot satisfy a suffix range.
        await res.body?.cancel().catch(() => undefined);
        const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
        if (total && Number(total[1]) === 0) return headerInfo(url, res, 0, true);
        throw new HttpStatusError(url, 416, res.statusText);
      }
      if (res.status === 206) {
        const range = parseContentRange(res.headers.get('content-range'));
        if (!range || range.total === undefined) {
          throw new RetryableError(`bad Content-Range "${res.headers.get('content-range')}"`);
        }
        const body = await readBody(res, attempt, range.end - range.start);
        const info = headerInfo(url, res, range.total, true);
        await this.storeSpan(info, range.start, body);
        return info;
      }
      if (res.status === 200) {
        const declared = Number(res.headers.get('content-length') ?? NaN);
        const provisional = headerInfo(url, res, Number.isFinite(declared) ? declared : 0, true);
        return await this.readWhole(res, attempt, provisional, true);
      }
      await res.body?.cancel().catch(() => undefined);
      throw new HttpStatusError(url, res.status, res.statusText);
    });
    info.checkedAt = Date.now();
    await cache?.writeMeta(info);
    return info;
  }

  /**
   * Reads a 200 response holding the whole file, block by block: every complete block goes to the
   * caches as soon as it is complete (a block is one version's bytes, valid on its own), and the
   * length is checked at the end. `first` = this is the info request (the size comes from here).
   */
  private async readWhole(
    res: Response,
    attempt: Attempt,
    known: FileInfo,
    first: boolean,
    want?: Set<number>,
    kept?: Map<number, Uint8Array>,
  ): Promise<FileInfo> {
    const B = this.blockBytes;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (!first) {
      try {
        checkSameVersion(this.url, known, res, Number.isFinite(declared) ? declared : known.size);
      } catch (err) {
        await res.body?.cancel().catch(() => undefined);
        throw err;
      }
    }
    const pending: Promise<void>[] = [];
    // Without validators or a length, the cache key (the size) is known only at the end.
    const deferred: Uint8Array[] | undefined =
      first && !known.etag && !known.lastModified && !Number.isFinite(declared) ? [] : undefined;
    let streamed: { total: number; tail?: Uint8Array };
    try {
      streamed = await streamBlocks(res, attempt, B, declared, (index, block) => {
        if (want?.has(index)) kept?.set(index, block);
        if (deferred) deferred.push(block);
        else pending.push(this.storeBlock(known, index, block));
      });
    } finally {
      await Promise.all(pending);
    }
    const { total, tail } = streamed;
    const index = Math.floor(total / B);
    const info: FileInfo = { ...known, size: total, rangeSupport: total <= B };
    if (!first && total !== known.size) {
      throw new RemoteFileChangedError(this.url, `size ${known.size} → ${total} bytes`);
    }
    if (tail) {
      if (want?.has(index)) kept?.set(index, tail);
      await this.storeBlock(info, index, tail);
    }
    for (const [i, block] of (deferred ?? []).entries()) await this.storeBlock(info, i, block);
    return info;
  }

  private blockLength(info: FileInfo, index: number): number {
    return Math.min(this.blockBytes, info.size - index * this.blockBytes);
  }

  private memKey(info: FileInfo, index: number): string {
    return `${this.url}\n${validatorOf(info)}\n${index}`;
  }

  private async storeBlock(info: FileInfo, index: number, data: Uint8Array): Promise<void> {
    this.session.memory.set(this.memKey(info, index), data);
    await this.session.cache?.writeBlock(this.url, validatorOf(info), this.blockBytes, index, data);
  }

  private fragmentKey(info: FileInfo, index: number): string {
    return `fragment\n${this.memKey(info, index)}`;
  }

  /**
   * Stores the whole blocks inside [start, start+body.length) (a partial last block counts if it
   * ends the file). The end of a block cut by `start` is kept in memory as a fragment, so a later
   * fetch of that block asks only for the bytes before it.
   */
  private async storeSpan(info: FileInfo, start: number, body: Uint8Array): Promise<void> {
    const B = this.blockBytes;
    const end = start + body.length;
    const cut = Math.floor(start / B);
    const cutEnd = cut * B + this.blockLength(info, cut);
    if (start % B !== 0 && cutEnd <= end) {
      this.session.memory.set(this.fragmentKey(info, cut), body.slice(0, cutEnd - start));
    }
    for (let i = Math.ceil(start / B); i * B < end; i++) {
      const blockEnd = i * B + this.blockLength(info, i);
      if (blockEnd > end) break;
      await this.storeBlock(info, i, body.slice(i * B - start, blockEnd - start));
    }
  }

  /** Blocks `first..last` (inclusive) of the file, in order, each `blockBytes` long but the file's last. */
  async blocks(first: number, last: number): Promise<Uint8Array[]> {
    const info = await this.info();
    const { session, url } = this;
    const vKey = validatorOf(info);
    const out: (Uint8Array | Promise<Uint8Array> | undefined)[] = [];
    const toDisk: number[] = [];
    for (let i = first; i <= last; i++) {
      const got = session.memory.get(this.memKey(info, i)) ?? this.inflight.get(i);
      out.push(got);
      if (!got) toDisk.push(i);
    }
    const disk = await Promise.all(
      toDisk.map((i) =>
        session.cache?.readBlock(url, vKey, this.blockBytes, i, this.blockLength(info, i)),
      ),
    );
    const missing: number[] = [];
    toDisk.forEach((i, k) => {
      const data = disk[k];
      if (data) {
        session.countFromCache(url, data.length);
        session.memory.set(this.memKey(info, i), data);
        out[i - first] = data;
      } else {
        // Another reader may have started this block while we looked on disk.
        const flying = this.inflight.get(i) ?? session.memory.get(this.memKey(info, i));
        if (flying) out[i - first] = flying;
        else missing.push(i);
      }
    });
    for (const run of this.runs(missing)) {
      const fetched = this.fetchRun(info, run[0], run[run.length - 1]);
      fetched.catch(() => undefined);
      for (const i of run) {
        const p = fetched.then((m) => m.get(i)!);
        this.inflight.set(i, p);
        p.finally(() => this.inflight.delete(i)).catch(() => undefined);
        out[i - first] = p;
      }
    }
    return Promise.all(out as (Uint8Array | Promise<Uint8Array>)[]);
  }

  /** Groups sorted block indices into runs of adjacent blocks of at most maxRequestBytes. */
  private runs(indices: number[]): number[][] {
    const perRun = Math.max(1, Math.floor(this.session.options.maxRequestBytes / this.blockBytes));
    const runs: number[][] = [];
    for (const i of indices) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === i - 1 && run.length < perRun) run.push(i);
      else runs.push([i]);
    }
    return runs;
  }

  /** Fetches blocks first..last with one request; returns them by index. */
  private async fetchRun(
    info: FileInfo,
    first: number,
    last: number,
  ): Promise<Map<number, Uint8Array>> {
    const { session, url } = this;
    const B = this.blockBytes;
    const start = first * B;
    const end = Math.min((last + 1) * B, info.size);
    if (session.options.offline) {
      session.markMissing(url);
      throw new OfflineMissingError(url, `bytes ${start}-${end - 1} of ${info.size}`);
    }
    // The end of the last block may already be in memory (from the first, tail, request).
    const fragment = info.rangeSupport
      ? session.memory.get(this.fragmentKey(info, last))
      : undefined;
    const askEnd = fragment ? end - fragment.length : end;
    const headers: Record<string, string> = {};
    if (info.rangeSupport) headers.range = `bytes=${start}-${askEnd - 1}`;
    if (info.etag && !info.etag.startsWith('W/')) headers['if-match'] = info.etag;
    else if (info.lastModified) headers['if-unmodified-since'] = info.lastModified;
    const want = new Set<number>();
    for (let i = first; i <= last; i++) want.add(i);
    return session.request(url, headers, async (res, attempt) => {
      if (res.status === 206) {
        const range = parseContentRange(res.headers.get('content-range'));
        if (
          !range ||
          range.start > start ||
          range.end < askEnd ||
          versionChanged(url, info, res, range.total)
        ) {
          await res.body?.cancel().catch(() => undefined);
          if (range) checkSameVersion(url, info, res, range.total);
          throw new RetryableError(
            `Content-Range "${res.headers.get('content-range')}" does not cover bytes ${start}-${askEnd - 1}`,
          );
        }
        const got = new Map<number, Uint8Array>();
        let body = await readBody(res, attempt, range.end - range.start);
        if (fragment && range.end === askEnd) {
          const joined = new Uint8Array(body.length + fragment.length);
          joined.set(body);
          joined.set(fragment, body.length);
          body = joined;
        }
        for (let i = first; i <= last; i++) {
          const from = i * B - range.start;
          const data = body.slice(from, from + this.blockLength(info, i));
          if (data.length !== this.blockLength(info, i)) {
            throw new RetryableError(`block ${i} of ${url} came back short (${data.length} bytes)`);
          }
          got.set(i, data);
          await this.storeBlock(info, i, data);
        }
        return got;
      }
      if (res.status === 200) {
        const kept = new Map<number, Uint8Array>();
        const whole = await this.readWhole(res, attempt, info, false, want, kept);
        if (info.rangeSupport && !whole.rangeSupport) {
          info.rangeSupport = false;
          await session.cache?.writeMeta(info);
        }
        return kept;
      }
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 412) {
        throw new RemoteFileChangedError(
          url,
          `HTTP 412: it no longer matches ${info.etag ?? info.lastModified}`,
        );
      }
      if (res.status === 404 || res.status === 410 || res.status === 416) {
        throw new RemoteFileChangedError(
          url,
          `HTTP ${res.status} for bytes ${start}-${end - 1} of a ${info.size}-byte file`,
        );
      }
      throw new HttpStatusError(url, res.status, res.statusText);
    });
  }
}
