// Bundles bench/results-qa.ts with esbuild into out/ and runs it:
//   node bench/results-qa.mjs <run folder> <app data folder> [repeat]
import { runBench } from './bundle.mjs';

await runBench('results-qa.ts', 'results-qa-bench.mjs');
