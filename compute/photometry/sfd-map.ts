/**
 * The SFD98 E(B−V) map (Schlegel, Finkbeiner & Davis 1998, ApJ 500, 525): two 4096² float32
 * images in Lambert zenithal equal-area (ZEA) projection around the Galactic poles.
 * Projection (dust-photometry.md §1.3; sfdmap `_Hemisphere.ebv`, the SFD paper):
 *   ρ = √(1 − n·sin b), x = (CRPIX1 − 1) + S·ρ·cos l, y = (CRPIX2 − 1) − n·S·ρ·sin l
 * (0-indexed pixel centres, n = LAM_NSGP, S = LAM_SCAL). b ≥ 0 uses the NGP file, b < 0 the SGP.
 * Bilinear interpolation with clamp-to-edge as dustmaps `map_coordinates(order=1,
 * mode='nearest')` / sfdmap `_bilinear_interpolate`; nearest pixel as sfdmap (round, clip).
 * A position more than a pixel off the image (only a cutout has such) has no value: NaN.
 */
import type { ByteSource } from '../hats/byte-source';
import { UserError } from '../errors';
import { BlockCache } from './block-cache';
import {
  closeSource,
  sampleMap,
  type DustMap,
  type DustMapInfo,
  type Interpolation,
} from './dust-map';
import { cardNumber, readFitsHeaders } from './fits';
import { icrsToGalacticRad } from './galactic';

interface Hemisphere {
  cache: BlockCache;
  dataStart: number;
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  scale: number;
  nsgp: number;
  type: 'E' | 'D';
  bytes: number;
}

async function openHemisphere(
  source: ByteSource,
  expectNsgp: number,
  cacheShape: CacheShape,
): Promise<Hemisphere> {
  const [hdu] = await readFitsHeaders(source, 1);
  const file = source.name;
  const bitpix = cardNumber(hdu, 'BITPIX', file);
  if (bitpix !== -32 && bitpix !== -64) {
    throw new UserError(`${file}: BITPIX ${bitpix} is not a float SFD map (-32 or -64 expected).`);
  }
  const naxis = cardNumber(hdu, 'NAXIS', file);
  const nx = cardNumber(hdu, 'NAXIS1', file);
  const ny = naxis === 2 ? cardNumber(hdu, 'NAXIS2', file) : 0;
  if (naxis !== 2 || nx < 1 || ny < 1) {
    throw new UserError(
      `${file}: the primary image is ${naxis === 2 ? `${nx}x${ny}` : `${naxis}-dimensional`}, not a 2-D SFD map; check the dust-map path or re-download the file.`,
    );
  }
  const nsgp = cardNumber(hdu, 'LAM_NSGP', file);
  if (nsgp !== expectNsgp) {
    throw new UserError(
      `${file}: LAM_NSGP = ${nsgp}, expected ${expectNsgp} (${expectNsgp > 0 ? 'north, SFD_dust_4096_ngp.fits' : 'south, SFD_dust_4096_sgp.fits'}). Check which file is which.`,
    );
  }
  const scale = cardNumber(hdu, 'LAM_SCAL', file);
  if (!(scale > 0)) {
    throw new UserError(
      `${file}: LAM_SCAL = ${scale}, not a positive scale; re-download the file.`,
    );
  }
  // readFitsHeaders checked that the nx·ny pixels are in the file, and every offset below is
  // clamped to them, so a look-up never reads outside the data unit.
  return {
    cache: new BlockCache(source, cacheShape.blockBytes, cacheShape.maxBlocks),
    dataStart: hdu.dataStart,
    nx,
    ny,
    x0: cardNumber(hdu, 'CRPIX1', file) - 1,
    y0: cardNumber(hdu, 'CRPIX2', file) - 1,
    scale,
    nsgp,
    type: bitpix === -32 ? 'E' : 'D',
    bytes: bitpix === -32 ? 4 : 8,
  };
}

/** Block cache geometry per hemisphere (default 16 KiB × 2048 blocks = 32 MiB at most). */
export interface CacheShape {
  blockBytes: number;
  maxBlocks: number;
}

