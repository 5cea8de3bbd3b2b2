import { marginPixels } from '../healpix';
import type { Pixel, PixelCatalog } from '../hats/types';
import { alignPixels, outerAlignedTree, PixelSet, sortPixels } from './align';
import type { ResolvedCrossmatchOptions } from './options';
import type { BorderSpec, PixelTaskSpec } from './pixel-task';

const ARCSEC_RAD = Math.PI / 180 / 3600;

/** HEALPix resolution (mean pixel size) in radians: sqrt(4π / (12·4^k)) (hats `healpix_shim.resol`). */
export function resolRad(order: number): number {
  return Math.sqrt((4 * Math.PI) / (12 * 4 ** order));
}

/**
 * The order whose pixels are about as wide as `thresholdArcsec`: hats `margin2order`,
 * clip(floor(log2(sqrt(π/3) / radians(1.6·threshold_deg))), 0, 29) (hats-lsdb.md §2.3).
 */
export function margin2order(thresholdArcsec: number): number {
  const rad = 1.6 * thresholdArcsec * ARCSEC_RAD;
  const k = Math.floor(Math.log2(Math.sqrt(Math.PI / 3) / rad));
  return Math.min(29, Math.max(0, k));
}

/**
 * Order of the cells used to find border rows: one order coarser than `margin2order(radius)`, so
 * the cells are about twice as wide as the radius (hats' own pixel width estimate, mindist =
 * resol/1.6, is rough near face corners: hats-import issue #434), capped at 24.
 */
export function borderOrder(radiusArcsec: number): number {
  return Math.min(24, Math.max(0, margin2order(radiusArcsec) - 1));
}

/** At most this many orders between an aligned pixel and its border cells (4·2^5 + 4 cells). */
const BORDER_DEPTH = 5;

/** MOCs of the two sides (see `loadMoc`); a missing one is replaced by the partitions. */
export interface CatalogMocs {
  left?: Pixel[] | null;
  right?: Pixel[] | null;
}

/**
 * lsdb's widening of the right MOC by the margin threshold (hats-lsdb.md §3.2 step 2): if the
 * threshold is below resol(max order), add the neighbours at the max order; else first degrade by
 * ceil(log2(threshold/resol)) orders. "Add neighbours" of a pixel P at order D is P plus the
 * order-D cells sharing a vertex with it (`marginPixels`).
 */
export function widenMoc(moc: Pixel[], thresholdArcsec: number): Pixel[] {
  if (moc.length === 0) return [];
  // a loop, not Math.max(...): a spread of more than ~120,000 cells overflows the call stack
  let maxOrder = 0;
  for (const p of moc) if (p.order > maxOrder) maxOrder = p.order;
  const ratio = (thresholdArcsec * ARCSEC_RAD) / resolRad(maxOrder);
  if (ratio >= 1) maxOrder = Math.max(0, maxOrder - Math.ceil(Math.log2(ratio)));
  const out = new Map<string, Pixel>();
  const add = (p: Pixel) => out.set(`${p.order}/${p.pixel}`, p);
  for (const p of moc) {
    const q =
      p.order > maxOrder
        ? { order: maxOrder, pixel: Math.floor(p.pixel / 4 ** (p.order - maxOrder)) }
        : p;
    add(q);
    for (const c of marginPixels(q.order, q.pixel, maxOrder - q.order))
      add({ order: maxOrder, pixel: c });
  }
  return [...out.values()];
}

/**
 * The task list of a crossmatch, in aligned-pixel (breadth-first) order: lsdb's alignment and
 * MOC filter (§3.2), or, in border-row mode (no usable margin, `borderRows: 'auto'`), every left
 * pixel with the right partitions near it.
 */
export function planCrossmatch(
  left: PixelCatalog,
  right: PixelCatalog,
  margin: PixelCatalog | null,
  options: ResolvedCrossmatchOptions,
  mocs: CatalogMocs = {},
): PixelTaskSpec[] {
  const useMargin = options.useMargin && margin !== null;
  const borderMode = options.borderRows === 'auto' && !useMargin;
  const rightTree = useMargin
    ? outerAlignedTree(right.partitions, margin.partitions)
    : right.partitions;
  const aligned = alignPixels(
    sortPixels(left.partitions),
    sortPixels(rightTree),
    borderMode ? 'left' : options.how,
  );

  const leftMoc = new PixelSet(mocs.left ?? left.partitions);
  let keep: PixelSet = leftMoc;
  if (options.how === 'inner') {
    // Border mode widens by twice the radius: one cell of dilation then surely covers it even
    // where HEALPix cells are narrower than resol/1.6 (lsdb's margin rule otherwise).
    const threshold = useMargin
      ? margin.marginThresholdArcsec
      : borderMode
        ? 2 * options.radiusArcsec
        : undefined;
    const rightCells = mocs.right ?? right.partitions;
    const rightMoc = threshold !== undefined ? widenMoc(rightCells, threshold) : rightCells;
    keep = leftMoc.intersect(new PixelSet(rightMoc));
  }
  const rightParts = sortPixels(right.partitions);
  const out: PixelTaskSpec[] = [];
  for (const t of aligned) {
    if (!keep.overlaps(t.aligned)) continue;
    const border = borderMode
      ? borderSpec(t.aligned, t.right, rightParts, options.radiusArcsec)
      : null;
    if (
      options.how === 'inner' &&
      t.right === null &&
      (!border || border.partitions.length === 0)
    ) {
      continue;
    }
    out.push({ aligned: t.aligned, left: t.left, right: t.right, border });
  }
  return out;
}

/**
 * The cells around aligned pixel A where right rows within `radiusArcsec` of A can lie, and the
 * right partitions (other than `right`, which is read whole) that overlap them.
 */
export function borderSpec(
  aligned: Pixel,
  right: Pixel | null,
  rightPartitions: Pixel[],
  radiusArcsec: number,
): BorderSpec {
  // Cells finer than BORDER_DEPTH orders below A only cost time: coarser cells cover a wider
  // strip, a superset of the rows needed (the kernel applies the exact radius).
  const m = Math.min(borderOrder(radiusArcsec), aligned.order + BORDER_DEPTH);
  let cells: number[];
  if (m >= aligned.order) {
    cells = marginPixels(aligned.order, aligned.pixel, m - aligned.order);
  } else {
    // The radius is wider than A: use A's ancestor at order m and its neighbours.
    const p = Math.floor(aligned.pixel / 4 ** (aligned.order - m));
    cells = [p, ...marginPixels(m, p, 0)];
  }
  const cellSet = new PixelSet(cells.map((c) => ({ order: m, pixel: c })));
  const partitions = rightPartitions.filter(
    (q) => !(right && q.order === right.order && q.pixel === right.pixel) && cellSet.overlaps(q),
  );
  return { order: m, cells, partitions };
}
