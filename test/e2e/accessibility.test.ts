/**
 * Keyboard and low-vision use of the app in Chromium over the web bridge: the focus ring is seen
 * where the focus is, against what is behind it (WCAG 2.2 1.4.11: 3:1 for a focus indicator,
 * 4.5:1 for text), and a window zoomed to 400 % (320 CSS px) reads down without scrolling
 * sideways (1.4.10). Oracle: the WCAG relative-luminance formula on the computed colours, and
 * the layout boxes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LSDB_DATA } from '../fixtures';
import {
  CHROMIUM,
  OUTPUT_DIR,
  openAppInBrowser,
  screenshot,
  type Browser,
  type WebApp,
} from './harness';
import { EXAMPLE_SPECZ } from './data';
import { addPhotometric, nav, registerSpecz } from './steps';

// Needs Debian's Chromium (`apt-get install chromium`); skipped with this reason without it.
const haveChromium = existsSync(CHROMIUM);

let app: WebApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** `rgb(r, g, b)` / `rgba(r, g, b, a)` as [r, g, b] (0-255). */
function rgbOf(css: string): [number, number, number] {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** WCAG 2.2 contrast ratio of two sRGB colours (relative luminance, "contrast ratio"). */
function contrastRatio(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = rgbOf(css).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Presses Tab until `target` has the focus; fails after 40 presses. */
async function tabTo(target: Locator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

describe.skipIf(!haveChromium)('keyboard and low-vision use in Chromium', () => {
  beforeAll(async () => {
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows the focus ring of a sidebar button against the sidebar's dark background", async () => {
    await tabTo(
      page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Runs' }),
    );
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return {
        visible: el.matches(':focus-visible'),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        colour: style.outlineColor,
        behind: getComputedStyle(el.closest('nav')!).backgroundColor,
      };
    });
    await screenshot(page, 'keyboard-sidebar-focus');
    expect(ring.visible).toBe(true);
    expect(ring.outline).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(contrastRatio(ring.colour, ring.behind)).toBeGreaterThanOrEqual(3);
    expect(pageErrors).toEqual([]);
  });

  it('shows the focus ring of a catalog row inside the box that scrolls the table', async () => {
    await addPhotometric(page, join(LSDB_DATA, 'small_sky'), 'small_sky');
    await nav(page, 'Catalogs');
    await page.getByRole('button', { name: 'Add photometric catalog' }).focus();
    await tabTo(page.getByRole('row', { name: /^small_sky / }));
    const ring = await page.evaluate(() => {
      const row = document.activeElement as HTMLElement;
      const style = getComputedStyle(row);
      const box = row.getBoundingClientRect();
      const wrap = row.closest('.table-wrap')!;
      // the scroll box clips to its padding box: inside its border
      const clip = wrap.getBoundingClientRect();
      const border = parseFloat(getComputedStyle(wrap).borderLeftWidth);
      const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
      return {
        tag: row.tagName,
        visible: row.matches(':focus-visible'),
        outline: style.outlineStyle,
        inside:
          box.left - reach >= clip.left + border &&
          box.right + reach <= clip.right - border &&
          box.top - reach >= clip.top + border &&
          box.bottom + reach <= clip.bottom - border,
      };
    });
    await screenshot(page, 'keyboard-catalog-row-focus');
    expect(ring).toEqual({ tag: 'TR', visible: true, outline: 'solid', inside: true });
  });

  it('writes the green of a success message (Settings saved., a done run) at 4.5:1 or more', async () => {
    await nav(page, 'Settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const saved = page.getByRole('status').filter({ hasText: 'Settings saved.' });
    const [text, behind] = await saved.evaluate((el) => {
      const style = getComputedStyle(el);
      return [style.color, style.backgroundColor];
    });
    // the same colours as the 'done' badge of the Runs page (--ok on --ok-soft)
    expect(contrastRatio(text, behind)).toBeGreaterThanOrEqual(4.5);
  });

  it('fits a window zoomed to 400 % (320 px): the sidebar above the page, nothing sideways', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      await nav(page, 'New training set');
      await page.getByRole('button', { name: '3. Crossmatch' }).click();
      const layout = await page.evaluate(() => {
        const main = document.querySelector('main.content')!;
        const navButtons = [...document.querySelectorAll('nav[aria-label="Main"] button')];
        return {
          pageWidth: document.documentElement.scrollWidth,
          mainWidth: main.clientWidth,
          mainScrollsSideways: main.scrollWidth > main.clientWidth,
          headingWidth: document.querySelector('h1')!.getBoundingClientRect().width,
          navInView: navButtons.every((b) => b.getBoundingClientRect().right <= 320),
          radiusWidth: document.getElementById('f-crossmatch-radiusArcsec')!.getBoundingClientRect()
            .width,
        };
      });
      await screenshot(page, 'accessibility-320px');
      expect(layout.pageWidth).toBe(320);
      // the page has the window's width (beside the 220 px sidebar it had 85 px)
      expect(layout.mainWidth).toBeGreaterThanOrEqual(300);
      expect(layout.mainScrollsSideways).toBe(false);
      // the heading on its own line, not squeezed to a letter a line beside the buttons
      expect(layout.headingWidth).toBeGreaterThanOrEqual(250);
      expect(layout.navInView).toBe(true);
      expect(layout.radiusWidth).toBeGreaterThanOrEqual(200);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('puts the buttons below the heading in a window zoomed to 160 % (800 px), not beside its text', async () => {
    await page.setViewportSize({ width: 800, height: 500 });
    try {
      await nav(page, 'Catalogs');
      const layout = await page.evaluate(() => {
        const lead = document.querySelector('.page-head .lead')!.getBoundingClientRect();
        const head = document.querySelector('.page-head')!;
        const buttons = head.querySelector(':scope > .actions')!.getBoundingClientRect();
        const next = head.nextElementSibling!.getBoundingClientRect();
        return {
          leadWidth: lead.width,
          buttonsBelow: buttons.top >= lead.bottom,
          gapUnderButtons: next.top - buttons.bottom,
        };
      });
      await screenshot(page, 'accessibility-800px-catalogs');
      // beside the two buttons the text had 52 px, a word (or half of one) a line
      expect(layout.leadWidth).toBeGreaterThanOrEqual(320);
      expect(layout.buttonsBelow).toBe(true);
      // and apart from the panel below them (8 px, they looked stuck to it)
      expect(layout.gapUnderButtons).toBeGreaterThanOrEqual(16);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("shows a run's name beside its buttons in the Runs table at 320 px", async () => {
    await registerSpecz(page, EXAMPLE_SPECZ, 'example');
    await nav(page, 'New training set');
    await page.getByRole('button', { name: '1. Name' }).click();
    await page.getByLabel(/1\. Training set name/).fill('the example against small_sky');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('example', { exact: true }).check();
    await page
      .getByLabel(/4\. Select the Objects catalog/)
      .selectOption({ label: 'small_sky (generic HATS)' });
    await page.getByRole('button', { name: '5. Summary' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'View results' }).waitFor({ timeout: 60_000 });
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      await nav(page, 'Runs');
      const name = page.getByText('the example against small_sky', { exact: true });
      const buttons = page.locator('td.sticky-end').first();
      const [nameBox, buttonsBox] = [(await name.boundingBox())!, (await buttons.boundingBox())!];
      await screenshot(page, 'accessibility-320px-runs');
      // the buttons, held at the right of the scrolled table, covered the name but 'the exampl'
      expect(nameBox.x + nameBox.width).toBeLessThanOrEqual(buttonsBox.x);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('shows what has the focus in a 1280 x 800 window zoomed to 400 % (320 x 200), above the status line', async () => {
    await page.setViewportSize({ width: 320, height: 200 });
    try {
      // the navigation stayed above the page, which scrolled alone below it in 66 px, 23 px
      // under a notice: the new catalog's heading, focused, was under the status line
      await addPhotometric(page, join(LSDB_DATA, 'small_sky_xmatch'), 'small_sky_xmatch');
      const seen = () =>
        page.evaluate(() => {
          const focused = document.activeElement!.getBoundingClientRect();
          const status = document.querySelector('.status-line')!.getBoundingClientRect();
          return {
            focused: document.activeElement!.textContent,
            inView: focused.top >= 0 && focused.bottom <= status.top,
          };
        });
      expect(await seen()).toEqual({ focused: 'small_sky_xmatch', inView: true });
      await page.keyboard.press('Tab');
      expect(await seen()).toEqual({ focused: 'Delete', inView: true });
      // last: its full-height copy resizes the window, which scrolls it
      await page.screenshot({ path: join(OUTPUT_DIR, 'accessibility-320x200-focus.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
