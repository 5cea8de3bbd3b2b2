// `node bench/pipeline-scale.mjs [--phot-rows N] [--specz-rows N] [--workers N]`: bundles
// bench/pipeline-scale.ts with esbuild (packages external) into out/ and runs it. Build first
// (`npm run build`): the worker pool runs dist/worker.js.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'out', 'bench-pipeline-scale.mjs');
await build({
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
  entryPoints: [join(root, 'bench', 'pipeline-scale.ts')],
  outfile,
});
globalThis.process.env.TSM_ROOT ??= root;
await import(pathToFileURL(outfile).href);
