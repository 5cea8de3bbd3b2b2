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
    // HDF5 errors become exceptions (their stack in the message) instead of an error stack printed
    // on stderr ("HDF5-DIAG: Error detected in HDF5 ...") while the call carries on
    m.Module.activate_throwing_error_handler();
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

/**
 * The innermost reason of an HDF5 error ("truncated file: eof = 2500, ...", "required filter
 * 'lzf' is not registered"), from the error stack h5wasm's throwing handler puts in the message;
 * '' for h5wasm's own "error - name not defined!", which follows a failure it did not report.
 */
export function hdf5ErrorReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (!message.startsWith('HDF5-DIAG')) return message.includes('name not defined') ? '' : message;
  // "  #008: .../H5Z.c line 1435 in H5Z_pipeline(): required filter 'lzf' is not registered";
  // the plugin loader's lines after it only say where it looked
  const reasons = [...message.matchAll(/^\s*#\d+: .* in (\w+)\(\): (.*)$/gm)]
    .filter(([, fn]) => !fn.startsWith('H5PL'))
    .map(([, , reason]) => reason.trim());
  return reasons.at(-1) ?? 'HDF5 error';
}

/** An error thrown by h5wasm with its HDF5 error stack replaced by the innermost reason. */
export function conciseHdf5Error(err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.startsWith('HDF5-DIAG')) return err;
  return new Error(`HDF5: ${hdf5ErrorReason(err)}`);
}
