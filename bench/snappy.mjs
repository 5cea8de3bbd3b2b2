import { runBench } from './bundle.mjs';
await runBench('snappy.ts', 'snappy-bench.mjs');
