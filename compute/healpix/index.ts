/**
 * HEALPix NESTED library for the engine (hand-written: exact 64-bit indices up to order 29).
 * See the module files for the formulas and their sources.
 */
export {
  MAX_ORDER,
  MAX_NUMBER_ORDER,
  nside,
  npix,
  checkOrder,
  checkPixel,
  xyf2pix,
  xyf2pixNumber,
  pix2xyf,
  pixelAtOrder,
  pixelAtOrderNumber,
  pixel29ToOrder,
  degradeBatch,
  pixelRange29,
  childrenNumber,
} from './nested';
export type { Xyf } from './nested';
export {
  ang2pixNest,
  ang2pixNestNumber,
  ang2pixNestBatch,
  ang2pixNestNumberBatch,
  TRANSITION_LAT_RAD,
} from './ang2pix';
export {
  pixelCenter,
  pixelCorners,
  pixelBoundary,
  pixelBoundaryXyz,
  faceLocToRaDec,
  faceLocToXyz,
  pixelFaceFrame,
} from './pix2ang';
export type { RaDec } from './pix2ang';
export { neighbours, marginPixels } from './neighbours';
export {
  resolDeg,
  resolArcmin,
  order2resolutionArcsec,
  mindistArcmin,
  margin2order,
} from './resolution';
export { PixelDistance, distanceToPixelDeg, isNearPixel } from './distance';
