import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { FIXTURES } from '../fixtures';

/** One request as the server saw it. */
export interface LoggedRequest {
  method: string;
  /** URL path, decoded. */
  path: string;
  range?: string;
  ifMatch?: string;
  ifNoneMatch?: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
}

/** A fault applied to the next `count` requests whose path matches `match` (all when absent). */
interface Fault {
  count: number;
  match?: RegExp;
}

/**
 * Fault injection knobs; tests set them between reads. Each `*Next` fault is used up request by
 * request.
 */
export interface Faults {
  /** Answer with `status` (and Retry-After seconds if given). */
  failNext?: Fault & { status: number; retryAfterSec?: number };
  /** Send the headers (full Content-Length) and half the body, then cut the connection. */
  truncateNext?: Fault;
  /** Cut the connection before any response. */
  dropNext?: Fault;
  /** Wait `ms` before answering (`midBody`: send headers and half the body first). */
  slowNext?: Fault & { ms: number; midBody?: boolean };
  /**
   * Send the headers (full Content-Length), then one body byte every `ms` until the client goes
   * (`silent`: no byte at all, and no headers either).
   */
  trickleNext?: Fault & { ms: number; silent?: boolean };
}

export interface FixtureServerOptions {
  /** Folder served (read-only). Default: the shared fixtures. */
  root?: string;
  /** Honour Range requests (default true); false answers 200 with the whole file, like some servers. */
  ranges?: boolean;
  /** Serve an HTML index for folders (default true). */
  index?: boolean;
  /** Honour If-Match / If-None-Match / If-(Un)Modified-Since (default true). */
  conditionals?: boolean;
  /** Send ETag and Last-Modified (default true). */
  validators?: boolean;
}

