/**
 * A run that matches nothing, in Chromium over the web bridge: the example spec-z moved 60 arcsec
 * north against a DP1 catalog made around the original positions (counterparts within 0.4″,
 * neighbours within 20″). The run finishes (an empty training set, not an error) and the run
 * page, the results page and the history show the engine's warning; the results table lists
 * the output's columns with "The output has no rows.". Oracle: the run's run.json and record.json.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noMatchInputs } from '../helpers/shifted-specz';
import { EXAMPLE_SPECZ } from './data';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { addPhotometric, fillWizard, nav, registerSpecz } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);
const SHIFT_ARCSEC = 60;

let app: WebApp;
let browser: Browser;
let page: Page;
let dataRoot: string;
let dp1: string;
let shifted: string;
const pageErrors: string[] = [];

interface RunFiles {
  runJson: { warnings: string[]; counts: { written: number; speczIn: number } };
  record: { status: string; warnings?: string[]; counts?: { rowsOut: number } };
}

function runFiles(): RunFiles {
  const runsDir = join(app.dataDir, 'runs');
  const [runId] = readdirSync(runsDir);
  const read = (name: string) => JSON.parse(readFileSync(join(runsDir, runId, name), 'utf8'));
  return { runJson: read('run.json') as RunFiles['runJson'], record: read('record.json') };
}

describe.skipIf(!haveChromium)('a run without a cross match, in Chromium', () => {
  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'tsm-e2e-empty-'));
    ({ photometry: dp1, shifted } = await noMatchInputs(dataRoot, EXAMPLE_SPECZ, 7, SHIFT_ARCSEC));
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  it('finishes with the warning on the run page', async () => {
    await registerSpecz(page, shifted, 'Shifted example');
    await addPhotometric(page, dp1, 'DP1 near');
    await fillWizard(page, 'Nothing matches', 'Shifted example', 'DP1 near', 1);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'View results' }).waitFor({ timeout: 120_000 });
    const { runJson, record } = runFiles();
    expect(record.status).toBe('done');
    expect(runJson.counts.written).toBe(0);
    expect(runJson.warnings).toHaveLength(1);
    expect(runJson.warnings[0]).toMatch(/^No cross matches were found: /);
    expect(record.warnings).toEqual(runJson.warnings);
    const box = page.getByRole('alert', { name: 'Run warnings' });
    await expect(box.textContent()).resolves.toContain(runJson.warnings[0]);
    await expect(page.getByLabel('Run log').textContent()).resolves.toContain(
      'Finished: 0 rows written to',
    );
    await expect(page.getByLabel('Run log').textContent()).resolves.toContain('(1 warning)');
    await screenshot(page, '20-empty-run-done');
  });

  it('shows the warning above the counts and the empty table with its columns', async () => {
    await page.getByRole('button', { name: 'View results' }).click();
    await page.getByRole('heading', { name: 'Quality plots' }).waitFor();
    const { runJson } = runFiles();
    const box = page.getByRole('alert', { name: 'Run warnings' });
    await expect(box.textContent()).resolves.toContain(runJson.warnings[0]);
    const boxTop = (await box.boundingBox())!.y;
    const countsTop = (await page.getByLabel('Counts').boundingBox())!.y;
    expect(boxTop).toBeLessThan(countsTop);
    const counts = page.getByLabel('Counts');
    await expect(counts.textContent()).resolves.toContain('Rows written0');
    await expect(counts.textContent()).resolves.toContain(`Unmatched${runJson.counts.speczIn}`);
    await page.getByText('The output has no rows.').waitFor();
    const headers = await page
      .getByRole('table', { name: 'Output rows' })
      .getByRole('columnheader')
      .allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['#', 'z', '_dist_arcsec', 'is_training_set']));
    await screenshot(page, '21-empty-results');
  });

  it('marks the run in the history', async () => {
    await nav(page, 'Runs');
    const row = page.getByRole('row', { name: /Nothing matches/ });
    const mark = row.getByText('1 warning', { exact: true });
    await mark.waitFor();
    // a disclosure the keyboard opens (the text was in a hover tooltip)
    await row.locator('summary', { hasText: '1 warning' }).focus();
    await page.keyboard.press('Enter');
    await row.getByText(runFiles().runJson.warnings[0], { exact: true }).waitFor();
    await screenshot(page, '22-history-warning');
    expect(pageErrors).toEqual([]);
  });
});
