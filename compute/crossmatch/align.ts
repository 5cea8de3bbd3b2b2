import type { Pixel } from '../hats/types';

/**
 * Partition alignment of two pixel trees (hats `pixel_tree/pixel_alignment.py`, as used by lsdb
 * `align_catalogs`; hats-lsdb.md §3.2). Pixels become intervals of descendants at one common order
 * K (the highest order present, <= 24 so every bound is an exact number), and the sorted interval
 * lists are merged in one linear pass.
 */

/** One unit of crossmatch work: left rows cut to `aligned`, right rows of partition `right`. */
export interface AlignedTask {
  aligned: Pixel;
  left: Pixel;
  /** null: no right partition overlaps (left join or border-row mode). */
  right: Pixel | null;
}

interface Interval {
  start: number;
  end: number;
  pixel: Pixel;
}

/** Highest order the interval arithmetic handles exactly (12 * 4^24 < 2^53). */
const MAX_ALIGN_ORDER = 24;

function toIntervals(pixels: Pixel[], order: number): Interval[] {
  const out = pixels.map((p) => {
    const scale = 4 ** (order - p.order);
    return { start: p.pixel * scale, end: (p.pixel + 1) * scale, pixel: p };
  });
  out.sort((a, b) => a.start - b.start);
  for (let i = 1; i < out.length; i++) {
    if (out[i].start < out[i - 1].end) {
      throw new Error(
        `pixel tree has overlapping pixels (${fmt(out[i - 1].pixel)} and ${fmt(out[i].pixel)})`,
      );
    }
  }
  return out;
}

function fmt(p: Pixel): string {
  return `Norder=${p.order} Npix=${p.pixel}`;
}

function commonOrder(...lists: Pixel[][]): number {
  let k = 0;
  for (const l of lists) for (const p of l) k = Math.max(k, p.order);
  if (k > MAX_ALIGN_ORDER) throw new RangeError(`pixel order ${k} is above ${MAX_ALIGN_ORDER}`);
  return k;
}

/** Breadth-first ("nested") sort key of a pixel: its first descendant at order 24. */
export function pixelSortKey(p: Pixel): number {
  return p.pixel * 4 ** (MAX_ALIGN_ORDER - p.order);
}

/** Sorts pixels breadth-first (by `pixel << 2(29-order)`, hats `get_pixel_argsort`). */
export function sortPixels(pixels: Pixel[]): Pixel[] {
  return [...pixels].sort((a, b) => pixelSortKey(a) - pixelSortKey(b) || a.order - b.order);
}

/** The pixel at `order` whose interval starts at `start` (start must be aligned to it). */
function pixelAt(start: number, order: number, baseOrder: number): Pixel {
  return { order, pixel: start / 4 ** (baseOrder - order) };
}

/**
 * The fewest pixels covering [start, end) at base order K, each the largest aligned pixel that
 * fits (hats `_add_pixels_until`).
 */
function fillGap(start: number, end: number, baseOrder: number): Pixel[] {
  const out: Pixel[] = [];
  let s = start;
  while (s < end) {
    let order = baseOrder;
    while (order > 0) {
      const size = 4 ** (baseOrder - order + 1);
      if (s % size !== 0 || s + size > end) break;
      order--;
    }
    out.push(pixelAt(s, order, baseOrder));
    s += 4 ** (baseOrder - order);
  }
  return out;
}

/**
 * Inner or left alignment of a left and a right pixel tree. Each overlapping (left, right) pair
 * gives one task whose aligned pixel is the higher-order (smaller) of the two; with `how='left'`
 * the parts of left pixels no right pixel covers are split into the largest pixels filling them,
 * with `right: null`. Tasks are sorted by aligned pixel (breadth-first order).
 */
