import { createRequire } from 'node:module';
import type * as ParquetWasm from 'parquet-wasm/node';

export type { ParquetWasm };

const require = createRequire(import.meta.url);
let loaded: typeof ParquetWasm | undefined;

/**
 * parquet-wasm (CommonJS, so it can be required on demand), loaded on first use: its wasm
 * instance takes ~30 MB of a process, and a run needs it only to write a Parquet output at its
 * end, when the worker threads are gone, so the two never add up in the peak.
 */
export function parquetWasm(): typeof ParquetWasm {
  loaded ??= require('parquet-wasm/node') as typeof ParquetWasm;
  return loaded;
}
