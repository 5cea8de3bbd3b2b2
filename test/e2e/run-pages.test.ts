/**
 * The run pages' words and addresses, in Chromium over the web bridge: the Current run page says
 * a run's state once ("done Done" before), the addresses a user would guess (#/runs) open their
 * page and one of no page says so, and the Results page's plots keep their boxes' size when the
 * sky plot carries a note (the row grew ~34 px once the plots came), and a run's warnings are said
 * after what they are about, not after a project field path, for the record of an older run too.
 * Oracle: the run's files, the boxes' measured sizes.
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SPECZ, makeE2eData } from './data';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { addPhotometric, fillWizard, nav, registerSpecz } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let page: Page;
let dataRoot: string;
let runId: string;
const pageErrors: string[] = [];

/** The Current run page's panel heading, as read. */
const runHeading = () => page.locator('.panel h2').first().textContent();

/** Types `hash` into the address (a hashchange), or reloads the page at it with `reload`. */
async function goTo(hash: string, { reload = false } = {}): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  if (reload) await page.reload();
}

/** The heights of the plots' boxes. */
const plotBoxes = () =>
  page.evaluate(() => ({
    heights: [...document.querySelectorAll('figure.plot')].map((f) =>
      Math.round(f.getBoundingClientRect().height),
    ),
  }));

