import { open, type FileHandle } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { fitsCellEncoder, fitsColumnSpec, type FitsColumnSpec } from './fits-columns';
import { ascii, BLOCK, card, headerBytes, primaryHeader } from './fits-header';
import { createFixedWidthWriter } from './fixed-width-writer';
import type { TableWriter, TableWriterOptions } from './table-writer';

/** BINTABLE header cards (FITS Standard 4.0 §7.3.1) for `rows` rows of the given columns. */
export function bintableHeader(
  specs: FitsColumnSpec[],
  rows: number,
  metadata: Record<string, string>,
  extname = 'TRAINING_SET',
): Uint8Array {
  const rowBytes = specs.reduce((s, c) => s + c.width, 0);
  const cards = [
    ...card('XTENSION', 'BINTABLE', 'binary table extension'),
    ...card('BITPIX', 8),
    ...card('NAXIS', 2),
    ...card('NAXIS1', rowBytes, 'bytes per row'),
    ...card('NAXIS2', rows, 'rows'),
    ...card('PCOUNT', 0),
    ...card('GCOUNT', 1),
    ...card('TFIELDS', specs.length),
  ];
  specs.forEach((s, k) => {
    const n = k + 1;
    cards.push(...card(`TTYPE${n}`, s.name), ...card(`TFORM${n}`, s.tform));
    if (s.unit) cards.push(...card(`TUNIT${n}`, s.unit));
    if (s.tnull !== undefined) cards.push(...card(`TNULL${n}`, s.tnull));
    if (s.tzero !== undefined) cards.push(...card(`TZERO${n}`, s.tzero));
  });
  cards.push(...card('EXTNAME', extname));
  if (Object.values(metadata).some((v) => v.length > 60)) {
    cards.push(...card('LONGSTRN', 'OGIP 1.0', 'CONTINUE convention for long strings'));
  }
  for (const [key, value] of Object.entries(metadata))
    cards.push(...card(key.toUpperCase(), value));
  return headerBytes(cards);
}

/**
 * The run's warning for column names a FITS header cannot hold as they are (printable ASCII only:
 * each other character is written as '?'), naming each and what it becomes; undefined when none.
 */
export function fitsColumnNamesWarning(names: string[]): string | undefined {
  const changed = names.filter((name) => ascii(name) !== name);
  if (changed.length === 0) return undefined;
  const list = changed.map((name) => `'${name}' as '${ascii(name)}'`).join(', ');
  return `FITS column names are ASCII only, so ${changed.length === 1 ? 'a column is' : `${changed.length} columns are`} written under another name: ${list}. Rename ${changed.length === 1 ? 'it' : 'them'} in the spec-z file, or choose another format (parquet, csv, hdf5 or hats keep the names).`;
}

const CHUNK_ROWS = 16_384;

/** Encodes the rows of `batch` and appends them at `position`; returns the bytes written. */
async function writeRows(
  handle: FileHandle,
  position: number,
  specs: FitsColumnSpec[],
  batch: Table,
): Promise<number> {
  const rowBytes = specs.reduce((s, c) => s + c.width, 0);
  const encoders = specs.map((s) => fitsCellEncoder(s, batch.getChild(s.name)!));
  const offsets: number[] = [];
  specs.reduce((o, s) => (offsets.push(o), o + s.width), 0);
  let written = 0;
  for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, batch.numRows - start);
    const bytes = new Uint8Array(n * rowBytes);
    const view = new DataView(bytes.buffer);
    for (let r = 0; r < n; r++) {
      const base = r * rowBytes;
      for (let c = 0; c < encoders.length; c++)
        encoders[c](view, bytes, base + offsets[c], start + r);
    }
    await handle.write(bytes, 0, bytes.length, position + written);
    written += bytes.length;
  }
  return written;
}

/**
 * Streaming FITS writer (hand-written: no npm package writes binary tables, js-libs.md §7): an
 * empty primary HDU, then one BINTABLE with TTYPE/TFORM/TUNIT (TNULL for nullable integers, TZERO
 * for unsigned 64-bit), big-endian values, NaN as IEEE NaN, int64 as K, 2880-byte blocks, and the
 * run's parameters as header cards (HIERARCH for long keys, CONTINUE for long values). Numeric
 * tables are written straight through and NAXIS2 is patched at the end; with string columns the
 * batches go to a temporary Arrow file first, because the column width (the longest value) must
 * be known before the header.
 */
export function createFitsWriter(path: string, options: TableWriterOptions = {}): TableWriter {
  const metadata = options.metadata ?? {};
  return createFixedWidthWriter(path, options, (partial, schema, { widthBytes }) => {
    const unitOf = (name: string): string | undefined =>
      options.units?.[name] ?? schema.fields.find((f) => f.name === name)?.metadata.get('unit');
    const specs = schema.fields.map((f) => fitsColumnSpec(f, widthBytes(f.name), unitOf(f.name)));
    let handle: FileHandle | undefined;
    let tableHeaderAt = 0;
    let position = 0;
    return {
      async start(): Promise<void> {
        handle = await open(partial, 'w');
        const primary = primaryHeader({});
        await handle.write(primary, 0, primary.length, 0);
        tableHeaderAt = primary.length;
        const header = bintableHeader(specs, 0, metadata);
        await handle.write(header, 0, header.length, tableHeaderAt);
        position = tableHeaderAt + header.length;
      },
      async append(batch: Table): Promise<void> {
        position += await writeRows(handle!, position, specs, batch);
      },
      async finish(rows: number): Promise<void> {
        const dataEnd = position;
        const padded = Math.ceil(dataEnd / BLOCK) * BLOCK;
        if (padded > dataEnd)
          await handle!.write(new Uint8Array(padded - dataEnd), 0, padded - dataEnd, dataEnd);
        const header = bintableHeader(specs, rows, metadata);
        await handle!.write(header, 0, header.length, tableHeaderAt);
        await handle!.close();
        handle = undefined;
      },
      async closeQuietly(): Promise<void> {
        await handle?.close().catch(() => undefined);
        handle = undefined;
      },
    };
  });
}
