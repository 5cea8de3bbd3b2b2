// Bundles bench/limits.ts with esbuild (packages stay external) into out/ and runs it:
//   node bench/limits.mjs [speczRows=5000000] [photometricRows=20000000] [workDir=/tmp/tsm-limits]
// Needs dist/ (npm run build). Not part of npm test.
import { runBench } from './bundle.mjs';

await runBench('limits.ts', 'limits-bench.mjs');
