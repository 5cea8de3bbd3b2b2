import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebApi } from '../../renderer/transport/web-api';

/** A WebSocket that never connects unless told to; records when each one was made. */
class FakeSocket {
  static made: number[] = [];
  static last: FakeSocket | null = null;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(Date.now());
    FakeSocket.last = this;
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  FakeSocket.made = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Closes the current socket and returns how long it took until the next one was made. */
function closeAndWait(open = false): number {
  const before = FakeSocket.made.length;
  const t0 = Date.now();
  if (open) FakeSocket.last!.onopen!();
  FakeSocket.last!.onclose!();
  while (FakeSocket.made.length === before) vi.advanceTimersByTime(250);
  return Date.now() - t0;
}

describe('the web bridge event socket', () => {
  it('retries a refused connection less and less often, up to every 30 s', () => {
    const api = createWebApi('http://127.0.0.1:1', 'stale-token');
    api.on('runProgress', () => undefined);
    const waits = Array.from({ length: 7 }, () => closeAndWait());
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    // a connection that worked and dropped (the app restarted) is tried again after 1 s
    expect(closeAndWait(true)).toBe(1000);
  });
});

describe('the web bridge requests', () => {
  it('send the draft with keepalive, so a save as the page closes is not dropped; other calls without', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: null }), { status: 200 });
    });
    const api = createWebApi('http://127.0.0.1:1', 'token');
    await api.saveDraft({ version: 1 } as never, null).catch(() => undefined);
    await api.listCatalogs().catch(() => undefined);
    expect(calls.map((c) => [c.url.split('/').pop(), c.init.keepalive])).toEqual([
      ['saveDraft', true],
      ['listCatalogs', false],
    ]);
    // a body over the browsers' keepalive limit goes without it (it would be refused)
    const big = { version: 1, description: 'x'.repeat(70_000) };
    await api.saveDraft(big as never, null).catch(() => undefined);
    expect(calls[2].init.keepalive).toBe(false);
    // the plots' stop sent as the page closes (pagehide) goes too; the plots' request does not
    await api.cancelRunQa('qa-1').catch(() => undefined);
    await api.getRunQa('run-1', 'qa-1').catch(() => undefined);
    expect(calls.slice(3).map((c) => [c.url.split('/').pop(), c.init.keepalive])).toEqual([
      ['cancelRunQa', true],
      ['getRunQa', false],
    ]);
  });
});
