/**
 * Security checks that complement test/main: the web bridge as a real process (bound to
 * 127.0.0.1 only, token and origin checks, no CORS), the renderer page and bundle (strict CSP,
 * no inline script, no Node or Electron), no shell command anywhere in the product, and output
 * paths that cannot leave the chosen folder whatever the names in a project file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSpeczCatalog } from '../../compute/io/specz-register';
import { outputPath } from '../../compute/pipeline/output-writer';
import { parseProject, sanitizeName } from '../../compute/pipeline/project';
import { runTrainingSet } from '../../compute/pipeline/run';
import { CONTENT_SECURITY_POLICY } from '../../main/security';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../fixtures';
import { startBridge, stopBridges, type Bridge } from './bridge';
import { prng, snapshot, tempDir } from './helpers';

const { dir, cleanup } = tempDir('tsm-rel-security-');
afterAll(() => {
  stopBridges();
  cleanup();
});

describe('the web bridge process', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    bridge = await startBridge(join(dir, 'data'));
  });
  const api = (init: RequestInit & { path?: string } = {}) =>
    fetch(new URL(init.path ?? '/api/getAppInfo', bridge.url), {
      method: 'POST',
      body: '[]',
      ...init,
    });

  it('listens on 127.0.0.1 only: other local addresses refuse the connection', async () => {
    expect(bridge.url.hostname).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const host of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host, port: Number(bridge.url.port) });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect([host, outcome]).toEqual([
        host,
        expect.stringMatching(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/),
      ]);
    }
  });

  it('refuses API calls without the token, with a wrong one, or with the token only in the query', async () => {
    expect((await api()).status).toBe(401);
    expect((await api({ headers: { Authorization: 'Bearer x' } })).status).toBe(401);
    expect((await api({ headers: { Authorization: `Bearer ${bridge.token}x` } })).status).toBe(401);
    expect((await api({ path: `/api/getAppInfo?token=${bridge.token}` })).status).toBe(401);
    expect((await api({ headers: { Authorization: `Bearer ${bridge.token}` } })).status).toBe(200);
  });

  it('refuses other origins, the opaque origin "null", and answers no CORS preflight', async () => {
    const auth = { Authorization: `Bearer ${bridge.token}` };
    for (const origin of [
      'http://evil.test',
      'null',
      `http://127.0.0.1:${Number(bridge.url.port) + 1}`,
      `https://127.0.0.1:${bridge.url.port}`,
    ]) {
      const r = await api({ headers: { ...auth, Origin: origin } });
      expect([origin, r.status]).toEqual([origin, 403]);
    }
    const ok = await api({ headers: { ...auth, Origin: `http://127.0.0.1:${bridge.url.port}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(new URL('/api/getAppInfo', bridge.url), {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the renderer page and bundle', () => {
  const html = readFileSync(join(PROJECT_ROOT, 'dist', 'renderer', 'index.html'), 'utf8');

  it('declares a CSP without unsafe-*, wildcards or remote sources, as strict as the header', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    for (const policy of [meta!, CONTENT_SECURITY_POLICY]) {
      expect(policy).not.toMatch(/unsafe-|\*|https?:|ws:/);
      expect(policy).toMatch(/default-src 'none'/);
      expect(policy).toMatch(/script-src 'self'(;|$)/);
      expect(policy).toMatch(/object-src|default-src 'none'/);
    }
  });

  it('has no inline script and no remote resource', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim()).toBe('');
      expect(attrs).toMatch(/src="[\w./-]+"/);
      expect(attrs).not.toMatch(/src="(https?:)?\/\//);
    }
    expect(html).not.toMatch(/\bon[a-z]+=/i); // no inline event handlers
  });

  it('the renderer bundle uses no Node or Electron module', () => {
    const js = readFileSync(join(PROJECT_ROOT, 'dist', 'renderer', 'app.js'), 'utf8');
    expect(js).not.toMatch(/require\(["'](electron|fs|child_process|node:[a-z_]+)["']\)/);
    expect(js).not.toMatch(/from ?["'](electron|node:[a-z_]+)["']/);
    expect(js).not.toMatch(/\beval\(|new Function\(/);
  });
});

/** Source files of the product (what ships), not tests or benchmarks. */
function productSources(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mjs|js|cjs)$/.test(e.name)) out.push(p);
    }
  };
  for (const top of ['compute', 'main', 'preload', 'renderer', 'scripts'])
    walk(join(PROJECT_ROOT, top));
  return out;
}

