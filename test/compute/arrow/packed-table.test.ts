import { describe, expect, it } from 'vitest';
import {
  Binary,
  Bool,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  Struct,
  Schema,
  Table,
  Uint16,
  Utf8,
  makeData,
  makeVector,
  tableFromArrays,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import {
  packTable,
  transferList,
  unpackTable,
  type PackedTable,
} from '../../../compute/arrow/packed-table';

/**
 * Every column's values as JS values, binary ones copied (taken before packing: moving detaches
 * the buffers, and a binary value is a view of one).
 */
const valuesOf = (t: Table) =>
  Object.fromEntries(
    t.schema.fields.map((f) => [
      f.name,
      Array.from(t.getChild(f.name)!, (v: unknown) => (v instanceof Uint8Array ? [...v] : v)),
    ]),
  );

/** What the receiving thread gets: a structured clone with the buffers moved. */
function send(packed: PackedTable): PackedTable {
  return structuredClone(packed, { transfer: transferList(packed) });
}

const vector = <T extends DataType>(type: T, values: unknown[]): Vector<T> =>
  vectorFromArray(values, type) as Vector<T>;

function mixedTable(): Table {
  const columns = {
    id: vector(new Int64(), [1n, null, -(2n ** 62n), 7n]),
    ra: vector(new Float64(), [10.5, Number.NaN, null, -0]),
    flux: vector(new Float32(), [1.25, 2.5, null, 3]),
    flag: vector(new Int32(), [0, -1, 2 ** 31 - 1, null]),
    small: vector(new Int8(), [-128, 127, 0, null]),
    count: vector(new Uint16(), [0, 65535, null, 9]),
    ok: vector(new Bool(), [true, false, null, true]),
    survey: vector(new Utf8(), ['SDSS', '', null, 'DESI é']),
    blob: vector(new Binary(), [
      new Uint8Array([1, 2]),
      null,
      new Uint8Array(0),
      new Uint8Array([255]),
    ]),
  };
  const table = new Table(columns);
  const fields = table.schema.fields.map(
    (f) => new Field(f.name, f.type, f.name !== 'id', new Map([['unit', `u-${f.name}`]])),
  );
  const schema = new Schema(fields, new Map([['origin', 'test']]));
  const data = table.batches[0].data;
  const rows = makeData({
    type: new Struct(fields),
    length: data.length,
    nullCount: 0,
    children: data.children,
  });
  return new Table(schema, [new RecordBatch(schema, rows)]);
}

describe('packTable / unpackTable', () => {
  it('moves flat columns as their buffers and gives back the same table', () => {
    const table = mixedTable();
    const expected = valuesOf(table);
    const fieldsBefore = table.schema.fields.map((f) => [f.name, String(f.type), f.nullable]);
    const values = table.getChild('ra')!.data[0].values;
    const packed = packTable(table);
    expect(packed.kind).toBe('columns');
    const back = unpackTable(send(packed));
    expect(values.byteLength).toBe(0); // moved, not copied
    expect(valuesOf(back)).toEqual(expected);
    expect(back.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
      fieldsBefore,
    );
    expect(back.schema.metadata.get('origin')).toBe('test');
    expect(back.schema.fields[2].metadata.get('unit')).toBe('u-flux');
    expect(back.getChild('ok')!.nullCount).toBe(1);
    expect(Object.is(back.getChild('ra')!.get(3), -0)).toBe(true);
  });

  it('gives each table its own schema when consecutive tables differ', () => {
    const schemaOf = (nullable: boolean, unit: string) =>
      new Schema([new Field('x', new Float64(), nullable, new Map([['unit', unit]]))]);
    const tableOf = (schema: Schema) => {
      const x = makeData({ type: new Float64(), length: 1, data: new Float64Array([1]) });
      const rows = makeData({
        type: new Struct(schema.fields),
        length: 1,
        nullCount: 0,
        children: [x],
      });
      return new Table(schema, [new RecordBatch(schema, rows)]);
    };
    const sent = [
      schemaOf(true, 'deg'),
      schemaOf(true, 'deg'),
      schemaOf(false, 'deg'),
      schemaOf(false, 'rad'),
    ].map((schema) => send(packTable(tableOf(schema))));
    const received = sent.map((p) => unpackTable(p).schema.fields[0]);
    expect(received.map((f) => [f.nullable, f.metadata.get('unit')])).toEqual([
      [true, 'deg'],
      [true, 'deg'],
      [false, 'deg'],
      [false, 'rad'],
    ]);
  });

  it('moves a buffer two columns share once', () => {
    const shared = new Float64Array([1, 2, 3, 4, 5, 6]);
    const a = makeVector(makeData({ type: new Float64(), length: 3, data: shared.subarray(0, 3) }));
    const b = makeVector(makeData({ type: new Float64(), length: 3, data: shared.subarray(3) }));
    const packed = packTable(new Table({ a, b }));
    expect(transferList(packed).filter((buf) => buf === shared.buffer)).toHaveLength(1);
    expect(valuesOf(unpackTable(send(packed)))).toEqual({ a: [1, 2, 3], b: [4, 5, 6] });
  });

  it('keeps zero-row and zero-column tables', () => {
    const empty = mixedTable().slice(0, 0);
    const back = unpackTable(send(packTable(empty)));
    expect(back.numRows).toBe(0);
    expect(back.schema.fields.map((f) => f.name)).toEqual(empty.schema.fields.map((f) => f.name));
  });

  it('falls back to Arrow IPC for several chunks, sliced data and other types', () => {
    const twoChunks = tableFromArrays({ x: new Float64Array([1, 2]) }).concat(
      tableFromArrays({ x: new Float64Array([3]) }),
    );
    const sliced = tableFromArrays({ x: new Float64Array([1, 2, 3, 4]) }).slice(1, 3);
    const dictionary = new Table({ s: vectorFromArray(['a', 'b', 'a']) });
    const cases: [Table, unknown[]][] = [
      [twoChunks, [1, 2, 3]],
      [sliced, [2, 3]],
      [dictionary, ['a', 'b', 'a']],
    ];
    for (const [table, values] of cases) {
      const packed = packTable(table);
      expect(packed.kind).toBe('ipc');
      const back = unpackTable(send(packed));
      expect(Array.from(back.getChildAt(0)!)).toEqual(values);
    }
  });

  it('refuses columns that do not fit the schema', () => {
    const packed = packTable(tableFromArrays({ x: new Float64Array([1, 2]) }));
    if (packed.kind !== 'columns') throw new Error('expected columns');
    expect(() => unpackTable({ ...packed, columns: [] })).toThrow(/0 columns for a schema of 1/);
    expect(() => unpackTable({ ...packed, numRows: 3 })).toThrow(/column x has 2 of 3 rows/);
  });
});
