// What the Node bundles compile in and what they leave to node_modules, shared by the product's
// build (scripts/build.mjs) and the benchmarks' (bench/bundle.mjs), so a benchmark's own programs
// (the read-and-decode floor) start as fast as the product does.

/**
 * npm packages compiled into the Node bundles instead of loaded from node_modules: apache-arrow
 * and zod are hundreds of small ES modules each, and loading them took every process and worker
 * thread ~110 of the ~230 ms it spent importing its bundle before the first task could start.
 * The other pure-JS packages the bundles import were still ~220 files: compiled in too, `tsm
 * --help` takes 236 instead of 338 ms and a worker thread imports its bundle in 56 instead of
 * 77 ms (means of 10 and 8 runs). Left out: piscina (it starts its threads from a file of its own
 * package), ws and electron, and the wasm packages the code imports when first needed.
 */
export const BUNDLED_PACKAGES = new Set([
  'apache-arrow',
  'zod',
  'yaml',
  'hyparquet',
  'hyparquet-writer',
  'hyparquet-compressors',
  'hysnappy',
  'fzstd',
  'csv-parse',
  'flatbuffers',
  'tslib',
]);

/** An esbuild plugin keeping every other npm package (and electron) external. */
export const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point') return undefined; // e.g. C:\... on Windows
      const [scope, name] = args.path.split('/');
      const pkg = scope.startsWith('@') ? `${scope}/${name}` : scope;
      return BUNDLED_PACKAGES.has(pkg) ? undefined : { path: args.path, external: true };
    });
  },
};

/** Bundled CommonJS packages (yaml) require() Node's built-ins, which an ES module lacks. */
export const REQUIRE_IN_ESM =
  "import { createRequire as createRequireOfBundle } from 'node:module';\nconst require = createRequireOfBundle(import.meta.url);";
