// Bundles bench/limits.ts with esbuild (packages stay external) into out/ and runs it:
//   node bench/limits.mjs [speczRows=5000000] [photometricRows=20000000] [workDir=/tmp/tsm-limits]
// Needs dist/ (npm run build). Not part of npm test.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'out', 'limits-bench.mjs');
await build({
  entryPoints: [join(root, 'bench', 'limits.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
