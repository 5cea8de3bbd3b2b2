import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TASK_DELAY_ENV } from '../../compute/pipeline/worker-fault';
import { PROJECT_ROOT } from '../fixtures';

/** Debian's Chromium (apt install chromium); Playwright's own browser download is not used. */
export const CHROMIUM = '/usr/bin/chromium';
export const OUTPUT_DIR = join(PROJECT_ROOT, 'test', 'e2e', 'output');

export interface WebApp {
  url: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node dist/web.js` on a free port with a fresh temp data folder; resolves its URL. */
export async function startWebApp(): Promise<WebApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsm-e2e-data-'));
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'dist', 'web.js'), '--port', '0', '--data-dir', dataDir],
    {
      cwd: PROJECT_ROOT,
      // every pixel task waits 100 ms in its worker thread: a run stays in progress long enough
      // for the tests to act on it (cancel) however fast this machine is
      env: { ...process.env, CI: '1', [TASK_DELAY_ENV]: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web.js did not print its URL:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`web.js exited with ${code}:\n${output}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Chromium headless with a fresh temp profile (flags from js-libs.md §6). */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tsm-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a screenshot under test/e2e/output/ (git-ignored): the 1280x800 window, plus
 * `<name>-full.png` with the window stretched to the scrolled content's height when it is taller.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path });
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const contentHeight = await page.evaluate(
    () => document.querySelector('main.content')?.scrollHeight ?? 0,
  );
  if (contentHeight > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height: contentHeight });
    await page.screenshot({ path: join(OUTPUT_DIR, `${name}-full.png`) });
    await page.setViewportSize(viewport);
  }
  return path;
}

/**
 * Starts the web app and Chromium, opens the app on its Catalogs page and collects the page's
 * uncaught errors into `pageErrors`.
 */
export async function openAppInBrowser(
  pageErrors: string[],
): Promise<{ app: WebApp; browser: Browser; page: Page }> {
  const app = await startWebApp();
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Catalogs', exact: true }).waitFor();
    return { app, browser, page };
  } catch (err) {
    await browser?.close();
    await app.stop();
    throw err;
  }
}
