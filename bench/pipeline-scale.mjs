// `node bench/pipeline-scale.mjs [--phot-rows N] [--specz-rows N] [--workers N]`: bundles
// bench/pipeline-scale.ts with esbuild (packages external) into out/ and runs it. Build first
// (`npm run build`): the worker pool runs dist/worker.js.
import { runBench } from './bundle.mjs';

await runBench('pipeline-scale.ts', 'bench-pipeline-scale.mjs');
