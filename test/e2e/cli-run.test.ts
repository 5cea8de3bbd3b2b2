/**
 * A run made in a terminal with `tsm run --data-dir <the app's data folder>`, while the app is
 * open in Chromium over the web bridge: the Runs page lists it once visited (no reload), and its
 * Results page shows its counts, plots and rows. Oracle: the run's run.json beside its output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, readSpeczPositions } from '../../compute/demo/surveys';
import { PROJECT_ROOT } from '../fixtures';
import { EXAMPLE_SPECZ } from './data';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { nav } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let page: Page;
let dataRoot: string;
let dp1: string;
const pageErrors: string[] = [];

describe.skipIf(!haveChromium)('a tsm run into the app data folder, in Chromium', () => {
  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'tsm-e2e-cli-run-'));
    const generated = await generateSurveyCatalogs(join(dataRoot, 'example'), {
      seed: 7,
      specz: await readSpeczPositions(EXAMPLE_SPECZ),
    });
    dp1 = generated.find((c) => c.survey === 'lsst-dp1')!.path;
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  it('is listed on the Runs page and opens on its Results page', async () => {
    await nav(page, 'Runs');
    await page.getByText('No runs yet').waitFor();
    const out = join(dataRoot, 'terminal-output');
    const cli = spawnSync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist', 'cli.js'),
        'run',
        '--specz',
        EXAMPLE_SPECZ,
        '--id',
        'id',
        '--photometry',
        dp1,
        '--dereddening',
        'none',
        '--radius-arcsec',
        '1.5',
        '--seed',
        '5',
        '--name',
        'Terminal batch',
        '--out',
        out,
        '--data-dir',
        app.dataDir,
        '--progress',
        'none',
      ],
      { encoding: 'utf8' },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));

    // the Runs page was open when the run was recorded: going to it again lists the run
    await nav(page, 'Catalogs');
    await nav(page, 'Runs');
    const row = page.getByRole('row', { name: /Terminal batch/ });
    await expect(row.textContent()).resolves.toMatch(/done/);
    await expect(row.textContent()).resolves.toContain('specz.parquet');
    await screenshot(page, '17-runs-tsm-run');

    await row.getByRole('button', { name: 'Results' }).click();
    await page.getByRole('heading', { name: 'Terminal batch' }).waitFor();
    const counts = page.getByLabel('Counts');
    await expect(counts.textContent()).resolves.toContain(`Rows written${runJson.counts.written}`);
    await expect(counts.textContent()).resolves.toContain(`Training rows${runJson.counts.train}`);
    for (const name of ['Sky: matched and unmatched spec-z', 'Redshift distribution']) {
      await page.getByRole('img', { name }).waitFor();
    }
    await page
      .getByText(new RegExp(`^Rows 1–\\d+ of ${runJson.counts.written} · page 1 of \\d+$`))
      .waitFor();
    await screenshot(page, '18-results-tsm-run');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
