import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
    // an empty folder given: marked, nothing said
    expect(out).not.toContain('Made a new');
    expect(readdirSync(dataDir)).toContain('.tsm-data-folder');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a --data-dir of other files (a home folder) with exit code 2, writing nothing there', () => {
    const home = mkdtempSync(join(tmpdir(), 'tsm-web-home-'));
    try {
      mkdirSync(join(home, 'Documents'));
      writeFileSync(join(home, '.bashrc'), '');
      const r = spawnSync(process.execPath, [WEB, '--data-dir', home, '--port', '0'], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, CI: '1' },
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(
        `--data-dir ${home} already holds other files (.bashrc, Documents) and is not a Training Set Maker data folder (no .tsm-data-folder, catalogs/ or runs/ in it), so its catalogs, runs and settings would be put among them: give a new or empty folder, such as ${join(home, 'tsm-data')}, or, to use this folder as it is, put an empty file named .tsm-data-folder in it.`,
      );
      // it served the app and wrote the marker, the draft and settings.json there
      expect(readdirSync(home).sort()).toEqual(['.bashrc', 'Documents']);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('makes a missing --data-dir with its marker and says so once', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tsm-web-new-'));
    const dataDir = join(parent, 'tsm-data');
    try {
      const launch = async () => {
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
        await new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        });
        return out;
      };
      expect(await launch()).toContain(
        `Data folder: ${dataDir}\nMade a new, empty data folder ${dataDir} (it did not exist).\nPress Ctrl-C to stop.`,
      );
      expect(readFileSync(join(dataDir, '.tsm-data-folder'), 'utf8')).toMatch(/^A data folder/);
      expect(await launch()).not.toContain('Made a new');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
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
