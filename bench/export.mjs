// Bundles bench/export.ts with esbuild (packages stay external) into out/ and runs it.
// Used by bench/export_check.py; arguments are passed through (--out DIR [--large N]).
import { runBench } from './bundle.mjs';

await runBench('export.ts', 'export-bench.mjs');