function hasSouthern(raDeg: ArrayLike<number>, decDeg: ArrayLike<number>): boolean {
  const l = new Float64Array(raDeg.length);
  const b = new Float64Array(raDeg.length);
  icrsToGalacticRad(raDeg, decDeg, l, b);
  return b.some((v) => v < 0);
}

const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);

/**
 * Opens the SFD map. `south` may be null for a north-only cutout (then points with b < 0 give
 * an error naming the missing file).
 */
export async function openSfdMap(
  north: ByteSource,
  south: ByteSource | null,
  interpolation: Interpolation = 'bilinear',
  name = 'sfd',
  cacheShape: CacheShape = { blockBytes: 16384, maxBlocks: 2048 },
): Promise<DustMap> {
  const ngp = await openHemisphere(north, 1, cacheShape);
  const sgp = south ? await openHemisphere(south, -1, cacheShape) : null;
  const hemis = sgp ? [ngp, sgp] : [ngp];
  if (sgp && sgp.type !== ngp.type) {
    throw new UserError(
      `${south?.name}: BITPIX differs from ${north.name}; use the matching SFD pair.`,
    );
  }
  const pixelArcmin = ((180 / Math.PI) * Math.SQRT2 * 60) / ngp.scale;
  const info: DustMapInfo = {
    name,
    kind: 'sfd-zea',
    files: hemis.map((h) => h.cache.source.name),
    resolution: `SFD98 ${ngp.nx}x${ngp.ny} ZEA per hemisphere (${pixelArcmin.toFixed(2)} arcmin pixels at the poles)`,
    pixelArcmin,
    interpolation,
    coordsys: 'galactic',
    valueScale: 1,
  };
  const locate = (l: number, b: number, offsets: Float64Array, weights: Float64Array) => {
    const southern = b < 0;
    if (southern && !sgp) return -1;
    const h = southern ? (sgp as Hemisphere) : ngp;
    const rho = Math.sqrt(1 - h.nsgp * Math.sin(b));
    const x = h.x0 + h.scale * rho * Math.cos(l);
    const y = h.y0 - h.nsgp * h.scale * rho * Math.sin(l);
    // A full hemisphere image holds every position of its hemisphere within half a pixel of
    // its edge (clamped there, as sfdmap and dustmaps do); further out is off a cutout: no value.
    if (!(x >= -1 && y >= -1 && x <= h.nx && y <= h.ny)) return -1;
    const at = (px: number, py: number) => h.dataStart + h.bytes * (py * h.nx + px);
    if (interpolation === 'nearest') {
      offsets[0] = at(clamp(Math.round(x), h.nx - 1), clamp(Math.round(y), h.ny - 1));
      weights[0] = 1;
    } else {
      const fx = Math.floor(x);
      const fy = Math.floor(y);
      const wx = x - fx;
      const wy = y - fy;
      const xa = clamp(fx, h.nx - 1);
      const xb = clamp(fx + 1, h.nx - 1);
      const ya = clamp(fy, h.ny - 1);
      const yb = clamp(fy + 1, h.ny - 1);
      offsets[0] = at(xa, ya);
      offsets[1] = at(xb, ya);
      offsets[2] = at(xa, yb);
      offsets[3] = at(xb, yb);
      weights[0] = (1 - wx) * (1 - wy);
      weights[1] = wx * (1 - wy);
      weights[2] = (1 - wx) * wy;
      weights[3] = wx * wy;
    }
    return southern ? 1 : 0;
  };
  return {
    info,
    async ebv(raDeg, decDeg) {
      const caches = hemis.map((h) => h.cache);
      const out = await sampleMap(raDeg, decDeg, 'galactic', caches, ngp.type, 1, locate);
      if (!sgp && hasSouthern(raDeg, decDeg)) {
        throw new UserError(
          `${north.name}: positions south of the Galactic plane need the SFD south map SFD_dust_4096_sgp.fits next to it (Harvard Dataverse doi:10.7910/DVN/EWCNL5).`,
        );
      }
      return out;
    },
    close: async () => {
      for (const h of hemis) await closeSource(h.cache.source);
    },
  };
}
