// `npm run bench [-- --size large] [-- --peers ours-w2,lsdb-default] [-- --profile]`:
// bundles the scale benchmark (bench/scale.ts, bench/scale-floor.ts) with esbuild (packages stay
// external) into out/ and runs it. dist/cli.js must be built first (npm run bench does it).
import { bundleBench, runBench } from './bundle.mjs';

// bench/scale.ts runs the floor bundle as a peer process.
await bundleBench('scale-floor.ts', 'bench-scale-floor.mjs');
await runBench('scale.ts', 'bench-scale.mjs');
