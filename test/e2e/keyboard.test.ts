/**
 * Keyboard use of the app in Chromium over the web bridge: the focus ring is seen where the focus
 * is, against what is behind it (WCAG 2.2 1.4.11: 3:1 for a focus indicator, 4.5:1 for text).
 * Oracle: the WCAG relative-luminance formula on the computed colours, and the layout boxes.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, openAppInBrowser, screenshot, type Browser, type WebApp } from './harness';

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

/** Presses Tab until `name` (an accessible name's text) has the focus; fails after 40 presses. */
async function tabTo(text: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === text) return;
  }
  throw new Error(`Tab never reached ${text}`);
}

describe.skipIf(!haveChromium)('keyboard use in Chromium', () => {
  beforeAll(async () => {
    ({ app, browser, page } = await openAppInBrowser(pageErrors));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows the focus ring of a sidebar button against the sidebar's dark background", async () => {
    await tabTo('Runs');
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
});
