import { h5wasmLoaded, type H5wasm } from './h5wasm';

type H5Dataset = InstanceType<H5wasm['h5']['Dataset']>;
export type H5Type = H5Dataset['metadata'];
export type H5Member = NonNullable<H5Type['compound_type']>['members'][number];

// H5T class ids
export const INTEGER = 0;
export const FLOAT = 1;
export const STRING = 3;
export const COMPOUND = 6;
const ENUM = 8;
const ARRAY = 10;

/** H5Tget_order of a datatype; 'unknown' for classes whose order the metadata does not tell. */
type ByteOrder = 'le' | 'be' | 'none' | 'mixed' | 'unknown';

function byteOrder(t: H5Type): ByteOrder {
  if (t.littleEndian) return 'le';
  switch (t.type) {
    case INTEGER:
    case FLOAT:
    case ENUM:
      return 'be';
    case STRING:
      return 'none'; // fixed-length; h5wasm reports a variable-length string as little-endian
    case ARRAY:
      return t.array_type ? byteOrder(t.array_type) : 'unknown';
    case COMPOUND: {
      // as H5Tget_order: members without an order are skipped, two orders make 'mixed'
      const orders = new Set(t.compound_type!.members.map(byteOrder));
      if (orders.has('unknown')) return 'unknown';
      orders.delete('none');
      if (orders.size === 0) return 'none';
      return orders.size === 1 ? [...orders][0] : 'mixed';
    }
    default:
      return 'unknown';
  }
}

/**
 * How h5wasm's reads (`get_dataset_data`, so `slice` too) lay out a compound's bytes: a wholly
 * big-endian compound (H5Tget_order BE) is converted to little-endian (`allLittle`), any other
 * (mixed orders included) comes as stored, each member in its own order. `readable` says whether
 * a member's values come out right: decodeMembers reads a plain member in its order once that
 * layout is known; h5wasm's `slice`, for the others, decodes every member as little-endian.
 */
export function compoundLayout(ds: H5Type): {
  allLittle: boolean;
  readable(m: H5Member): boolean;
} {
  const order = byteOrder(ds);
  const allLittle = order === 'be' || order === 'le' || order === 'none';
  const orderFree = (m: H5Member) => m.size === 1 || ['le', 'none'].includes(byteOrder(m));
  return {
    allLittle,
    readable: (m) => allLittle || orderFree(m) || (plainMember(m) && order === 'mixed'),
  };
}

/** Whether decodeMembers reads a member: numbers of either byte order and fixed-length strings. */
export function plainMember(m: H5Member): boolean {
  if (m.type === INTEGER) return [1, 2, 4, 8].includes(m.size);
  if (m.type === FLOAT) return m.size === 4 || m.size === 8;
  return m.type === STRING && !m.vlen;
}

/**
 * Each plain member's values over rows [start, end) (null for the others: enum, array, ...),
 * decoded from the dataset's raw bytes; with `wanted`, only the members it accepts (null for the
 * rest). h5wasm's `slice` copies every value into a small array of its own first: 5.4 s for 58k
 * rows x 70 columns, against ~0.2 s here.
 */
export function decodeMembers(
  ds: H5Dataset,
  start: number,
  end: number,
  wanted: (m: H5Member) => boolean = () => true,
): (unknown[] | null)[] {
  const { size, compound_type } = ds.metadata;
  const { allLittle } = compoundLayout(ds.metadata);
  const { Module } = h5wasmLoaded();
  const n = end - start;
  const ptr = Module._malloc(Math.max(1, size * n));
  if (!ptr) throw new Error(`cannot allocate ${size * n} bytes for an HDF5 slice`);
  let bytes: Uint8Array;
  try {
    const status = Module.get_dataset_data(
      ds.file_id,
      ds.path,
      [BigInt(n)],
      [BigInt(start)],
      [1n],
      BigInt(ptr),
    );
    if (status < 0) throw new Error(`cannot read rows ${start}-${end} of ${ds.path}`);
    bytes = Module.HEAPU8.slice(ptr, ptr + size * n);
  } finally {
    Module._free(ptr);
  }
  const view = new DataView(bytes.buffer);
  return compound_type!.members.map((m) => {
    if (!plainMember(m) || !wanted(m)) return null;
    const values = new Array<unknown>(n);
    let at = m.offset;
    if (m.type === STRING) {
      const decoder = new TextDecoder(m.cset === 1 ? 'utf-8' : 'ascii');
      for (let i = 0; i < n; i++, at += size) {
        let stop = at;
        while (stop < at + m.size && bytes[stop] !== 0) stop++;
        values[i] = decoder.decode(bytes.subarray(at, stop));
      }
      return values;
    }
    const read = memberReader(view, m, allLittle || m.littleEndian);
    for (let i = 0; i < n; i++, at += size) values[i] = read(at);
    return values;
  });
}

function memberReader(view: DataView, m: H5Member, le: boolean): (at: number) => number | bigint {
  if (m.type === FLOAT) {
    return m.size === 8 ? (at) => view.getFloat64(at, le) : (at) => view.getFloat32(at, le);
  }
  switch (m.size) {
    case 1:
      return m.signed ? (at) => view.getInt8(at) : (at) => view.getUint8(at);
    case 2:
      return m.signed ? (at) => view.getInt16(at, le) : (at) => view.getUint16(at, le);
    case 4:
      return m.signed ? (at) => view.getInt32(at, le) : (at) => view.getUint32(at, le);
    default:
      return m.signed ? (at) => view.getBigInt64(at, le) : (at) => view.getBigUint64(at, le);
  }
}
