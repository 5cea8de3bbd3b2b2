import { execFileSync } from 'node:child_process';

/**
 * Tests that start worker threads or the web bridge need the bundles in dist/. `npm test` builds
 * first (and fails on a broken build); here a failed build only warns, so that a targeted
 * `npx vitest run test/...` of one room still runs while another room is mid-edit.
 */
export default function setup(): void {
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  } catch {
    console.warn('global-setup: the build failed; tests that need dist/ will fail.');
  }
}
