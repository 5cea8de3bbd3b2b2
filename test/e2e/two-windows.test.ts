/**
 * Two windows (browser tabs) of one app editing the wizard's draft, in Chromium over the web
 * bridge: the later autosave wrote over the earlier one without a word. The window behind now
 * says another window saved the draft and lets the user choose which to keep. Oracle: the draft
 * file in the data folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';
import { nav } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let first: Page;
let second: Page;
const pageErrors: string[] = [];

/** The training set name of the draft on disk. */
const draftName = () =>
  (
    JSON.parse(readFileSync(join(app.dataDir, 'draft.tsm.json'), 'utf8')) as {
      project: { name: string };
    }
  ).project.name;

/** Waits until the autosaved draft on disk has this name. */
async function draftNamed(name: string): Promise<void> {
  for (
    let i = 0;
    i < 100 && !(existsSync(join(app.dataDir, 'draft.tsm.json')) && draftName() === name);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(draftName()).toBe(name);
}

describe.skipIf(!haveChromium)('two windows editing one draft', () => {
  beforeAll(async () => {
    ({ app, browser, page: first } = await openAppInBrowser(pageErrors));
    second = await browser.context.newPage();
    second.on('pageerror', (e) => pageErrors.push(String(e)));
    await second.goto(app.url);
    await second.getByRole('heading', { name: 'Catalogs', exact: true }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("does not write over the other window's draft, says so, and lets the user choose", async () => {
    await nav(first, 'New training set');
    await nav(second, 'New training set');
    await first.getByLabel(/1\. Training set name/).fill('typed in the first window');
    await draftNamed('typed in the first window');
    // the second window, opened before that save, edits its own form
    await second.getByLabel(/1\. Training set name/).fill('typed in the second window');
    const alert = second.getByRole('alert', { name: 'Draft changed in another window' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("its training set: 'typed in the first window'");
    await screenshot(second, '30-draft-changed-in-another-window');
    // it had written over the first window's draft
    expect(draftName()).toBe('typed in the first window');
    await second.getByRole('button', { name: "Load the other window's" }).click();
    await alert.waitFor({ state: 'detached' });
    expect(await second.getByLabel(/1\. Training set name/).inputValue()).toBe(
      'typed in the first window',
    );
    await second.getByLabel(/2\. Description/).fill('added in the second window');
    await first.waitForTimeout(600);
    expect(draftName()).toBe('typed in the first window');
    const draft = JSON.parse(readFileSync(join(app.dataDir, 'draft.tsm.json'), 'utf8')) as {
      project: { description: string };
    };
    expect(draft.project.description).toBe('added in the second window');
    // and now the first window is the one behind
    await first.getByLabel(/1\. Training set name/).fill('first window again');
    await first.getByRole('alert', { name: 'Draft changed in another window' }).waitFor();
    await first.getByRole('button', { name: "Keep this window's" }).click();
    await draftNamed('first window again');
    expect(pageErrors).toEqual([]);
  });
});
