/**
 * A table handed from a worker thread to the main thread as its column buffers, moved rather than
 * copied. Arrow IPC copies every buffer into one stream first: for a training set of 950k rows
 * and ~70 columns that is ~250 MB the worker copies and frames (~0.3 s of its time, bench 10M x
 * 1M), where postMessage can move the buffers themselves. Columns of the flat types (numbers,
 * booleans, strings, binary) in one chunk travel as typed arrays; a table with any other column
 * travels as Arrow IPC, as before.
 *
 * Packing moves the buffers: the sender must not use the table, or anything sharing its buffers,
 * afterwards. Tables gathered for the purpose (compute/arrow/take.ts always makes new arrays)
 * qualify; columns of a cached partition do not.
 */
import {
  DataType,
  RecordBatch,
  Struct,
  Table,
  makeData,
  tableFromIPC,
  tableToIPC,
  type Data,
  type Schema,
} from 'apache-arrow';

type Values = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
type ColumnValues = Values | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** One column: what makeData needs besides its type (which the schema gives). */
export interface PackedColumn {
  length: number;
  nullCount: number;
  values: ColumnValues;
  /** Utf8 and Binary: the value offsets. */
  offsets: Int32Array | null;
  validity: Uint8Array | null;
}

export type PackedTable =
  | { kind: 'columns'; schemaIpc: Uint8Array; numRows: number; columns: PackedColumn[] }
  | { kind: 'ipc'; ipc: Uint8Array };

/** Whether a column's one chunk can travel as its buffers. */
function packable(data: Data): boolean {
  const type = data.type as DataType;
  const flat =
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isBool(type) ||
    DataType.isUtf8(type) ||
    DataType.isBinary(type);
  return flat && data.offset === 0 && (data.children?.length ?? 0) === 0;
}

/** The buffers to move with `packed` (each once: columns may share one). */
export function transferList(packed: PackedTable): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (view: ArrayBufferView | null) => {
    if (view && view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  };
  if (packed.kind === 'ipc') add(packed.ipc);
  else {
    add(packed.schemaIpc);
    for (const c of packed.columns) {
      add(c.values);
      add(c.offsets);
      add(c.validity);
    }
  }
  return [...buffers];
}

/** `table` as its column buffers, or as Arrow IPC when a column is not of a flat type. */
export function packTable(table: Table): PackedTable {
  const columns: PackedColumn[] = [];
  for (let i = 0; i < table.numCols; i++) {
    const vector = table.getChildAt(i)!;
    const data = vector.data;
    if (data.length !== 1 || !packable(data[0])) return { kind: 'ipc', ipc: ipcOf(table) };
    const d = data[0];
    columns.push({
      length: d.length,
      nullCount: d.nullCount,
      values: d.values as ColumnValues,
      offsets: (d.valueOffsets as Int32Array | undefined) ?? null,
      validity: d.nullCount > 0 ? (d.nullBitmap ?? null) : null,
    });
  }
  return {
    kind: 'columns',
    schemaIpc: schemaIpcOf(table.schema),
    numRows: table.numRows,
    columns,
  };
}

/** The table `packTable` packed (on the receiving side). */
export function unpackTable(packed: PackedTable): Table {
  if (packed.kind === 'ipc') return tableFromIPC(packed.ipc);
  const schema = schemaFrom(packed.schemaIpc);
  if (schema.fields.length !== packed.columns.length) {
    throw new Error(
      `packed table: ${packed.columns.length} columns for a schema of ${schema.fields.length}`,
    );
  }
  const children = schema.fields.map((field, i) => {
    const c = packed.columns[i];
    if (c.length !== packed.numRows) {
      throw new Error(
        `packed table: column ${field.name} has ${c.length} of ${packed.numRows} rows`,
      );
    }
    const props = {
      type: field.type,
      length: c.length,
      nullCount: c.nullCount,
      nullBitmap: c.validity ?? undefined,
      data: c.values,
      valueOffsets: c.offsets ?? undefined,
    };
    return makeData(props as never) as Data;
  });
  const rows = makeData({
    type: new Struct(schema.fields),
    length: packed.numRows,
    nullCount: 0,
    children,
  });
  return new Table(schema, [new RecordBatch(schema, rows)]);
}

/**
 * The schema's Arrow IPC, a new copy each time (it is moved); the last one is kept, as a run's
 * tasks send one schema over and over (~1 ms each to write and to read).
 */
let lastSent: { key: string; ipc: Uint8Array } | null = null;
let lastReceived: { ipc: Uint8Array; schema: Schema } | null = null;

function schemaIpcOf(schema: Schema): Uint8Array {
  const key = JSON.stringify([
    [...schema.metadata],
    schema.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]),
  ]);
  if (lastSent?.key !== key) lastSent = { key, ipc: ipcOf(new Table(schema)) };
  return lastSent.ipc.slice();
}

function schemaFrom(ipc: Uint8Array): Schema {
  if (!lastReceived || !sameBytes(lastReceived.ipc, ipc)) {
    lastReceived = { ipc: ipc.slice(), schema: tableFromIPC(ipc).schema };
  }
  return lastReceived.schema;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The table as an Arrow IPC stream, in an ArrayBuffer of its own (so it can be moved). */
export function ipcBuffer(table: Table): ArrayBuffer {
  const bytes = tableToIPC(table, 'stream');
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

const ipcOf = (table: Table): Uint8Array => new Uint8Array(ipcBuffer(table));
