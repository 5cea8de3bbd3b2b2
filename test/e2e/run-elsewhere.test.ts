/**
 * A run that `tsm run --data-dir` is running on the web bridge's data folder, on the Runs page in
 * Chromium: it was listed as failed ("The app closed while this run was in progress") while tsm
 * still ran it. It is listed running, naming tsm's process, and failed once tsm is killed. Its
 * Progress opens the Current run page on tsm's live log, whose Cancel stops tsm's run.
 * Oracle: the pids of the tsm process this test started and of the web bridge.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_DELAY_ENV } from '../../compute/pipeline/worker-fault';
import type { RunRecord } from '../../preload/api';
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
    await row.getByText(`Running in tsm run (pid ${proc.pid}).`).waitFor();
    await expect(row.locator('.badge').textContent()).resolves.toBe('running');
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

  it("is followed on the Current run page (tsm's live log) and cancelled from there: tsm stops, says from where, leaves no output", async () => {
    const out = join(app.dataDir, 'tsm-out-cancelled');
    const proc = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist', 'cli.js'),
        'run',
        '--specz',
        join(TSM_EXAMPLE, 'specz.parquet'),
        '--photometry',
        join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog'),
        '--dereddening',
        'none',
        '--workers',
        '1',
        '--name',
        'cancel me',
        '--progress',
        'none',
        '--out',
        out,
        '--data-dir',
        app.dataDir,
      ],
      // each pixel waits a minute in its worker thread: the run is in its crossmatch until cancelled
      { env: { ...process.env, [TASK_DELAY_ENV]: '60000' } },
    );
    tsm = proc;
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => proc.once('exit', done));
    const mine = () =>
      readdirSync(join(app.dataDir, 'runs')).filter((r) => r.startsWith('cancel_me'));
    for (let i = 0; i < 200 && mine().length === 0; i++) {
      await new Promise((done) => setTimeout(done, 100));
    }
    await page.reload();
    await nav(page, 'Runs');
    const row = page.getByRole('row', { name: /cancel me/ });
    await row.getByText(new RegExp(`^Running in tsm run \\(pid ${proc.pid}\\)`)).waitFor();
    await row.getByRole('button', { name: 'Progress of cancel me' }).click();
    await page.getByRole('heading', { name: 'cancel me' }).waitFor();
    await page.getByText(`run by tsm run (pid ${proc.pid})`).waitFor();
    // what tsm wrote before the page opened, and after: its log as for a run of the app's own
    const log = page.getByRole('log', { name: 'Run log' });
    await log.getByText(/Opening the photometric catalog/).waitFor();
    await log.getByText(/2 aligned pixels to crossmatch/).waitFor();
    await screenshot(page, '42-tsm-run-followed');

    await page.getByRole('button', { name: 'Cancel' }).click();
    const reason = `Cancelled from the web bridge (pid ${app.process.pid})`;
    await log.getByText(`${reason}; no output file was left behind.`).waitFor({ timeout: 30_000 });
    await expect(page.locator('.badge').first().textContent()).resolves.toBe('Cancelled');
    await page.getByRole('button', { name: 'Edit and run again' }).waitFor();
    await screenshot(page, '43-tsm-run-cancelled-from-page');
    // tsm stopped as on Ctrl-C, saying from where, and left no output
    expect(await exited).toBe(130);
    expect(stderr).toContain(`tsm: ${reason}\n`);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    const [id] = mine();
    const record = JSON.parse(
      readFileSync(join(app.dataDir, 'runs', id!, 'record.json'), 'utf8'),
    ) as RunRecord;
    expect(record).toMatchObject({ status: 'cancelled', error: reason });
    await nav(page, 'Runs');
    await row.getByText(`${reason}; no output file was left behind.`).waitFor();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
