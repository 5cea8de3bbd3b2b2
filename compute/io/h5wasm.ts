import type * as H5wasmModule from 'h5wasm/node';

/** The h5wasm module: `h5` is its default export (File, Group, Dataset), `Module` the runtime. */
export interface H5wasm {
  h5: (typeof H5wasmModule)['default'];
  Module: (typeof H5wasmModule)['Module'];
}

let loading: Promise<H5wasm> | undefined;
let loaded: H5wasm | undefined;

/**
 * h5wasm, loaded on first use: starting its runtime costs every process ~150 ms and ~11 MB, and
 * only HDF5 spec-z files and outputs need it.
 */
export function loadH5wasm(): Promise<H5wasm> {
  loading ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    loaded = {
      h5: m.default,
      get Module() {
        return m.Module;
      },
    };
    return loaded;
  });
  return loading;
}

/** The module once `loadH5wasm()` has resolved (whoever holds an h5wasm file has awaited it). */
export function h5wasmLoaded(): H5wasm {
  if (!loaded) throw new Error('h5wasm is used before loadH5wasm() resolved');
  return loaded;
}
