import { HatsCatalog } from '../hats/catalog';
import type { Pixel, PixelCatalog } from '../hats/types';

/** Largest point_map.fits read for a MOC (bytes); bigger maps fall back to the partitions. */
const MAX_POINT_MAP_BYTES = 64 << 20;
/** MOCs with more cells are degraded (a superset: only ever keeps more pixels). */
const MAX_MOC_CELLS = 200_000;
const BLOCK = 2880;

/**
 * The MOC of a catalog as lsdb builds it: the cells with a count > 0 in `point_map.fits`
 * (hats `read_hats.py::_read_moc_from_point_map`), else `null` (the caller uses the partitions).
 * An in-memory catalog gives the order-10 cells of its rows (lsdb `from_dataframe`:
 * `MOC.from_lonlat(max_norder=10)`). Very large maps are degraded to at most 200,000 cells.
 */
export async function loadMoc(catalog: PixelCatalog): Promise<Pixel[] | null> {
  // A reader may offer its own MOC (in-memory catalogs do): `moc()` giving Pixel[] or a promise.
  const own = (catalog as { moc?: unknown }).moc;
  if (typeof own === 'function') {
    const cells: unknown = await own.call(catalog);
    if (Array.isArray(cells)) return degrade(cells as Pixel[]);
  }
  if (!(catalog instanceof HatsCatalog)) return null;
  const store = catalog.store;
  if (!(await store.exists('point_map.fits'))) return null;
  const source = store.open('point_map.fits');
  const size = await source.size();
  if (size > MAX_POINT_MAP_BYTES) return null;
  try {
    return degrade(parsePointMap(await source.read(0, size), source.name));
  } catch {
    // An unreadable map only widens the plan (the partitions cover every row): never fewer pairs.
    return null;
  }
}

function cards(
  bytes: Uint8Array,
  start: number,
): { cards: Map<string, string>; dataStart: number } {
  const out = new Map<string, string>();
  const text = new TextDecoder('latin1');
  for (let block = start; block + BLOCK <= bytes.length; block += BLOCK) {
    for (let c = 0; c < BLOCK; c += 80) {
      const card = text.decode(bytes.subarray(block + c, block + c + 80));
      const key = card.slice(0, 8).trim();
      if (key === 'END') return { cards: out, dataStart: block + BLOCK };
      if (card[8] === '=') {
        let value = card.slice(10).split('/')[0].trim();
        if (value.startsWith("'")) value = value.slice(1, value.lastIndexOf("'")).trim();
        out.set(key, value);
      }
    }
  }
  throw new Error('FITS header without END');
}

const TFORM_BYTES: Record<string, number> = { K: 8, J: 4, I: 2, B: 1, D: 8, E: 4 };

/**
 * Cells with a count > 0 of a HEALPix skymap FITS file (a BINTABLE after an empty primary HDU;
 * IMPLICIT: one value per pixel, row = pixel; EXPLICIT: a PIXEL column plus the value), at the
 * order given by NSIDE (hats-lsdb.md §1.1).
 */
export function parsePointMap(bytes: Uint8Array, name: string): Pixel[] {
  try {
    const primary = cards(bytes, 0);
    const ext = cards(bytes, primary.dataStart);
    const h = ext.cards;
    if (h.get('XTENSION') !== 'BINTABLE') throw new Error('no BINTABLE extension');
    const rowBytes = Number(h.get('NAXIS1'));
    const rows = Number(h.get('NAXIS2'));
    const nside = Number(h.get('NSIDE'));
    const order = Math.round(Math.log2(nside));
    const fields = Number(h.get('TFIELDS'));
    let offset = 0;
    let pixelCol: { off: number; form: string } | null = null;
    let valueCol: { off: number; form: string } | null = null;
    for (let f = 1; f <= fields; f++) {
      const form = (h.get(`TFORM${f}`) ?? '').replace(/^1/, '');
      const type = (h.get(`TTYPE${f}`) ?? '').toUpperCase();
      const width = TFORM_BYTES[form];
      if (width === undefined) throw new Error(`unsupported TFORM${f} '${form}'`);
      if (type === 'PIXEL') pixelCol = { off: offset, form };
      else valueCol ??= { off: offset, form };
      offset += width;
    }
    if (!valueCol) throw new Error('no value column');
    const explicit = (h.get('INDXSCHM') ?? 'IMPLICIT').toUpperCase() === 'EXPLICIT' && pixelCol;
    const view = new DataView(bytes.buffer, bytes.byteOffset + ext.dataStart, rows * rowBytes);
    const read = (at: number, form: string): number => {
      switch (form) {
        case 'K':
          return Number(view.getBigInt64(at));
        case 'J':
          return view.getInt32(at);
        case 'I':
          return view.getInt16(at);
        case 'B':
          return view.getUint8(at);
        case 'D':
          return view.getFloat64(at);
        default:
          return view.getFloat32(at);
      }
    };
    const out: Pixel[] = [];
    for (let r = 0; r < rows; r++) {
      const base = r * rowBytes;
      if (read(base + valueCol.off, valueCol.form) > 0) {
        const pixel = explicit ? read(base + pixelCol!.off, pixelCol!.form) : r;
        out.push({ order, pixel });
      }
    }
    return out;
  } catch (err) {
    throw new Error(`${name}: cannot read the HEALPix point map (${(err as Error).message})`, {
      cause: err,
    });
  }
}

/** Replaces cells by their ancestors until at most MAX_MOC_CELLS remain and orders are <= 20. */
function degrade(cells: Pixel[]): Pixel[] {
  let out = cells;
  // a loop, not Math.max(...): a spread of more than ~120,000 cells overflows the call stack
  let order = 0;
  for (const p of out) if (p.order > order) order = p.order;
  while (order > 0 && (out.length > MAX_MOC_CELLS || order > 20)) {
    order--;
    const seen = new Set<number>();
    const next: Pixel[] = [];
    for (const p of out) {
      const q = p.order > order ? Math.floor(p.pixel / 4 ** (p.order - order)) : p.pixel;
      const key = q * 32 + Math.min(p.order, order);
      if (!seen.has(key)) {
        seen.add(key);
        next.push({ order: Math.min(p.order, order), pixel: q });
      }
    }
    out = next;
  }
  return out;
}
