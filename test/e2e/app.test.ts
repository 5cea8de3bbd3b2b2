import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { EXAMPLE_SPECZ, makeE2eData, type E2eData } from './data';
import * as steps from './steps';
import { LSDB_DATA } from '../fixtures';

// The browser tests need Debian's Chromium (`apt-get install chromium`); without it they are
// skipped with this reason rather than failing on a missing executable.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let page: Page;
let data: E2eData;
let dataRoot: string;
const pageErrors: string[] = [];

const nav = (name: string) => steps.nav(page, name);
const registerSpecz = (path: string, name: string) =>
  steps.registerSpecz(page, path, name, { confirm: false });
const addPhotometric = (location: string, name: string) =>
  steps.addPhotometric(page, location, name);
const fillWizard = (setName: string, speczName: string, photName: string) =>
  steps.fillWizard(page, setName, speczName, photName, 1.5, 'Browser test');

describe.skipIf(!haveChromium)('the app in Chromium over the web bridge', () => {
  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'tsm-e2e-catalogs-'));
    data = await makeE2eData(dataRoot);
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  it('starts on the Catalogs page with empty states and no token in the address', async () => {
    expect(page.url()).not.toContain('token=');
    await page.getByText('No redshift catalog yet').waitFor();
    await page.getByText('No photometric catalog yet').waitFor();
    await screenshot(page, '01-catalogs-empty');
  });

  it('sets one worker in Settings, where a first launch chooses them per run', async () => {
    await nav('Settings');
    const workers = page.getByLabel('Worker threads');
    expect(await workers.inputValue()).toBe('');
    expect(await workers.getAttribute('placeholder')).toBe('Automatic');
    await screenshot(page, '02-settings-automatic');
    // what a number input would have reported as '' (saved as Automatic / 0 without a word)
    const cache = page.getByLabel('Cache size for remote catalogs (MB)');
    for (const [field, typed, message] of [
      [workers, '1e309', 'Worker threads must be a whole number from 1 to 64'],
      [cache, '-5', 'The cache size must be a whole number of MB'],
      [cache, '1e309', 'The cache size must be a whole number of MB'],
    ] as const) {
      await field.fill(typed);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: `${message}` })
        .waitFor();
      expect(await page.getByRole('alert').textContent()).toContain(`(got ${typed})`);
      await field.fill('');
    }
    expect(await cache.getAttribute('placeholder')).toBe('0 (the default)');
    await workers.fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await screenshot(page, '02-settings');
  });

  it('shows the validation report of an uploaded bad file and refuses to register it', async () => {
    await nav('Catalogs');
    await page.getByRole('button', { name: 'Register redshift catalog' }).click();
    // The browser fallback: the file's bytes go to the data folder's uploads, then the preview.
    await page.getByLabel('Upload a spec-z file').setInputFiles(data.badCsv);
    await page.getByRole('table', { name: 'Preview of the file' }).waitFor();
    expect(
      await page
        .getByLabel(
          'Spec-z catalog: a file (CSV, Parquet, FITS, HDF5), a HATS folder or its http(s) URL',
        )
        .inputValue(),
    ).toContain(join(app.dataDir, 'uploads'));
    await page.getByLabel('Catalog name').fill('bad');
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByLabel('Validation report').waitFor();
    const report = page.getByLabel('Validation report');
    await expect(report.textContent()).resolves.toMatch(/cannot be registered/);
    await expect(report.textContent()).resolves.toContain('dec outside [-90, 90]: 1 row (line 3)');
    await expect(report.textContent()).resolves.toContain('z not numeric: 1 row (line 4)');
    expect(await page.getByRole('button', { name: 'Register', exact: true }).isDisabled()).toBe(
      true,
    );
    await screenshot(page, '03-register-bad-file');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('registers the example spec-z file with auto-detected columns', async () => {
    await registerSpecz(EXAMPLE_SPECZ, 'TSM example');
    expect(await page.locator('#map-ra').inputValue()).toBe('ra');
    expect(await page.locator('#map-dec').inputValue()).toBe('dec');
    expect(await page.getByLabel(/Redshift z/).inputValue()).toBe('z');
    await expect(page.getByLabel('Validation report').textContent()).resolves.toMatch(
      /80 of 80 rows are valid/,
    );
    await screenshot(page, '04-register-report');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'TSM example', exact: true }).waitFor();
    await screenshot(page, '05-catalog-specz');
  });

  it('adds a test photometric catalog and shows its profile, columns and coverage', async () => {
    await addPhotometric(data.dp1Example, 'DP1 test');
    const detail = page.locator('section', {
      has: page.getByRole('heading', { name: 'DP1 test', exact: true }),
    });
    await expect(detail.textContent()).resolves.toContain('LSST DP1');
    // each column with its type: 'g_cModelFlux Float64' (not its error column's)
    await detail
      .getByRole('listitem')
      .filter({ hasText: /^g_cModelFlux Float\d+$/ })
      .waitFor();
    await detail.getByRole('img', { name: 'Sky coverage of DP1 test' }).waitFor();
    await screenshot(page, '06-catalog-photometric');
  });

  it('fills the wizard, runs, reaches 100% and shows the results with plots', async () => {
    await fillWizard('Example x DP1', 'TSM example', 'DP1 test');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/^Saved .*Example_x_DP1\.tsm\.json$/).waitFor();
    await screenshot(page, '07-wizard-summary');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('heading', { name: 'Example x DP1' }).waitFor();
    await page.getByRole('button', { name: 'View results' }).waitFor({ timeout: 120_000 });
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await expect(page.getByLabel('Run log').textContent()).resolves.toMatch(
      /Finished: \d+ rows written/,
    );
    await screenshot(page, '08-run-done');
    await page.getByRole('button', { name: 'View results' }).click();
    await page.getByRole('heading', { name: 'Quality plots' }).waitFor();
    // The counts shown are the engine's run.json counts.
    const runsDir = join(app.dataDir, 'runs');
    const runId = readdirSync(runsDir)[0];
    const runJson = JSON.parse(readFileSync(join(runsDir, runId, 'run.json'), 'utf8'));
    const counts = page.getByLabel('Counts');
    await expect(counts.textContent()).resolves.toContain(`Rows written${runJson.counts.written}`);
    await expect(counts.textContent()).resolves.toContain(`Training rows${runJson.counts.train}`);
    for (const name of [
      'Sky: matched and unmatched spec-z',
      'Redshift distribution',
      'Crossmatch separation',
      'Magnitudes per band',
    ]) {
      await page.getByRole('img', { name }).waitFor();
    }
    await page.getByRole('img', { name: /Colour g-r vs redshift/ }).waitFor();
    // The row preview loads apart from the plots; wait for it instead of counting at once.
    await page
      .getByText(new RegExp(`^Rows 1–\\d+ of ${runJson.counts.written} · page 1 of \\d+$`))
      .waitFor();
    await screenshot(page, '09-results');
    const download = page.waitForEvent('download');
    await page
      .getByRole('figure', { name: 'Redshift distribution' })
      .getByRole('button', { name: 'Export PNG' })
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Example_x_DP1-redshift.png');
    const png = readFileSync((await file.path())!);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('reopens the run from the history', async () => {
    await nav('Runs');
    const row = page.getByRole('row', { name: /Example x DP1/ });
    await expect(row.textContent()).resolves.toMatch(/done/);
    await screenshot(page, '10-history');
    await row.getByRole('button', { name: 'Results' }).click();
    await page.getByRole('heading', { name: 'Quality plots' }).waitFor();
    await page.getByRole('heading', { name: 'Example x DP1' }).waitFor();
  });

  it('comes back where it was after a reload: the results of a run, a wizard step, a catalog', async () => {
    // on the results of the run (the test before); a reload came back to the Catalogs page
    await page.reload();
    await page.getByRole('heading', { name: 'Example x DP1' }).waitFor();
    await page.getByRole('heading', { name: 'Quality plots' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/results\/Example_x_DP1-/);
    await page.getByText(/^Rows 1–/).waitFor();
    await screenshot(page, '10b-results-after-reload');
    await nav('New training set');
    await page.getByRole('button', { name: '3. Crossmatch' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'New training set' }).waitFor();
    const current = page
      .getByRole('navigation', { name: 'Wizard steps' })
      .locator('[aria-current]');
    await expect(current.textContent()).resolves.toBe('3. Crossmatch');
    await page.getByLabel(/threshold distance in arcseconds/).waitFor();
    await nav('Catalogs');
    await page.getByRole('row', { name: /DP1 test/ }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'DP1 test', exact: true }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/catalogs\/phot-/);
    expect(page.url()).not.toContain('token=');
  });

  it('reopens the saved project from the recent list', async () => {
    await nav('New training set');
    await page.getByRole('button', { name: 'Clear form' }).click();
    await page.getByText('New training set: every field has its default value.').waitFor();
    expect(await page.getByLabel(/1\. Training set name/).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Open project…' }).click();
    await screenshot(page, '11-open-project');
    await page.getByRole('button', { name: 'Example x DP1', exact: true }).click();
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    const summary = await page.locator('dl.kv').textContent();
    expect(summary).toContain('Example x DP1');
    expect(summary).toContain('1.5 arcsec');
    expect(summary).toContain('seed 42');
  });

  it("names an output folder that leads out of the run's folder on its field, before Run", async () => {
    // The summary of the reopened project is shown (previous test).
    await page.getByRole('button', { name: '4. Split & output' }).click();
    const folder = page.getByLabel('Output folder:');
    await folder.fill('../elsewhere');
    await page.getByRole('button', { name: 'Next' }).click();
    const message =
      "'../elsewhere' leads out of the run's own folder; give an absolute path for a folder elsewhere";
    await page.getByText(message).waitFor();
    // Next stays on the step while the field has an issue
    await page.getByRole('region', { name: '4. Split & output' }).waitFor();
    await screenshot(page, '12b-output-folder-outside');
    await folder.fill('.');
    // a number the browser's number input would have reported as empty (a seed drawn silently)
    const seed = page.getByLabel(/Random seed/);
    await seed.fill('1e309');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('must be a whole number, or empty to draw one (got "1e309")').waitFor();
    await seed.fill('42');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    expect(await page.getByText(message).count()).toBe(0);
  });

  it('writes both cluster exports of the opened project into a folder and lists the files', async () => {
    // The summary of the reopened project is shown (previous test).
    const folder = join(dataRoot, 'cluster-job');
    await page.getByLabel('Export folder').fill(folder);
    await page.getByRole('button', { name: 'Write the LSDB job' }).click();
    const lsdb = page.locator('.export-choice[data-target="lsdb"]').getByRole('status');
    await lsdb.waitFor();
    await page.getByRole('button', { name: 'Write config.yml' }).click();
    const pzserver = page.locator('.export-choice[data-target="pzserver"]').getByRole('status');
    await pzserver.waitFor();
    for (const name of ['tsm_job.py', 'requirements.txt', 'README.md']) {
      expect(existsSync(join(folder, name))).toBe(true);
      await expect(lsdb.textContent()).resolves.toContain(join(folder, name));
    }
    await expect(pzserver.textContent()).resolves.toContain(join(folder, 'config.yml'));
    const config = readFileSync(join(folder, 'config.yml'), 'utf8');
    expect(config).toContain(data.dp1Example);
    expect(config).toMatch(/radius_arcsec: 1\.5/);
    await page.getByRole('region', { name: 'Run on a cluster…' }).scrollIntoViewIfNeeded();
    await screenshot(page, '14-wizard-cluster-export');
  });

  it('opens an original config.yml and names a key it ignores', async () => {
    const config = join(dataRoot, 'cluster-job', 'config.yml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}output_fromat: csv\n`);
    await page.getByRole('button', { name: 'Open project…' }).click();
    await page.getByLabel('Project file (.tsm.json, or an original config.yml)').fill(config);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const notice = page.getByRole('status').filter({ hasText: `Opened ${config}` });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      `${config}: output_fromat is not a key of the original config.yml and is ignored; check its spelling`,
    );
    // Save would write config.tsm.json beside it, not JSON over the YAML
    expect(await page.getByLabel('Save the parameters as a project file').inputValue()).toBe(
      config.replace(/\.yml$/, '.tsm.json'),
    );
    await screenshot(page, '14b-open-config-yml');
  });

  it('names the band columns of a catalog no survey profile knows', async () => {
    await addPhotometric(join(LSDB_DATA, 'small_sky'), 'Small sky');
    const form = page.getByRole('region', { name: 'Band columns (generic profile)' });
    expect(await form.getByLabel('RA column').inputValue()).toBe('ra');
    expect(await form.getByLabel('Dec column').inputValue()).toBe('dec');
    expect(await form.getByLabel('Object id column').inputValue()).toBe('id');
    await form.getByLabel('Band 1 name').fill('g');
    await form.getByLabel('Band 1 flux column').selectOption('ra_error');
    await form.getByLabel('Band 1 flux error column').selectOption('dec_error');
    await form.getByLabel('Band 1 R_b').fill('3.237');
    await form.getByRole('button', { name: 'Save band columns' }).click();
    await form.getByText('Saved: g with flux type custom.').waitFor();
    const index = JSON.parse(readFileSync(join(app.dataDir, 'catalogs', 'index.json'), 'utf8'));
    const stored = index.find((c: { name: string }) => c.name === 'Small sky');
    expect(stored.generic.bands).toEqual([{ band: 'g', flux: 'ra_error', fluxErr: 'dec_error' }]);
    expect(stored.generic.extinction).toEqual({ g: 3.237 });
    expect(stored.profile.fluxTypes).toEqual([{ name: 'custom', label: 'custom' }]);
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, '15-catalog-generic');
  });

  it('works from the keyboard: rows and navigation answer Enter', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Catalogs', exact: true })
      .focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Catalogs', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /TSM example/ });
    await row.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'TSM example', exact: true }).waitFor();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('heading', { name: 'TSM example', exact: true }).count()).toBe(0);
  });

  it('About is a modal dialog: Tab stays in it, Escape closes it, focus returns to About', async () => {
    const about = page.getByRole('navigation', { name: 'Main' }).locator('..').getByRole('button', {
      name: 'About',
      exact: true,
    });
    await about.click();
    const dialog = page.getByRole('dialog', { name: 'Training Set Maker' });
    await dialog.waitFor();
    await screenshot(page, '16-about');
    for (let k = 0; k < 4; k++) {
      await page.keyboard.press('Tab');
      // the page behind is inert: the focus is in the dialog, or out of the page (the browser's
      // own controls, which a modal dialog lets Tab reach), never on the page behind it
      const where = await page.evaluate(() => {
        const a = document.activeElement;
        return !a || a === document.body ? 'outside' : a.closest('dialog') ? 'dialog' : 'page';
      });
      expect(where).not.toBe('page');
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('About');
  });

  it('cancels a long run and leaves no output file', async () => {
    await registerSpecz(data.wideSpecz, 'Wide sky');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'Wide sky', exact: true }).waitFor();
    await addPhotometric(data.dp1Wide, 'DP1 wide');
    await fillWizard('Wide run', 'Wide sky', 'DP1 wide');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByText('Crossmatching').waitFor({ timeout: 60_000 });
    // each of its pixels waits 100 ms in the worker (harness.ts), so the run is still going
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/Cancelled; no output file was left behind/).waitFor({ timeout: 60_000 });
    await screenshot(page, '13-run-cancelled');
    const record = JSON.parse(
      readFileSync(
        join(
          app.dataDir,
          'runs',
          readdirSync(join(app.dataDir, 'runs')).find((d) => d.startsWith('Wide_run'))!,
          'record.json',
        ),
        'utf8',
      ),
    );
    expect(record.status).toBe('cancelled');
    expect(readdirSync(record.outputDir).filter((f: string) => f.endsWith('.parquet'))).toEqual([]);
    // not a dead end: the cancelled run's parameters go back to the wizard
    await page.getByRole('button', { name: 'Edit and run again' }).click();
    await page.getByText(`Parameters of run ${record.id}; check them and press Run.`).waitFor();
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    expect(await page.locator('dl.kv').textContent()).toContain(record.name);
    expect(pageErrors).toEqual([]);
  });
});
