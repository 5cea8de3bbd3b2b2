// `npm run bench [-- --size large] [-- --peers ours-w2,lsdb-default] [-- --profile]`:
// bundles the scale benchmark (bench/scale.ts, bench/scale-floor.ts) with esbuild (packages stay
// external) into out/ and runs it. dist/cli.js must be built first (npm run bench does it).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
};
// In out/ (one level below the root), like the other benches, so modules that look for the
// project root from import.meta.url find it.
await build({
  ...common,
  entryPoints: [join(root, 'bench', 'scale-floor.ts')],
  outfile: join(root, 'out', 'bench-scale-floor.mjs'),
});
const outfile = join(root, 'out', 'bench-scale.mjs');
await build({ ...common, entryPoints: [join(root, 'bench', 'scale.ts')], outfile });
globalThis.process.env.TSM_ROOT ??= root;
await import(pathToFileURL(outfile).href);