export interface FixtureServer {
  /** Base URL, ending with '/'. */
  readonly url: string;
  /** URL of a path relative to the served root (or an absolute path inside it). */
  urlFor(path: string): string;
  readonly log: LoggedRequest[];
  faults: Faults;
  options: Required<FixtureServerOptions>;
  /** Serve `bytes` for `relPath` from now on (a new ETag and Last-Modified): "the file changed". */
  setFile(relPath: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

function takeFault<F extends Fault>(fault: F | undefined, path: string): F | undefined {
  if (!fault || fault.count <= 0 || (fault.match && !fault.match.test(path))) return undefined;
  fault.count--;
  return fault;
}

/** Parses one `bytes=` range against a size: [start, end) or 'unsatisfiable' or undefined (ignore). */
function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
  if (start >= size || end <= start) return 'unsatisfiable';
  return [start, end];
}

/**
 * Starts a read-only static HTTP server on 127.0.0.1 (a free port) over the shared fixtures, with
 * single-range support, strong ETags, Last-Modified, conditional requests (If-Match,
 * If-None-Match, If-Modified-Since, If-Unmodified-Since), optional HTML folder indexes, a request
 * log and fault injection.
 */
export async function startFixtureServer(
  options: FixtureServerOptions = {},
): Promise<FixtureServer> {
  const root = resolve(options.root ?? FIXTURES);
  const opts: Required<FixtureServerOptions> = {
    root,
    ranges: true,
    index: true,
    conditionals: true,
    validators: true,
    ...options,
  };
  const overrides = new Map<string, { bytes: Uint8Array; version: number }>();
  let versions = 0;
  const log: LoggedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(String(err));
      } else res.destroy();
    });
  });

  const state: FixtureServer = {
    url: '',
    urlFor: (path) => {
      const rel = path.startsWith(root) ? path.slice(root.length + 1) : path;
      return (
        state.url +
        rel
          .split(sep)
          .join('/')
          .split('/')
          .map((s) => encodeURIComponent(s).replace(/%3D/g, '='))
          .join('/')
      );
    },
    log,
    faults: {},
    options: opts,
    setFile: (relPath, bytes) => {
      overrides.set(relPath.replace(/^\//, ''), { bytes, version: ++versions });
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path,
      range: req.headers.range,
      ifMatch: req.headers['if-match'],
      ifNoneMatch: req.headers['if-none-match'],
      status: 0,
      bytes: 0,
    };
    log.push(entry);
    const finish = (status: number, body?: Uint8Array | string) => {
      entry.status = status;
      res.statusCode = status;
      const data = typeof body === 'string' ? Buffer.from(body) : body;
      entry.bytes = req.method === 'HEAD' || !data ? 0 : data.length;
      res.setHeader('content-length', data ? data.length : 0);
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    const f = state.faults;
    if (takeFault(f.dropNext, path)) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    const fail = takeFault(f.failNext, path);
    if (fail) {
      if (fail.retryAfterSec !== undefined)
        res.setHeader('retry-after', String(fail.retryAfterSec));
      return finish(fail.status, 'injected failure');
    }
    const trickle = takeFault(f.trickleNext, path);
    if (trickle) {
      entry.status = trickle.silent ? 0 : 200;
      if (!trickle.silent) res.writeHead(200, { 'content-length': 1_000_000 });
      let sent = 0;
      const timer = trickle.silent
        ? undefined
        : setInterval(() => {
            res.write('x');
            entry.bytes = ++sent;
          }, trickle.ms);
      await new Promise<void>((gone) => req.socket.once('close', () => gone()));
      clearInterval(timer);
      return;
    }
    const slow = takeFault(f.slowNext, path);
    if (slow && !slow.midBody) await new Promise((r) => setTimeout(r, slow.ms));
    if (req.method !== 'GET' && req.method !== 'HEAD') return finish(405, 'read-only');

    const rel = path.replace(/^\/+/, '');
    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return finish(403, 'outside the root');

    let bytes: Uint8Array;
    let mtimeMs: number;
    let etag: string;
    const override = overrides.get(rel);
    if (override) {
      bytes = override.bytes;
      mtimeMs = Date.UTC(2030, 0, 1) + override.version * 1000;
      etag = `"v${override.version}-${bytes.length}"`;
    } else {
      let s;
      try {
        s = await stat(file);
      } catch {
        return finish(404, 'not found');
      }
      if (s.isDirectory()) {
        if (!opts.index) return finish(404, 'no index');
        if (!path.endsWith('/')) {
          res.setHeader('location', `${path}/`);
          return finish(301);
        }
        const names = (await readdir(file, { withFileTypes: true })).map((d) =>
          d.isDirectory() ? `${d.name}/` : d.name,
        );
        res.setHeader('content-type', 'text/html; charset=utf-8');
        const links = names.map(
          (n) =>
            `<a href="${encodeURIComponent(n.replace(/\/$/, ''))}${n.endsWith('/') ? '/' : ''}">${n}</a>`,
        );
        return finish(200, `<html><body><a href="../">../</a>\n${links.join('\n')}</body></html>`);
      }
      bytes = await readFile(file);
      mtimeMs = s.mtimeMs;
      etag = `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`;
    }
    const lastModified = new Date(mtimeMs).toUTCString();
    const modifiedSec = Math.floor(mtimeMs / 1000);
    if (opts.validators) {
      res.setHeader('etag', etag);
      res.setHeader('last-modified', lastModified);
    }
    if (opts.ranges) res.setHeader('accept-ranges', 'bytes');

    const cond = opts.conditionals;
    const ifMatch = cond ? req.headers['if-match'] : undefined;
    const ifUnmodified = cond ? req.headers['if-unmodified-since'] : undefined;
    if (
      (ifMatch && ifMatch !== '*' && !ifMatch.split(',').some((t) => t.trim() === etag)) ||
      (!ifMatch && ifUnmodified && modifiedSec > Date.parse(ifUnmodified) / 1000)
    ) {
      return finish(412, 'precondition failed');
    }
    const ifNoneMatch = cond ? req.headers['if-none-match'] : undefined;
    const ifModified = cond ? req.headers['if-modified-since'] : undefined;
    if (
      (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag)) ||
      (!ifNoneMatch && ifModified && modifiedSec <= Date.parse(ifModified) / 1000)
    ) {
      entry.status = 304;
      res.statusCode = 304;
      return void res.end();
    }

    let status = 200;
    let body = bytes;
    const range =
      opts.ranges && req.headers.range ? parseRange(req.headers.range, bytes.length) : undefined;
    if (range === 'unsatisfiable') {
      res.setHeader('content-range', `bytes */${bytes.length}`);
      return finish(416, 'range not satisfiable');
    }
    if (range) {
      status = 206;
      body = bytes.subarray(range[0], range[1]);
      res.setHeader('content-range', `bytes ${range[0]}-${range[1] - 1}/${bytes.length}`);
    }
    res.setHeader('content-type', 'application/octet-stream');
    const truncate = takeFault(f.truncateNext, path);
    if ((truncate || slow?.midBody) && req.method === 'GET' && body.length > 1) {
      entry.status = status;
      res.writeHead(status, { 'content-length': body.length });
      const half = body.subarray(0, Math.floor(body.length / 2));
      entry.bytes = half.length;
      res.write(half);
      if (slow?.midBody) {
        await new Promise((r) => setTimeout(r, slow.ms));
        if (res.destroyed) return;
        entry.bytes = body.length;
        return void res.end(body.subarray(half.length));
      }
      await new Promise((r) => setTimeout(r, 20));
      res.destroy();
      return;
    }
    finish(status, body);
  }

  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as AddressInfo;
  (state as { url: string }).url = `http://127.0.0.1:${port}/`;
  return state;
}

/** A loopback URL where nothing listens (connections are refused). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}/`;
}

/** Joins path parts with '/', for fixture-relative paths. */
export function fixturePath(...parts: string[]): string {
  return join(...parts)
    .split(sep)
    .join('/');
}
