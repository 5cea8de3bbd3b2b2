/**
 * A run that `tsm run --data-dir` is running on the web bridge's data folder, on the Runs page in
 * Chromium: it was listed as failed ("The app closed while this run was in progress") while tsm
 * still ran it. It is listed running, naming tsm's process, and failed once tsm is killed.
 * Oracle: the pid of the tsm process this test started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../fixtures';
import { testTempDir } from '../helpers/temp-dir';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { nav } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let page: Page;
let server: Server;
let tsm: ChildProcess | undefined;
const pageErrors: string[] = [];

describe.skipIf(!haveChromium)('a run tsm run is running on the Runs page', () => {
  beforeAll(async () => {
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
    // a photometric catalog on a server that never answers: the run stays in its first stage
    server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  }, 120_000);

  afterAll(async () => {
    tsm?.kill('SIGKILL');
    server?.closeAllConnections();
    server?.close();
    await browser?.close();
    await app?.stop();
  });

  it('is listed running in tsm run (its pid) while tsm lives, failed once it is killed', async () => {
    const port = (server.address() as AddressInfo).port;
    const proc = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist', 'cli.js'),
        'run',
        '--specz',
        join(TSM_EXAMPLE, 'specz.parquet'),
        '--photometry',
        `http://127.0.0.1:${port}/catalog`,
        '--name',
        'from tsm',
        '--progress',
        'none',
        '--out',
        join(app.dataDir, 'tsm-out'),
        '--data-dir',
        app.dataDir,
      ],
      {
        // killed below, it cannot remove its output lock: a temp folder of the test's own keeps it
        env: { ...process.env, TMPDIR: testTempDir('tsm-e2e-elsewhere-') },
      },
    );
    tsm = proc;
    const exited = new Promise((done) => proc.once('exit', done));
    const runs = join(app.dataDir, 'runs');
    for (let i = 0; i < 200 && !(existsSync(runs) && readdirSync(runs).length > 0); i++) {
      await new Promise((done) => setTimeout(done, 100));
    }
    await nav(page, 'Runs');
    const row = page.getByRole('row', { name: /from tsm/ });
    await row
      .getByText(`Running in tsm run (pid ${proc.pid}); follow or cancel it there.`)
      .waitFor();
    await expect(row.locator('.badge').textContent()).resolves.toBe('running');
    expect(await row.getByRole('button', { name: /Progress of/ }).count()).toBe(0);
    await screenshot(page, '40-run-in-tsm-run');

    proc.kill('SIGKILL');
    await exited;
    await page.reload();
    await nav(page, 'Runs');
    await row
      .getByText(
        `The tsm run process (pid ${proc.pid}) stopped while this run was in progress; run it again.`,
      )
      .waitFor();
    await expect(row.locator('.badge').textContent()).resolves.toBe('failed');
    await screenshot(page, '41-run-in-tsm-run-killed');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
