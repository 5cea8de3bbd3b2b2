/** The web bridge (`node dist/web.js`) as a child process, for tests that close or probe it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { decodeWire, encodeWire } from '../../preload/wire';
import { PROJECT_ROOT } from '../fixtures';

const children: ChildProcess[] = [];

/** Kills every bridge still running (afterAll). */
export function stopBridges(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export interface Bridge {
  url: URL;
  token: string;
  child: ChildProcess;
  call<T>(method: string, args: unknown[]): Promise<T>;
  exited: Promise<number | null>;
}

/** Starts the web bridge on a free port and waits for its address. */
export async function startBridge(dataDir: string): Promise<Bridge> {
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'dist', 'web.js'), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1' },
    },
  );
  children.push(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<URL>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      text += s;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(text);
      if (m) resolve(new URL(m[0]));
    });
    child.once('exit', (code) => reject(new Error(`web.js exited (${code}) before listening`)));
  });
  const token = url.searchParams.get('token')!;
  return {
    url,
    token,
    child,
    exited,
    async call<T>(method: string, args: unknown[]): Promise<T> {
      const res = await fetch(new URL(`/api/${method}`, url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: encodeWire(args),
      });
      const reply = decodeWire(await res.text()) as { ok: boolean; value?: T; error?: unknown };
      if (!reply.ok) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
      return reply.value as T;
    },
  };
}
