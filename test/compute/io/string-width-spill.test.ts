import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Dictionary,
  Field,
  Float64,
  Int32,
  Schema,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { hasStringColumns, StringWidthSpill } from '../../../compute/io/string-width-spill';
import { useTempDir } from './helpers';

const tmp = useTempDir('tsm-spill-');

type Row = { name: string | null; tag: string | null; mag: number };

/** A batch with a Utf8 column, a dictionary-encoded string column and a float column. */
function batch(rows: Row[]): Table {
  return new Table({
    name: vectorFromArray(
      rows.map((r) => r.name),
      new Utf8(),
    ),
    tag: vectorFromArray(
      rows.map((r) => r.tag),
      new Dictionary(new Utf8(), new Int32()),
    ),
    mag: vectorFromArray(
      rows.map((r) => r.mag),
      new Float64(),
    ),
  });
}

/** Independent oracle: the longest UTF-8 encoding among the non-null values, at least 1. */
function longestUtf8(values: (string | null)[]): number {
  return Math.max(1, ...values.filter((v) => v !== null).map((v) => Buffer.byteLength(v, 'utf8')));
}

const BATCHES: Row[][] = [
  [
    { name: 'plain', tag: 'a', mag: 18.5 },
    { name: null, tag: 'bb', mag: 19 },
  ],
  [
    { name: 'ünïcödé', tag: null, mag: 20.25 }, // 7 characters, 11 bytes
    { name: 'ok', tag: 'ça', mag: 21 }, // 'ça': 2 characters, 3 bytes
  ],
  [{ name: '🔭x', tag: 'a', mag: 22 }], // 3 UTF-16 units, 5 bytes
];
const ALL_ROWS = BATCHES.flat();

describe('hasStringColumns', () => {
  it('is true for Utf8 and dictionary-encoded strings, false for a numeric table', () => {
    const table = batch(BATCHES[0]);
    expect(hasStringColumns(table.schema)).toBe(true);
    expect(hasStringColumns(new Schema([table.schema.fields[1]]))).toBe(true);
    expect(hasStringColumns(new Schema([new Field('mag', new Float64(), true)]))).toBe(false);
  });
});

describe('StringWidthSpill', () => {
  it('keeps the longest UTF-8 byte length of each string column over all batches', async () => {
    const spill = new StringWidthSpill(join(tmp.dir, 'spill'));
    for (const rows of BATCHES) {
      const t = batch(rows);
      await spill.append(t.schema, t);
    }
    expect(spill.widthBytes('name')).toBe(longestUtf8(ALL_ROWS.map((r) => r.name)));
    expect(spill.widthBytes('name')).toBe(11);
    expect(spill.widthBytes('tag')).toBe(longestUtf8(ALL_ROWS.map((r) => r.tag)));
    expect(spill.widthBytes('tag')).toBe(3);
    expect(spill.widthBytes('mag')).toBe(1); // not a string column: never measured
  });

  it('gives width 1 to a string column with only nulls and empty strings', async () => {
    const spill = new StringWidthSpill(join(tmp.dir, 'spill'));
    const t = batch([
      { name: null, tag: '', mag: 1 },
      { name: null, tag: null, mag: 2 },
    ]);
    await spill.append(t.schema, t);
    expect(spill.widthBytes('name')).toBe(1);
    expect(spill.widthBytes('tag')).toBe(1);
  });

  it('gives back the spilled batches in order with their values and nulls', async () => {
    const spill = new StringWidthSpill(join(tmp.dir, 'spill'));
    for (const rows of BATCHES) {
      const t = batch(rows);
      await spill.append(t.schema, t);
    }
    const got: Row[][] = [];
    for await (const t of spill.tables()) {
      got.push(
        [...Array(t.numRows).keys()].map((i) => ({
          name: t.getChild('name')!.get(i) as string | null,
          tag: t.getChild('tag')!.get(i) as string | null,
          mag: t.getChild('mag')!.get(i) as number,
        })),
      );
    }
    expect(got).toEqual(BATCHES);
  });

  it('creates its folder on the first append only and removes it with remove()', async () => {
    const folder = join(tmp.dir, 'spill');
    const spill = new StringWidthSpill(folder);
    const none: Table[] = [];
    for await (const t of spill.tables()) none.push(t);
    expect(none).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    const t = batch(BATCHES[0]);
    await spill.append(t.schema, t);
    expect(existsSync(join(folder, 'rows.arrows'))).toBe(true);
    await spill.remove();
    expect(existsSync(folder)).toBe(false);
    await spill.remove(); // removing twice (abort after close) is harmless
  });
});
