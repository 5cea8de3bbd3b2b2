// Shared by the bench launchers (bench/*.mjs): bundles a bench/*.ts entry with esbuild (npm
// packages compiled in or left to node_modules as in the product's bundles:
// scripts/node-bundle.mjs) into out/ and runs it in this process, so its process.argv is the
// launcher's.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { externalPackages, REQUIRE_IN_ESM } from '../scripts/node-bundle.mjs';

/** The project root (the folder above bench/). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles `bench/<entry>` into `out/<outName>` and returns the bundle's path. The bundle is in
 * out/, one level below the root like its source, so modules that find the project root from
 * import.meta.url (test/fixtures.ts, the embedded dust map) still find it.
 * @param {string} entry file name under bench/, e.g. 'photometry.ts'
 * @param {string} outName file name under out/, e.g. 'photometry-bench.mjs'
 * @returns {Promise<string>}
 */
export async function bundleBench(entry, outName) {
  const outfile = join(root, 'out', outName);
  await build({
    entryPoints: [join(root, 'bench', entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [externalPackages],
    banner: { js: REQUIRE_IN_ESM },
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * Bundles `bench/<entry>` (see bundleBench) and runs it by importing it, with TSM_ROOT set to the
 * project root unless already set (bench/scale.ts and bench/pipeline-scale.ts read it).
 * @param {string} entry file name under bench/
 * @param {string} outName file name under out/
 */
export async function runBench(entry, outName) {
  const outfile = await bundleBench(entry, outName);
  process.env.TSM_ROOT ??= root;
  await import(pathToFileURL(outfile).href);
}
