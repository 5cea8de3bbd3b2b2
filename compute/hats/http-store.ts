import { UserError } from '../errors';
import type { ByteSource, ByteStore } from './byte-source';
import { readBody } from './http-body';
import { HttpStatusError, OfflineMissingError } from './http-errors';
import type { HttpStats } from './http-options';
import type { HttpSession } from './http-session';
import { HttpSource } from './http-source';

/** Percent-encodes what cannot stand in a URL path segment, keeping HATS names (`Norder=1`) readable. */
function encodeSegment(segment: string): string {
  return segment.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, (c) => encodeURIComponent(c));
}

/** Normalizes a catalog URL: http(s) only, no fragment, path ending in '/'. */
export function normalizeRootUrl(location: string): URL {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new UserError(
      `"${location}" is not a valid URL. Give an http(s) URL of a HATS catalog folder.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      `${location}: only http:// and https:// URLs are supported for remote catalogs.`,
    );
  }
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Links of an HTML directory index that name direct children of `dir` (directories end with '/'). */
export function parseHtmlIndex(html: string, dir: URL): string[] {
  const names = new Set<string>();
  for (const m of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const href = (m[1] ?? m[2] ?? m[3]).replace(/&amp;/g, '&');
    let target: URL;
    try {
      target = new URL(href, dir);
    } catch {
      continue;
    }
    if (target.origin !== dir.origin || target.search || !target.pathname.startsWith(dir.pathname))
      continue;
    const rest = target.pathname.slice(dir.pathname.length);
    if (rest === '' || rest.slice(0, -1).includes('/')) continue;
    names.add(decodeURIComponent(rest));
  }
  return [...names].sort();
}

/**
 * A ByteStore rooted at an http(s) URL. Files are read with Range requests through the session
 * (cache, retries, validators); `list()` needs an HTML directory index, which HATS never requires
 * when `partition_info.csv` exists.
 */
export class HttpStore implements ByteStore {
  readonly root: string;
  private readonly base: URL;

  constructor(
    location: string,
    readonly session: HttpSession,
  ) {
    this.base = normalizeRootUrl(location);
    this.root = this.base.href;
  }

  /** The absolute URL of a path relative to the root ('' = the root itself). */
  url(relPath: string): string {
    const encoded = relPath.split('/').map(encodeSegment).join('/');
    const url = new URL(encoded, this.base);
    url.search = this.base.search;
    return url.href;
  }

  open(relPath: string): ByteSource {
    return new HttpSource(this.session, this.url(relPath));
  }

  async exists(relPath: string): Promise<boolean> {
    try {
      await this.open(relPath).size();
      return true;
    } catch (err) {
      if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410))
        return false;
      throw err;
    }
  }

  async readText(relPath: string): Promise<string> {
    const source = this.open(relPath);
    return new TextDecoder().decode(await source.read(0, await source.size()));
  }

  async list(relPath: string): Promise<string[]> {
    const dir = new URL(this.url(relPath === '' ? '' : `${relPath.replace(/\/$/, '')}/`));
    const what = `cannot list ${dir.href}`;
    if (this.session.options.offline) {
      this.session.markMissing(dir.href);
      throw new OfflineMissingError(dir.href, 'directory listings are not cached');
    }
    const html = await this.session
      .request(dir.href, {}, async (res, attempt) => {
        if (!res.ok) {
          await res.body?.cancel().catch(() => undefined);
          throw new HttpStatusError(dir.href, res.status, res.statusText);
        }
        return new TextDecoder().decode(await readBody(res, attempt));
      })
      .catch((err: unknown) => {
        throw new UserError(
          `${what}: ${(err as Error).message} Remote HATS catalogs need partition_info.csv (the server gives no directory index).`,
        );
      });
    if (!/<a\s/i.test(html)) {
      throw new UserError(
        `${what}: the server gave no HTML directory index. Remote HATS catalogs need partition_info.csv.`,
      );
    }
    return parseHtmlIndex(html, dir);
  }

  child(relPath: string): ByteStore {
    return new HttpStore(this.url(relPath.replace(/\/$/, '')), this.session);
  }

  /** What this store's session fetched so far (shared by every store of the session). */
  stats(): HttpStats {
    return this.session.stats();
  }
}
