/**
 * Settings saved by another process sharing settings.json (a second web bridge on the data
 * folder) while the app is open, in Chromium over the web bridge: the Settings page showed the
 * settings this process read first until the page was reloaded. Oracle: the settings file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/settings-store';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { nav } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

describe.skipIf(!haveChromium)('settings saved by another process', () => {
  beforeAll(async () => {
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('are shown when the Settings page is opened again, without a reload', async () => {
    await nav(page, 'Settings');
    const workers = page.getByLabel('Worker threads');
    const dust = page.getByLabel('Dust-map folder');
    await workers.fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    // another web bridge on the same data folder saves other settings (under the file's lock)
    const maps = join(app.dataDir, 'shared-maps');
    mkdirSync(maps);
    const other = new SettingsStore(join(app.dataDir, 'settings.json'), {
      dataDir: app.dataDir,
      dustMapDir: '',
      workers: null,
      cacheSizeMb: 0,
      stallSeconds: null,
    });
    expect(await other.update({ workers: 3, dustMapDir: maps })).toMatchObject({ workers: 3 });
    await nav(page, 'Catalogs');
    await nav(page, 'Settings');
    // it showed 2 and an empty dust-map folder until the page was reloaded
    await expect.poll(() => workers.inputValue()).toBe('3');
    expect(await dust.inputValue()).toBe(maps);
    // not said of settings this page did not save
    expect(await page.getByText('Settings saved.').count()).toBe(0);
    await screenshot(page, 'settings-saved-elsewhere');
    expect(pageErrors).toEqual([]);
  });
});
