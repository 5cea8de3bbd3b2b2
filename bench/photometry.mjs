// Bundles bench/photometry.ts with esbuild (packages stay external) into out/ and runs it:
//   node bench/photometry.mjs [rows=10000000] [batchRows=1000000]
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// In out/ (one level below the root), so the embedded dust map is found from import.meta.url.
const outfile = join(root, 'out', 'photometry-bench.mjs');
await build({
  entryPoints: [join(root, 'bench', 'photometry.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
