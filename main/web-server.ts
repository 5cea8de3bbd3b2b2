import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeWire, encodeWire } from '../preload/wire';
import { dispatch } from './dispatch';
import { CONTENT_SECURITY_POLICY } from './security';
import type { TsmBackend } from './tsm-service';

/** Largest request body (an uploaded spec-z file travels base64 inside it). */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface WebServerOptions {
  backend: TsmBackend;
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  /** 0 = any free port. */
  port: number;
  /** Defaults to a fresh random token per launch. */
  token?: string;
}

export interface WebServer {
  /** The address to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('Request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The web bridge: the renderer over HTTP and the TsmApi as `POST /api/<method>` (JSON argument
 * list, `Authorization: Bearer <token>`) plus a WebSocket `/events?token=` for events. Binds
 * 127.0.0.1 only, rejects foreign Host/Origin headers (DNS rebinding) and requests without the
 * per-launch token.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { backend } = options;
  const staticDir = resolve(options.staticDir);
  let port = options.port;
  const allowedHost = (host: string | undefined) =>
    host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const allowedOrigin = (origin: string | undefined) =>
    origin === undefined ||
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}`;

  const server = createServer(async (req, res) => {
    try {
      if (!allowedHost(req.headers.host) || !allowedOrigin(req.headers.origin)) {
        return send(res, 403, 'Forbidden host or origin');
      }
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return send(res, 405, 'Use POST');
        const auth = req.headers.authorization ?? '';
        if (!sameToken(auth.replace(/^Bearer /, ''), token)) return send(res, 401, 'Bad token');
        let args: unknown;
        try {
          args = decodeWire(await readBody(req));
        } catch (err) {
          return send(res, 400, `Bad request body: ${(err as Error).message}`);
        }
        const method = decodeURIComponent(url.pathname.slice('/api/'.length));
        const reply = await dispatch(backend.service, method, args);
        return send(res, 200, encodeWire(reply), 'application/json');
      }
      if (req.method !== 'GET') return send(res, 405, 'Use GET');
      const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      const file = normalize(join(staticDir, rel));
      if (!file.startsWith(staticDir + sep) || !MIME[extname(file)])
        return send(res, 404, 'Not found');
      const body = await readFile(file).catch(() => null);
      if (!body) return send(res, 404, 'Not found');
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)],
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch (err) {
      if (!res.headersSent) send(res, 500, `Internal error: ${(err as Error).message}`);
    }
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (
      url.pathname !== '/events' ||
      !allowedHost(req.headers.host) ||
      !allowedOrigin(req.headers.origin) ||
      !sameToken(url.searchParams.get('token'), token)
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const remove = backend.addSink((event, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeWire({ event, payload }));
      });
      ws.on('close', remove);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
