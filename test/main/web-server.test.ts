import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestBackend } from '../helpers/test-backend';
import { speczMapping } from '../helpers/specz-mapping';
import { startWebServer, type WebServer } from '../../main/web-server';
import type { TsmBackend } from '../../main/tsm-service';
import { decodeWire, encodeWire } from '../../preload/wire';
import { TSM_EXAMPLE } from '../fixtures';

let dir: string;
let server: WebServer;
let backend: TsmBackend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-web-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'secret.js'), 'secret');
  backend = createTestBackend(dir, join(dir, 'data'));
  server = await startWebServer({ backend, staticDir, port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request (so the Host header can be forged). */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          method: options.method ?? 'GET',
          headers: options.headers,
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

const call = (method: string, args: unknown[], token = server.token) =>
  raw(`/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: encodeWire(args),
  });

describe('the web bridge', () => {
  it('prints a 127.0.0.1 URL carrying a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('serves the renderer with a strict CSP, and nothing outside its folder', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await raw('/../secret.js')).status).toBe(404);
    expect((await raw('/%2e%2e/secret.js')).status).toBe(404);
  });

  it('answers API calls with the token and refuses them without', async () => {
    const ok = await call('getAppInfo', []);
    expect(decodeWire(ok.body)).toEqual({
      ok: true,
      value: { name: 'TSM', version: '9', transport: 'web', platform: process.platform },
    });
    expect((await call('getAppInfo', [], 'wrong')).status).toBe(401);
    expect((await raw('/api/getAppInfo', { method: 'POST', body: '[]' })).status).toBe(401);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding)', async () => {
    const forged = await raw('/api/getAppInfo', {
      method: 'POST',
      headers: { Host: 'evil.test', Authorization: `Bearer ${server.token}` },
      body: '[]',
    });
    expect(forged.status).toBe(403);
    const origin = await raw('/api/getAppInfo', {
      method: 'POST',
      headers: { Origin: 'http://evil.test', Authorization: `Bearer ${server.token}` },
      body: '[]',
    });
    expect(origin.status).toBe(403);
  });

  it('describes a real HATS catalog through the same services', async () => {
    const location = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
    const reply = decodeWire((await call('addPhotometric', [{ location }])).body) as {
      ok: boolean;
      value: { name: string; rowCount: number; partitions: number; columns: { name: string }[] };
    };
    expect(reply.ok).toBe(true);
    expect(reply.value.name).toBe('mini_dataset');
    expect(reply.value.rowCount).toBe(40);
    expect(reply.value.partitions).toBe(1);
    expect(reply.value.columns.map((c) => c.name).slice(0, 4)).toEqual([
      '_healpix_29',
      'ra',
      'dec',
      'id',
    ]);
  });

  it('pushes events over the WebSocket only to clients with the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=nope`);
    const refusedResult = await new Promise((r) => {
      refused.on('error', () => r('error'));
      refused.on('open', () => r('open'));
    });
    expect(refusedResult).toBe('error');
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((r) => ws.on('message', (m) => r(decodeWire(String(m)))));
    backend.emit('menu', { command: 'about' });
    expect(await got).toEqual({ event: 'menu', payload: { command: 'about' } });
    ws.close();
  });

  it("pushes a check's reading of the file under its request id", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((r) => ws.on('open', r));
    const events: unknown[] = [];
    ws.on('message', (m) => events.push(decodeWire(String(m))));
    const path = join(TSM_EXAMPLE, 'specz.parquet');
    const reply = decodeWire(
      (
        await call('validateSpecz', [
          { path, mapping: speczMapping({ id: 'id' }), requestId: 'chk' },
        ])
      ).body,
    ) as { ok: boolean; value: { rowsRead: number } };
    expect(reply.value.rowsRead).toBe(80);
    await new Promise((r) => setTimeout(r, 200));
    ws.close();
    // one batch of the file's 80 rows, then the end of the reading
    const progress = { phase: 'read', rowsRead: 80, fraction: 1 };
    expect(events).toEqual([
      { event: 'catalogProgress', payload: { requestId: 'chk', progress } },
      { event: 'catalogProgress', payload: { requestId: 'chk', progress } },
    ]);
  });
});
