// Bundles bench/remote-crossmatch.ts with esbuild (packages stay external) into out/ and runs it.
import { runBench } from './bundle.mjs';

await runBench('remote-crossmatch.ts', 'remote-crossmatch.mjs');
