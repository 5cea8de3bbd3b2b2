import { snappyUncompressor } from 'hysnappy';

/**
 * Snappy decompression for the page walker (flat-pages.ts) that leaves each page where the
 * decoder wrote it. hysnappy's uncompressor copies every page out of its wasm memory into a new
 * ArrayBuffer; a 1M spec-z run decompresses ~2 GB of pages that way, and the garbage buffers
 * drove most of the worker's garbage collections. This runs the same wasm module (hysnappy's,
 * caught as hysnappy instantiates it) in an instance of our own and returns a view of its memory.
 */

interface SnappyExports {
  memory: WebAssembly.Memory;
  uncompress(input: number, inputLength: number, output: number): number;
}

/** Where hysnappy puts its input: the wasm module's own data and stack lie below. */
const INPUT_START = 68_000;
const WASM_PAGE = 64 * 1024;

let exports: SnappyExports | undefined;

/** hysnappy's decoder module, taken from the one instance hysnappy makes of it. */
function snappyModule(): WebAssembly.Module {
  const Instance = WebAssembly.Instance;
  let module: WebAssembly.Module | undefined;
  WebAssembly.Instance = new Proxy(Instance, {
    construct(target, args: [WebAssembly.Module, WebAssembly.Imports?]) {
      module = args[0];
      return Reflect.construct(target, args) as object;
    },
  });
  try {
    snappyUncompressor();
  } finally {
    WebAssembly.Instance = Instance;
  }
  if (!module) throw new Error('hysnappy did not instantiate its wasm module');
  return module;
}

function snappyExports(): SnappyExports {
  if (!exports) {
    const instance = new WebAssembly.Instance(snappyModule());
    const { memory, uncompress } = instance.exports as Partial<SnappyExports>;
    if (!(memory instanceof WebAssembly.Memory) || typeof uncompress !== 'function') {
      throw new Error("hysnappy's wasm module lacks memory or uncompress");
    }
    exports = { memory, uncompress };
  }
  return exports;
}

/**
 * Decompresses Snappy `input` of `outputLength` bytes. The result is a view of the decoder's
 * memory: valid only until the next call in this thread (copy it to keep it).
 */
export function snappyUncompressInPlace(input: Uint8Array, outputLength: number): Uint8Array {
  const declared = declaredLength(input);
  if (declared !== outputLength) {
    throw new Error(
      `snappy data holds ${declared} bytes where the page header says ${outputLength}`,
    );
  }
  const { memory, uncompress } = snappyExports();
  const outputStart = INPUT_START + input.byteLength;
  const end = outputStart + outputLength;
  if (memory.buffer.byteLength < end) {
    memory.grow(Math.ceil((end - memory.buffer.byteLength) / WASM_PAGE));
  }
  new Uint8Array(memory.buffer, INPUT_START, input.byteLength).set(input);
  const result = uncompress(INPUT_START, input.byteLength, outputStart);
  if (result === -1) throw new Error('invalid snappy length header');
  if (result === -2) throw new Error('missing snappy end marker');
  if (result === -3) throw new Error('snappy input ends early');
  if (result !== 0) throw new Error(`snappy decompression failed (${result})`);
  return new Uint8Array(memory.buffer, outputStart, outputLength);
}

/** The uncompressed length a Snappy stream starts with (a little-endian base-128 varint). */
function declaredLength(input: Uint8Array): number {
  let length = 0;
  for (let i = 0; i < 5 && i < input.length; i++) {
    length += (input[i] & 0x7f) * 2 ** (7 * i);
    if ((input[i] & 0x80) === 0) return length;
  }
  return -1;
}
