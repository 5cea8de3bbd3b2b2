import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../fixtures';

const WEB = join(PROJECT_ROOT, 'dist', 'web.js');

describe('node dist/web.js', () => {
  it('prints its usage and refuses a bad port with exit code 2', () => {
    const help = spawnSync(process.execPath, [WEB, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--data-dir DIR');
    const bad = spawnSync(process.execPath, [WEB, '--port', '70000'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number from 0 to 65535 (got 70000)');
  });

  it.runIf(process.platform === 'linux')(
    'refuses a data folder that cannot be made with exit code 2 and one line (it used to hang)',
    () => {
      const r = spawnSync(process.execPath, [WEB, '--data-dir', '/proc/tsm-data', '--port', '0'], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(
        "--data-dir /proc/tsm-data cannot be created there (its parent cannot hold folders): choose another --data-dir (ENOENT: no such file or directory, mkdir '/proc/tsm-data')",
      );
    },
  );

  it('prints the 127.0.0.1 address with its token and the data folder, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tsm-web-cli-'));
    const child = spawn(process.execPath, [WEB, '--data-dir', dataDir], {
      env: { ...process.env, CI: '1' },
    });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('Ctrl-C')) resolve();
      }),
    );
    expect(out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}/);
    expect(out).toContain(`Data folder: ${dataDir}`);
    const code = await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

// With Electron's binary installed, `npm start` would open a window instead of explaining.
describe.skipIf(existsSync(join(PROJECT_ROOT, 'node_modules', 'electron', 'path.txt')))(
  'npm start without the Electron binary',
  () => {
    it('explains how to download Electron and how to use npm run web instead', () => {
      const run = spawnSync(
        process.execPath,
        [join(PROJECT_ROOT, 'scripts', 'start-electron.mjs')],
        {
          encoding: 'utf8',
        },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('node node_modules/electron/install.js');
      expect(run.stderr).toContain('npm run web');
    });
  },
);
