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

/** The system errors HDF5's file driver reports by their text (strerror), as Node's codes. */
const SYSTEM_ERRORS: Record<string, string> = {
  'No space left on device': 'ENOSPC',
  'Disk quota exceeded': 'EDQUOT',
  'Read-only file system': 'EROFS',
  'Permission denied': 'EACCES',
  'Operation not permitted': 'EPERM',
};

/**
 * An error thrown by h5wasm with its HDF5 error stack replaced by the innermost reason. A failed
 * write or open of the file driver (a full disk, a read-only file system: "file write failed:
 * time = ..., filename = '<path>', ..., error message = 'No space left on device'") becomes an
 * error like Node's own (`code`, `path`), so that callers name the folder and say what to do.
 */
export function conciseHdf5Error(err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.startsWith('HDF5-DIAG')) return err;
  const system = /error message = '([^']*)'/.exec(err.message)?.[1];
  const path = /(?:filename|name) = '([^']*)'/.exec(err.message)?.[1];
  const code = system ? SYSTEM_ERRORS[system] : undefined;
  if (code && path) {
    const syscall = /unable to open file/.test(err.message) ? 'open' : 'write';
    return Object.assign(
      new Error(`${code}: ${system!.toLowerCase()}, ${syscall} '${path}' (HDF5)`),
      { code, path, syscall },
    );
  }
  return new Error(`HDF5: ${hdf5ErrorReason(err)}`);
}
