// Bundles the TypeScript sources into dist/ with esbuild. Node targets keep npm packages
// external (they are resolved from node_modules at run time); the renderer is a browser bundle.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => join(root, p);
const present = (entries) =>
  Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(at(src))));

const nodeEntries = present({
  cli: 'compute/cli.ts',
  worker: 'compute/pipeline/worker.ts',
  web: 'main/web.ts',
  main: 'main/main.ts',
});

const common = { bundle: true, sourcemap: true, logLevel: 'warning', absWorkingDir: root };

await build({
  ...common,
  entryPoints: Object.fromEntries(Object.entries(nodeEntries).map(([k, v]) => [k, at(v)])),
  outdir: at('dist'),
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  external: ['electron'],
  banner: { js: '#!/usr/bin/env node' },
});

if (existsSync(at('preload/preload.ts'))) {
  // Sandboxed preloads must be CommonJS and may only require('electron').
  await build({
    ...common,
    entryPoints: [at('preload/preload.ts')],
    outfile: at('dist/preload.cjs'),
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
  });
}

if (existsSync(at('renderer/index.tsx'))) {
  mkdirSync(at('dist/renderer'), { recursive: true });
  await build({
    ...common,
    entryPoints: [at('renderer/index.tsx')],
    outfile: at('dist/renderer/app.js'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
  });
  cpSync(at('renderer/index.html'), at('dist/renderer/index.html'));
}
