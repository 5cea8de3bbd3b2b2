// Bundles bench/export.ts with esbuild (packages stay external) into out/ and runs it.
// Used by bench/export_check.py; arguments are passed through (--out DIR [--large N]).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// In out/ (one level below the root), so test/fixtures.ts finds the project root from import.meta.url.
const outfile = join(root, 'out', 'export-bench.mjs');
await build({
  entryPoints: [join(root, 'bench', 'export.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
