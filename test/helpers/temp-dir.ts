/**
 * The one way tests make temp folders, each removed when the test (or the test file) that made it
 * is done. test/global-setup.ts gives the run its own TMPDIR and fails the run on anything left in
 * it, so a folder made here and not removed shows up there by its prefix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, onTestFinished } from 'vitest';

/** A fresh temp folder and its cleanup (call the cleanup in an afterAll/afterEach/finally). */
export function tempDir(prefix = 'tsm-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh temp folder removed after the test file's tests: call at the top of a file or in a `describe`. */
export function fileTempDir(prefix = 'tsm-test-'): string {
  const { dir, cleanup } = tempDir(prefix);
  afterAll(cleanup);
  return dir;
}

/** A fresh temp folder removed when the running test ends: call inside a test (or a beforeEach). */
export function testTempDir(prefix = 'tsm-test-'): string {
  const { dir, cleanup } = tempDir(prefix);
  onTestFinished(cleanup);
  return dir;
}

/**
 * A fresh temp folder for every test of the file (or of the `describe` it is called in),
 * removed after the test: call at the top, read `.dir` inside the tests.
 */
export function useTempDir(prefix = 'tsm-test-'): { readonly dir: string } {
  let current: { dir: string; cleanup: () => void } | undefined;
  beforeEach(() => {
    current = tempDir(prefix);
  });
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  return {
    get dir(): string {
      if (!current) throw new Error('useTempDir: .dir is only set while a test runs');
      return current.dir;
    },
  };
}
