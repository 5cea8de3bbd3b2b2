/**
 * Snappy decompression speed, GB/s of output, on pages like a photometric catalog's (floats that
 * do not compress, runs, repeated text): compute/hats/snappy.ts next to hysnappy (the reference
 * C++ compiled to wasm, what hyparquet-compressors uses) and hyparquet's JS decoder.
 * `node bench/snappy.mjs [pageBytes] [repeats]`
 */
import { snappyCompress, snappyUncompress as hysnappy } from 'hysnappy';
import { snappyUncompress as hyparquet } from 'hyparquet/src/snappy.js';
import { snappyUncompress as ours } from '../compute/hats/snappy';

const pageBytes = Number(process.argv[2] ?? 400_000);
const repeats = Number(process.argv[3] ?? 300);

function page(kind: string): Uint8Array {
  const raw = new Uint8Array(pageBytes);
  const view = new DataView(raw.buffer);
  let seed = 20261125; // mulberry32
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i + 4 <= pageBytes; i += 4) {
    if (kind === 'float fluxes') view.setFloat32(i, 1e3 * rand(), true);
    else if (kind === 'sorted ids') view.setInt32(i, 1_000_000 + i * 3, true);
    else view.setUint32(i, 'gals'.charCodeAt((i >> 2) % 4) * (1 + ((i >> 6) % 3)), true);
  }
  return raw;
}

const rows: string[][] = [];
for (const kind of ['float fluxes', 'sorted ids', 'repeats']) {
  const raw = page(kind);
  const packed = snappyCompress(raw);
  const out = new Uint8Array(raw.length);
  const decoders: [string, () => void][] = [
    ['ours', () => ours(packed, out)],
    ['hysnappy', () => void hysnappy(packed, raw.length)],
    ['hyparquet', () => hyparquet(packed, out)],
  ];
  for (const [name, run] of decoders) {
    for (let i = 0; i < 20; i++) run();
    const t = performance.now();
    for (let i = 0; i < repeats; i++) run();
    const s = (performance.now() - t) / 1000;
    rows.push([
      kind,
      (packed.length / raw.length).toFixed(2),
      name,
      ((raw.length * repeats) / s / 1e9).toFixed(2),
    ]);
  }
}
console.log(`Snappy decompression, ${pageBytes} byte pages x ${repeats}, node ${process.version}`);
console.log('| data | compressed / raw | decoder | GB/s |\n|---|---:|---|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
