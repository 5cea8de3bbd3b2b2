import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of the bundled worker entry `dist/worker.js`. From a bundle (dist/cli.js, dist/main.js,
 * dist/web.js) it sits beside this code; from the TypeScript sources (vitest runs
 * compute/pipeline/*.ts) it is `<root>/dist/worker.js`, built by the test global setup.
 */
export function workerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates =
    basename(here) === 'pipeline' && basename(dirname(here)) === 'compute'
      ? [resolve(here, '..', '..', 'dist', 'worker.js')]
      : [join(here, 'worker.js'), resolve(here, '..', 'dist', 'worker.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `worker bundle not found (looked for ${candidates.join(', ')}): run 'npm run build' first`,
    );
  }
  return found;
}

/**
 * Path of the CommonJS file the pool's threads start from, `worker-entry.cjs` beside the worker
 * bundle (written by scripts/build.mjs): it loads the bundle with import(), as a thread stopped
 * while require() loads an ES module aborts the whole process on Node 20.
 */
export function workerEntryPath(): string {
  const entry = join(dirname(workerPath()), 'worker-entry.cjs');
  if (!existsSync(entry)) {
    throw new Error(`worker entry not found (looked for ${entry}): run 'npm run build' first`);
  }
  return entry;
}