describe.skipIf(!haveChromium)('the run pages, in Chromium', () => {
  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'tsm-e2e-runpages-'));
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  it('says the state of a finished run once (it read "done Done")', async () => {
    const data = await makeE2eData(dataRoot, 200);
    await registerSpecz(page, EXAMPLE_SPECZ, 'Example');
    await addPhotometric(page, data.dp1Example, 'DP1 example');
    await fillWizard(page, 'Run pages', 'Example', 'DP1 example', 1);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'View results' }).waitFor({ timeout: 120_000 });
    expect(await runHeading()).toBe('Done The training set is written');
    [runId] = readdirSync(join(app.dataDir, 'runs'));
    await screenshot(page, '40-run-done-once');
  });

  it("opens the Runs page at #/runs, typed or reloaded, and a run's results at #/runs/<id>", async () => {
    await nav(page, 'Catalogs');
    await goTo('#/runs');
    await page.getByRole('heading', { name: 'Runs', exact: true, level: 1 }).waitFor();
    await nav(page, 'Catalogs');
    await goTo('#/runs', { reload: true });
    await page.getByRole('heading', { name: 'Runs', exact: true, level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/history');
    await goTo(`#/runs/${runId}`);
    await page.getByRole('heading', { name: 'Run pages', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/results/${runId}`);
  });

  it('says "No such page" at an address of no page, with the way back', async () => {
    await goTo('#/run-list', { reload: true });
    await page.getByRole('heading', { name: 'No such page', level: 1 }).waitFor();
    await page.getByText('The address #/run-list is not a page of Training Set Maker.').waitFor();
    expect(new URL(page.url()).hash).toBe('#/run-list');
    await screenshot(page, '41-no-such-page');
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'Runs', exact: true, level: 1 }).waitFor();
    await goTo('#/nowhere');
    await page.getByRole('heading', { name: 'No such page', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Go to Catalogs' }).click();
    await page.getByRole('heading', { name: 'Catalogs', exact: true, level: 1 }).waitFor();
  });

  it('says on the Runs page that a run an address names is not here (it said nothing)', async () => {
    // opened at that address (a bookmark, a reload): the address set without a hashchange
    await page.evaluate(() => window.history.replaceState(null, '', '#/runs/run-deleted-2026'));
    await page.reload();
    await page.getByRole('heading', { name: 'Runs', exact: true, level: 1 }).waitFor();
    const said = page.getByText(
      'Run run-deleted-2026 is not here any more (deleted, or made in another data folder).',
    );
    await said.waitFor();
    await screenshot(page, '45-run-not-here');
    // typed into the address of an open page too, and gone with the next page
    await nav(page, 'Catalogs');
    await goTo('#/runs/run-deleted-2026');
    await said.waitFor();
    await nav(page, 'Catalogs');
    await nav(page, 'Runs');
    expect(await said.count()).toBe(0);
  });

  it("keeps the plots' boxes where they were when the sky plot carries a note", async () => {
    // the plots made first with the catalog there, whatever the tests before did: the web
    // bridge's session (and the run's qa-cache.json) then hold them, and must not show them
    // once the catalog is gone (they did, when an earlier test had waited for the plots)
    await goTo(`#/results/${runId}`, { reload: true });
    await page.locator('figure.plot canvas').first().waitFor();
    expect(await page.locator('.plot-note').count()).toBe(0);
    // the spec-z catalog gone: the sky plot says its unmatched spec-z cannot be shown
    const catalog = join(app.dataDir, 'catalogs', 'Example');
    const away = join(dataRoot, 'moved-away');
    renameSync(catalog, away);
    try {
      for (const width of [1280, 700]) {
        await page.setViewportSize({ width, height: 800 });
        await goTo(`#/results/${runId}`, { reload: true });
        await page.locator('.plot-note').waitFor();
        await page.locator('figure.plot canvas').first().waitFor();
        expect(await page.locator('.plot-note').textContent()).toMatch(
          /^The unmatched spec-z are not shown: the spec-z catalog 'Example' can no longer be read/,
        );
        // as high as the boxes without a note, and as the boxes shown while the plots are computed
        // (the same .plot boxes; the sky's was 363 px and the others 315 px at 1280 px wide)
        const { heights } = await plotBoxes();
        expect(heights).toHaveLength(5);
        expect(new Set(heights).size).toBe(1);
      }
      await page.locator('figure.plot').first().scrollIntoViewIfNeeded();
      await screenshot(page, '42-sky-note-narrow');
    } finally {
      // the tests after this one have the catalog, whether this one passed or not
      await page.setViewportSize({ width: 1280, height: 800 });
      renameSync(away, catalog);
    }
    // back: its unmatched spec-z are shown again
    await goTo(`#/results/${runId}`, { reload: true });
    await page.locator('figure.plot canvas').first().waitFor();
    expect(await page.locator('.plot-note').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('goes to the first row for 0 or a negative row number, saying so (-3 was refused)', async () => {
    await goTo(`#/results/${runId}`, { reload: true });
    const input = page.getByLabel('Go to row');
    await input.fill('-3');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await page.getByText('There is no row -3: the rows are numbered from 1.').waitFor();
    const marked = page.locator('tr[aria-current]');
    expect(await marked.locator('td, th').first().textContent()).toBe('1');
    await screenshot(page, '46-go-to-row-negative');
  });

  it("says a run's warnings after what they are about, with the way to the step that sets it", async () => {
    // as an older run's record.json holds them (the engine's run.json form, unchanged)
    const ebv =
      "the dust map 'sfd-lowres' (sfd-lowres-healpix64.fits) gave no value (NaN) at 12 of 53 matched positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes). Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.";
    const file = join(app.dataDir, 'runs', runId, 'record.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as { warnings?: string[] };
    writeFileSync(
      file,
      JSON.stringify({ ...record, warnings: [`photometry.dereddening.map: ${ebv}`] }, null, 2),
    );
    await goTo(`#/results/${runId}`, { reload: true });
    const box = page.getByRole('alert', { name: 'Run warnings' });
    await box.waitFor();
    expect(await box.textContent()).toBe(
      `The run finished with a warningDereddening: ${ebv} Change in 2. Catalogs`,
    );
    await screenshot(page, '43-results-warning-words');
    await nav(page, 'Runs');
    const row = page.getByRole('row', { name: /Run pages/ });
    await row.locator('summary', { hasText: '1 warning' }).click();
    await row.getByText(`Dereddening: ${ebv}`, { exact: true }).waitFor();
    expect(await row.textContent()).not.toContain('photometry.dereddening');
    await screenshot(page, '44-runs-warning-words');
    await goTo(`#/results/${runId}`);
    await box.getByRole('button', { name: 'Change in 2. Catalogs: Dereddening' }).click();
    await page.getByLabel(/Apply dereddening/).waitFor();
    expect(new URL(page.url()).hash).toBe('#/wizard/catalogs');
    expect(await page.getByLabel(/Apply dereddening/).inputValue()).toBe('sfd-lowres');
    expect(pageErrors).toEqual([]);
  });

  it("says where SFD's files are missing on the dust-map field, with what to do (it chose None)", async () => {
    const dust = page.getByLabel(/Apply dereddening/);
    await dust.selectOption('sfd');
    const said = page.getByText(
      /^the SFD map needs SFD_dust_4096_ngp\.fits and SFD_dust_4096_sgp\.fits in the dust-map folder /,
    );
    await said.waitFor();
    expect(await said.textContent()).toContain(join(app.dataDir, 'dustmaps'));
    await screenshot(page, '47-dust-sfd-missing');
    await dust.selectOption('sfd-lowres');
    await said.waitFor({ state: 'detached' });
  });

  it("says a failed run's error after the field as the form labels it, with the way to its step", async () => {
    // as record.json keeps it: the engine's field path first
    const gone =
      "/data/catalogs/example: the stored copy of the redshift catalog 'example' is no longer there (moved or deleted?)";
    const file = join(app.dataDir, 'runs', runId, 'record.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      file,
      JSON.stringify({ ...record, status: 'failed', error: `specz.catalogId: ${gone}` }, null, 2),
    );
    await goTo('#/history', { reload: true });
    const row = page.getByRole('row', { name: /Run pages/ });
    // (the reason's disclosure comes first, the warnings' after it)
    const reason = row.locator('details.run-reason').first();
    await reason.locator('summary').click();
    expect(await row.textContent()).not.toContain('specz.catalogId');
    expect(await reason.locator('> p').textContent()).toBe(
      `Redshift catalog (2. Catalogs): ${gone} Change in 2. Catalogs`,
    );
    await screenshot(page, '48-runs-error-words');
    await goTo(`#/run/${runId}`, { reload: true });
    const alert = page.locator('.alert.error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      `Redshift catalog (2. Catalogs): ${gone} Change in 2. Catalogs`,
    );
    // the log's last line says it so too (it read "Failed: specz.catalogId: ...")
    const log = page.getByRole('log', { name: 'Run log' });
    await log.getByText(`Failed: Redshift catalog (2. Catalogs): ${gone}`).waitFor();
    expect(await log.textContent()).not.toContain('specz.catalogId');
    await screenshot(page, '49-run-error-words');
    await alert.getByRole('button', { name: 'Change in 2. Catalogs: Redshift catalog' }).click();
    await page.getByLabel(/Apply dereddening/).waitFor();
    expect(new URL(page.url()).hash).toBe('#/wizard/catalogs');
    writeFileSync(file, JSON.stringify(record, null, 2));
    expect(pageErrors).toEqual([]);
  });
});
