/**
 * What a broken-off body's error says, on real responses from a raw server (127.0.0.1) that
 * announces more bytes than it sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody } from '../../../compute/hats/http-body';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const sent = Number(new URL(req.url!, 'http://x').searchParams.get('send'));
    res.writeHead(200, { 'content-length': '200' });
    res.write(Buffer.alloc(sent, 7));
    // end the connection without the rest of the announced body
    setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const attempt = { progress: () => undefined, signal: new AbortController().signal };

describe('readBody on a body cut short', () => {
  // it said "after 100 of 100 bytes": every byte asked for had come, not the announced 200
  it('names the Content-Length the server announced when every byte asked for came', async () => {
    const res = await fetch(`${url}?send=100`);
    await expect(readBody(res, attempt, 100)).rejects.toThrow(
      /^connection lost after 100 bytes of the 200 its Content-Length announced \(.+; truncated body\)$/,
    );
  });

  it('says how many of the bytes asked for came when fewer did', async () => {
    const res = await fetch(`${url}?send=60`);
    await expect(readBody(res, attempt, 150)).rejects.toThrow(
      /^connection lost after 60 of 150 bytes \(.+; truncated body\)$/,
    );
  });
});