describe('no shell command is ever built from user input', () => {
  it('child_process appears only where a fixed program runs with an argument list, never with a shell', () => {
    const users: string[] = [];
    for (const file of productSources()) {
      const text = readFileSync(file, 'utf8');
      expect([file, /shell\s*:\s*true/.test(text)]).toEqual([file, false]);
      expect([file, /\bexec(Sync)?\s*\(/.test(text.replace(/\.exec\(/g, ''))]).toEqual([
        file,
        false,
      ]);
      if (/['"](node:)?child_process['"]/.test(text)) users.push(relative(PROJECT_ROOT, file));
    }
    // web.ts opens the printed URL with the desktop's opener (open / explorer / xdg-open);
    // scripts/start-electron.mjs starts the Electron binary. Both pass argument arrays.
    expect(users.sort()).toEqual([join('main', 'web.ts'), join('scripts', 'start-electron.mjs')]);
    const web = readFileSync(join(PROJECT_ROOT, 'main', 'web.ts'), 'utf8');
    expect(web).toMatch(/spawn\(command, \[target\], \{ stdio: 'ignore', detached: true \}\)/);
    expect(web).toMatch(
      /command =\s+process\.platform === 'darwin' \? 'open' : process\.platform === 'win32' \? 'explorer' : 'xdg-open'/,
    );
  });

  it('Electron never opens external URLs (no shell.openExternal)', () => {
    for (const file of productSources()) {
      expect([file, readFileSync(file, 'utf8').includes('openExternal')]).toEqual([file, false]);
    }
  });
});

describe('paths from project files stay in the chosen output folder', () => {
  it('sanitizeName keeps 2000 random hostile names inside the folder (no separator, no leading dot)', () => {
    const rand = prng(77);
    const parts = [
      '..',
      '.',
      '/',
      '\\',
      ':',
      'a',
      ' ',
      '\u0000',
      '~',
      'C:',
      '%2e',
      '\n',
      'é',
      '*',
      '-',
    ];
    const folder = join(dir, 'out');
    for (let k = 0; k < 2000; k++) {
      const name = Array.from(
        { length: 1 + Math.floor(rand() * 8) },
        () => parts[Math.floor(rand() * parts.length)],
      ).join('');
      const safe = sanitizeName(name);
      // eslint-disable-next-line no-control-regex
      expect(safe).not.toMatch(/[/\\:\u0000]|^\./);
      for (const format of ['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const) {
        expect(dirname(outputPath(folder, safe, format))).toBe(folder);
      }
    }
  });

  it('a run named "../../escape" writes only inside its folder', async () => {
    const root = join(dir, 'escape-root');
    const folder = join(root, 'a', 'b', 'out');
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: '../../escape',
          specz: { path: join(TSM_EXAMPLE, 'specz.parquet') },
          photometry: {
            location: join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog'),
            dereddening: { map: 'none' },
          },
          split: { seed: 1 },
          output: { folder, format: 'hats' },
        },
        'escape.tsm.json',
      ),
      { workers: 0 },
    );
    expect(result.outputPath.startsWith(folder + sep)).toBe(true);
    const files = Object.keys(snapshot(root));
    expect(
      files
        .filter((f) => !['a/', join('a', 'b') + '/'].includes(f))
        .every((f) => f.startsWith(join('a', 'b', 'out'))),
    ).toBe(true);
    expect(files).toContain(join('a', 'b', 'out', '_.._escape.hats') + '/');
  });

  it('a spec-z catalog registered as "../../x" stays in <data>/catalogs/', async () => {
    const data = join(dir, 'reg-data');
    const { catalogDir } = await registerSpeczCatalog(join(TSM_EXAMPLE, 'specz.parquet'), {
      dataDir: data,
      name: '../../x',
    });
    expect(catalogDir).toBe(join(data, 'catalogs', 'x'));
    expect(Object.keys(snapshot(data)).every((f) => f.startsWith('catalogs'))).toBe(true);
  });
});
