// Bundles bench/hats-margin.ts into out/ and runs it:
//   node bench/hats-margin.mjs [sizes=50,10000,1000000]
import { runBench } from './bundle.mjs';

await runBench('hats-margin.ts', 'hats-margin-bench.mjs');
