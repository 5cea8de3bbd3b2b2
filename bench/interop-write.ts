/**
 * Writes one sample table (every column type we promise to keep, awkward strings, ids beyond
 * 2^53, NaN, nulls) with each of our writers, plus the same table as an Arrow IPC file as the
 * reference, into the folder given as argv[2]. bench/interop.sh then opens every output with the
 * scientists' tools (bench/interop_check.py, stilts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bool,
  Float32,
  Float64,
  Int32,
  Int64,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { Prng } from '../compute/demo/surveys/prng';
import { createTableWriter } from '../compute/io/create-table-writer';
import { OUTPUT_EXTENSIONS } from '../compute/io/create-table-writer';
import { OUTPUT_FORMATS } from '../compute/io/table-writer';

const NAMES = [
  'plain',
  'a,b',
  'q"uote',
  'line\nbreak',
  'ünïcödé',
  '',
  null,
  '  padded',
  'x'.repeat(200),
];
const BIG_ID = 9007199254740993n;

/** Seeded uniform deviates in [0, 1) (mulberry32), so every run writes the same values. */
function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

export function sampleTable(start: number, n: number, random: () => number): Table {
  const idx = Array.from({ length: n }, (_, k) => start + k);
  return new Table({
    id: vectorFromArray(
      idx.map((i) => BIG_ID + BigInt(i) * 1_000_003n),
      new Int64(),
    ),
    ra: vectorFromArray(
      idx.map(() => 150 + random() * 2),
      new Float64(),
    ),
    dec: vectorFromArray(
      idx.map(() => 1 + random() * 2),
      new Float64(),
    ),
    z: vectorFromArray(
      idx.map((i) => (i % 97 === 5 ? NaN : random() * 3)),
      new Float64(),
    ),
    mag: vectorFromArray(
      idx.map((i) => (i % 11 === 0 ? 0.1 : 18 + random() * 6)),
      new Float32(),
    ),
    n: vectorFromArray(
      idx.map((i) => i - 1000),
      new Int32(),
    ),
    flag: vectorFromArray(
      idx.map((i) => (i % 13 === 0 ? null : i % 2 === 0)),
      new Bool(),
    ),
    name: vectorFromArray(
      idx.map((i) => NAMES[i % NAMES.length]),
      new Utf8(),
    ),
  });
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'bench/data/interop';
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const random = rng(42);
  const batches = [
    sampleTable(0, 1200, random),
    sampleTable(1200, 1, random),
    sampleTable(1201, 1799, random),
  ];
  writeFileSync(
    join(out, 'source.arrow'),
    tableToIPC(
      batches.reduce((a, b) => a.concat(b)),
      'file',
    ),
  );
  const metadata = {
    radius_arcsec: '1.0',
    photometric_catalog: `/data/${'very-long-folder/'.repeat(8)}dp1`,
  };
  for (const format of OUTPUT_FORMATS) {
    const path = join(out, `ts${OUTPUT_EXTENSIONS[format]}`);
    const writer = createTableWriter(format, path, {
      metadata,
      units: { ra: 'deg', dec: 'deg' },
      hats: { name: 'ts', marginThresholdArcsec: 5, partitionRows: 1000 },
    });
    for (const b of batches) await writer.write(b);
    const res = await writer.close();
    console.log(`${format}: ${res.rows} rows, ${res.bytes} bytes -> ${res.path}`);
  }
}

await main();
