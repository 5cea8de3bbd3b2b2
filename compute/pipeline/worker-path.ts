import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of the bundle `dist/<file>` for the code of `moduleUrl` (its import.meta.url). From a
 * bundle (dist/cli.js, dist/main.js, dist/web.js, the benchmarks' out/) it sits beside that code;
 * from the TypeScript sources in `sourceFolder` (vitest) it is `<root>/dist/<file>`, built by the
 * test global setup. `label` names it in the error of a missing build.
 */
export function bundlePath(
  file: string,
  moduleUrl: string,
  sourceFolder: `${string}/${string}`,
  label: string,
): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const [top, folder] = sourceFolder.split('/');
  const candidates =
    basename(here) === folder && basename(dirname(here)) === top
      ? [resolve(here, '..', '..', 'dist', file)]
      : [join(here, file), resolve(here, '..', 'dist', file)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `${label} not found (looked for ${candidates.join(', ')}): run 'npm run build' first`,
    );
  }
  return found;
}

/** Path of the bundled worker entry `dist/worker.js` (bundlePath). */
export function workerPath(): string {
  return bundlePath('worker.js', import.meta.url, 'compute/pipeline', 'worker bundle');
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