export function alignPixels(left: Pixel[], right: Pixel[], how: 'inner' | 'left'): AlignedTask[] {
  const K = commonOrder(left, right);
  const L = toIntervals(left, K);
  const R = toIntervals(right, K);
  const out: AlignedTask[] = [];
  let j = 0;
  for (const l of L) {
    while (j < R.length && R[j].end <= l.start) j++;
    let cursor = l.start;
    let jj = j;
    while (jj < R.length && R[jj].start < l.end) {
      const r = R[jj];
      if (how === 'left' && r.start > cursor) {
        for (const g of fillGap(cursor, r.start, K))
          out.push({ aligned: g, left: l.pixel, right: null });
      }
      const aligned = r.pixel.order >= l.pixel.order ? r.pixel : l.pixel;
      out.push({ aligned, left: l.pixel, right: r.pixel });
      cursor = Math.max(cursor, r.end);
      if (r.end > l.end) break; // this right pixel contains the left one; keep it for the next left
      jj++;
    }
    if (how === 'left' && cursor < l.end) {
      for (const g of fillGap(cursor, l.end, K))
        out.push({ aligned: g, left: l.pixel, right: null });
    }
  }
  out.sort((a, b) => pixelSortKey(a.aligned) - pixelSortKey(b.aligned));
  return out;
}

/**
 * Outer alignment of two pixel trees as one tree: overlapping pairs give the higher-order pixel,
 * and the rest of each side is filled with the largest pixels (lsdb `_get_right_tree_and_moc`
 * aligns the right catalog with its margin this way, so that margin-only pixels can be matched).
 */
export function outerAlignedTree(a: Pixel[], b: Pixel[]): Pixel[] {
  const K = commonOrder(a, b);
  const A = toIntervals(a, K);
  const B = toIntervals(b, K);
  // Every boundary of either tree splits the union; each piece is kept if either side covers it.
  const cuts = new Set<number>();
  for (const x of [...A, ...B]) {
    cuts.add(x.start);
    cuts.add(x.end);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const setA = new PixelSet(a);
  const setB = new PixelSet(b);
  const out: Pixel[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i];
    const e = points[i + 1];
    for (const g of fillGap(s, e, K)) if (setA.overlaps(g) || setB.overlaps(g)) out.push(g);
  }
  return out;
}

/**
 * A set of pixels (any orders, e.g. a MOC or a partition list) as sorted, merged order-24
 * intervals, answering "does this pixel overlap the set" by binary search.
 */
export class PixelSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(pixels: Pixel[]) {
    const iv = pixels
      .map((p) => [pixelSortKey(p), pixelSortKey({ order: p.order, pixel: p.pixel + 1 })])
      .sort((a, b) => a[0] - b[0]);
    for (const [s, e] of iv) {
      const n = this.ends.length;
      if (n > 0 && s <= this.ends[n - 1]) this.ends[n - 1] = Math.max(this.ends[n - 1], e);
      else {
        this.starts.push(s);
        this.ends.push(e);
      }
    }
  }

  /** The pixels in both sets (as intervals). */
  intersect(other: PixelSet): PixelSet {
    const out = new PixelSet([]);
    let i = 0;
    let j = 0;
    while (i < this.starts.length && j < other.starts.length) {
      const s = Math.max(this.starts[i], other.starts[j]);
      const e = Math.min(this.ends[i], other.ends[j]);
      if (s < e) {
        out.starts.push(s);
        out.ends.push(e);
      }
      if (this.ends[i] < other.ends[j]) i++;
      else j++;
    }
    return out;
  }

  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  /** True when pixel `p` overlaps the set. */
  overlaps(p: Pixel): boolean {
    const s = pixelSortKey(p);
    const e = pixelSortKey({ order: p.order, pixel: p.pixel + 1 });
    // Last interval starting before e.
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < e) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && this.ends[found] > s;
  }
}

/** The pixels of `tree` (any orders) that overlap pixel `p`, in tree order. */
export function overlappingPixels(p: Pixel, tree: Pixel[]): Pixel[] {
  const one = new PixelSet([p]);
  return tree.filter((t) => one.overlaps(t));
}
