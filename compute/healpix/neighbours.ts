/**
 * Pixel neighbours in the NESTED scheme, and the margin cells of a pixel.
 *
 * `neighbours` follows HEALPix C++ `T_Healpix_Base::neighbors` (healpix_base.cc; healpy
 * `get_all_neighbours` uses it): step (ix, iy) by one cell in each of the 8 directions; when the
 * step leaves the base face, the face tables below give the adjacent face and how its
 * coordinates are flipped or swapped. Where only 3 faces meet (the 8 vertices at |z| = 2/3) one
 * corner neighbour does not exist and is -1.
 */
import { checkOrder, checkPixel, MAX_NUMBER_ORDER, pix2xyf, xyf2pixNumber } from './nested';

/** Offsets in result order SW, W, NW, N, NE, E, SE, S (healpy order). */
const X_OFFSET = [-1, -1, 0, 1, 1, 1, 0, -1];
const Y_OFFSET = [0, 1, 1, 1, 0, -1, -1, -1];
/**
 * Adjacent face by direction code nb = 4 + dx + 3 dy (dx, dy = -1/0/+1 when the step leaves the
 * face on x / y): rows S, SE, E, SW, (same face), NE, W, NW, N; columns = face 0..11.
 */
const FACE_ARRAY = [
  [8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9],
  [5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8],
  [-1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1],
  [4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  [1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4],
  [-1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1],
  [3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7],
  [2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3],
];
/** Coordinate fix-up by direction code and face row (face >> 2): 1 flip x, 2 flip y, 4 swap. */
const SWAP_ARRAY = [
  [0, 0, 3],
  [0, 0, 6],
  [0, 0, 0],
  [0, 0, 5],
  [0, 0, 0],
  [5, 0, 0],
  [0, 0, 0],
  [6, 0, 0],
  [3, 0, 0],
];

/** Neighbour of face-local cell (ix, iy) in direction (dx, dy) at nside = 2^order, or -1. */
function stepCell(order: number, ix: number, iy: number, face: number, dx: number, dy: number) {
  const ns = 2 ** order;
  let x = ix + dx;
  let y = iy + dy;
  let nb = 4;
  if (x < 0) {
    x += ns;
    nb -= 1;
  } else if (x >= ns) {
    x -= ns;
    nb += 1;
  }
  if (y < 0) {
    y += ns;
    nb -= 3;
  } else if (y >= ns) {
    y -= ns;
    nb += 3;
  }
  const f = FACE_ARRAY[nb][face];
  if (f < 0) return -1;
  const bits = SWAP_ARRAY[nb][face >> 2];
  if (bits & 1) x = ns - x - 1;
  if (bits & 2) y = ns - y - 1;
  if (bits & 4) {
    const t = x;
    x = y;
    y = t;
  }
  return xyf2pixNumber(order, x, y, f);
}

/**
 * The 8 neighbours of a pixel (order <= 24) in healpy order SW, W, NW, N, NE, E, SE, S; -1 where
 * the corner neighbour does not exist. At order 0 a face can list the same neighbour twice
 * (as healpy does).
 */
export function neighbours(order: number, pixel: number): number[] {
  checkOrder(order, MAX_NUMBER_ORDER);
  checkPixel(order, pixel);
  const { ix, iy, face } = pix2xyf(order, pixel);
  const out: number[] = [];
  for (let i = 0; i < 8; i++) out.push(stepCell(order, ix, iy, face, X_OFFSET[i], Y_OFFSET[i]));
  return out;
}

/**
 * Cells at order `order + deltaOrder` (<= 24) outside pixel (order, pixel) that share at least one
 * vertex with a cell inside it, sorted ascending, no -1: the same set as cdshealpix
 * `external_neighbours(pixel, order, deltaOrder)` merged (hats `pixel_math/pixel_margins.py::
 * get_margin`, used by hats-import to pick margin rows). That is 4 * 2^delta edge cells plus up
 * to 4 corner cells (3 where the pixel touches a vertex shared by only 3 base faces).
 * Example: order 1 pixel 44 with delta 3 -> 36 cells at order 4.
 */
export function marginPixels(order: number, pixel: number, deltaOrder: number): number[] {
  checkOrder(order, MAX_NUMBER_ORDER);
  checkPixel(order, pixel);
  const m = order + deltaOrder;
  if (!Number.isInteger(deltaOrder) || deltaOrder < 0 || m > MAX_NUMBER_ORDER) {
    throw new RangeError(`margin order ${order} + ${deltaOrder} must be in [${order}, 24]`);
  }
  const { ix, iy, face } = pix2xyf(order, pixel);
  const side = 2 ** deltaOrder;
  const x0 = ix * side;
  const y0 = iy * side;
  const last = side - 1;
  const found = new Set<number>();
  const addOutside = (cx: number, cy: number, dx: number, dy: number): void => {
    const inside = cx + dx >= x0 && cx + dx <= x0 + last && cy + dy >= y0 && cy + dy <= y0 + last;
    if (inside) return;
    const q = stepCell(m, cx, cy, face, dx, dy);
    if (q >= 0) found.add(q);
  };
  // Walk the border cells of the pixel at order m; step outwards in every direction.
  for (let k = 0; k < side; k++) {
    const border: [number, number][] = [
      [x0 + k, y0],
      [x0 + k, y0 + last],
      [x0, y0 + k],
      [x0 + last, y0 + k],
    ];
    for (const [cx, cy] of border) {
      for (let i = 0; i < 8; i++) addOutside(cx, cy, X_OFFSET[i], Y_OFFSET[i]);
    }
  }
  return [...found].sort((a, b) => a - b);
}
