import { UserError } from '../errors';

/**
 * Order-`marginOrder` cells outside pixel (order, pixel) that touch it (hats `get_margin`).
 * Waits for compute/healpix `marginPixels`, which another room is writing.
 */
export function marginCells(order: number, pixel: number, marginOrder: number): number[] {
  throw new UserError(
    `margin catalogs need compute/healpix marginPixels, not available yet (pixel ${order}/${pixel}, margin order ${marginOrder})`,
  );
}
