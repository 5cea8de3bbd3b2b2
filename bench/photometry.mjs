// Bundles bench/photometry.ts with esbuild (packages stay external) into out/ and runs it:
//   node bench/photometry.mjs [rows=10000000] [batchRows=1000000]
import { runBench } from './bundle.mjs';

await runBench('photometry.ts', 'photometry-bench.mjs');
