import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** The prefix of a test run's own temp folder; its name also holds the pid of the vitest process. */
const RUN_PREFIX = 'tsm-test-run-';

/**
 * Tests that start worker threads or the web bridge need the bundles in dist/. `npm test` builds
 * first (and fails on a broken build); here a failed build only warns, so that a targeted
 * `npx vitest run test/...` of one room still runs while another room is mid-edit.
 *
 * The run also gets its own fresh temp folder: TMPDIR is set before the test forks start, so
 * `os.tmpdir()` in every test, in the product code they call and in the child processes they
 * start (the CLI, the web bridge, Chromium, Electron) points into it. The teardown lists what is
 * left there, fails the run when anything is (a test or the product leaked a temp file or
 * folder; a warning alone scrolls by unread, which is how ~170 copied catalogs piled up in /tmp),
 * and removes the folder either way. XDG_CACHE_HOME goes beside it (not checked, removed too), so
 * the remote reads' default disk cache (compute/hats/http-options.ts) and Chromium's cache are not
 * written into the user's ~/.cache.
 */
export default function setup(): () => void {
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  } catch {
    console.warn('global-setup: the build failed; tests that need dist/ will fail.');
  }
  const parent = tmpdir();
  removeStaleRunFolders(parent);
  const runRoot = mkdtempSync(join(parent, `${RUN_PREFIX}${process.pid}-`));
  const runTmp = join(runRoot, 'tmp');
  const runCache = join(runRoot, 'cache');
  mkdirSync(runTmp);
  mkdirSync(runCache);
  const previous = { TMPDIR: process.env.TMPDIR, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };
  process.env.TMPDIR = runTmp;
  process.env.XDG_CACHE_HOME = runCache;
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const left = leftovers(runTmp);
    rmSync(runRoot, { recursive: true, force: true });
    if (left.length > 0) {
      console.error(
        [
          '',
          `global-setup: the tests left ${left.length} thing(s) in their temp folder ${runTmp}`,
          '(removed now). Remove what a test makes (tempDir/useTempDir/testTempDir in',
          'test/helpers/temp-dir.ts), and what the product makes when it is done with it:',
          ...left.map((l) => `  ${l}`),
          '',
        ].join('\n'),
      );
      process.exitCode = 1;
    }
  };
}

/** The entries left in `dir`: a folder with its number of files and the first few of them. */
function leftovers(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const path = join(dir, name);
    try {
      if (!statSync(path).isDirectory()) return name;
      const files = readdirSync(path, { withFileTypes: true, recursive: true })
        .filter((e) => !e.isDirectory())
        .map((e) => relative(path, join(e.parentPath, e.name)))
        .sort();
      const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ', ...' : '');
      return `${name}/ (${files.length} files${files.length > 0 ? `: ${shown}` : ''})`;
    } catch {
      return name;
    }
  });
}

/** Removes the temp folders of earlier runs whose vitest process is gone (killed before teardown). */
function removeStaleRunFolders(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${RUN_PREFIX}(\\d+)-`).exec(name);
    if (!m || alive(Number(m[1]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
