/**
 * The dust-map contract and the shared sampling driver: each map turns a position into up to 4
 * (byte offset, weight) pairs; the driver loads the needed blocks through a bounded
 * {@link BlockCache} in chunks and sums the weighted values.
 */
import type { BlockCache } from './block-cache';
import { icrsToGalacticRad } from './galactic';

export type Interpolation = 'bilinear' | 'nearest';

/** What a run record says about the map used. */
export interface DustMapInfo {
  /** Short name: 'sfd', 'sfd-lowres', 'csfd', 'planck' or the file name of a HEALPix map. */
  name: string;
  kind: 'sfd-zea' | 'healpix';
  files: string[];
  /** Human-readable resolution, e.g. "SFD 4096² ZEA per hemisphere (2.37 arcmin pixels)". */
  resolution: string;
  /** Pixel size in arcmin. */
  pixelArcmin: number;
  interpolation: Interpolation;
  /** Coordinate system of the map: 'galactic' or 'equatorial'. */
  coordsys: 'galactic' | 'equatorial';
  /** Multiplier applied to the stored values to give E(B−V) (e.g. 1.49e4 for Planck τ353). */
  valueScale: number;
}

export interface DustMap {
  readonly info: DustMapInfo;
  /**
   * E(B−V) in mag at ICRS positions (degrees), as stored in the map times `info.valueScale`
   * (no 0.86 recalibration here: that is `ebvScale` in applyPhotometry). NaN where the map has
   * no value (blank/UNSEEN pixels) or the position is NaN.
   */
  ebv(raDeg: ArrayLike<number>, decDeg: ArrayLike<number>): Promise<Float64Array>;
}

/** Fills up to 4 neighbours: returns the cache index (which file), or -1 for a NaN result. */
export type Locator = (
  lonRad: number,
  latRad: number,
  offsets: Float64Array,
  weights: Float64Array,
) => number;

const NEIGHBOURS = 4;

/** One query at a time per map: a second query could evict blocks the first still needs. */
const queues = new WeakMap<BlockCache, Promise<unknown>>();

function serialized<T>(key: BlockCache, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Samples a map at ICRS positions: converts to the map's frame, locates 4 weighted neighbours per
 * point, loads their blocks (at most half the cache per chunk, so the chunk's blocks all stay
 * loaded) and returns Σ wᵢ·vᵢ·valueScale.
 */
export function sampleMap(
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  coordsys: 'galactic' | 'equatorial',
  caches: BlockCache[],
  valueType: string,
  valueScale: number,
  locate: Locator,
): Promise<Float64Array> {
  return serialized(caches[0], () =>
    sampleMapNow(raDeg, decDeg, coordsys, caches, valueType, valueScale, locate),
  );
}

async function sampleMapNow(
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  coordsys: 'galactic' | 'equatorial',
  caches: BlockCache[],
  valueType: string,
  valueScale: number,
  locate: Locator,
): Promise<Float64Array> {
  const n = raDeg.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  if (coordsys === 'galactic') icrsToGalacticRad(raDeg, decDeg, lon, lat);
  else {
    for (let i = 0; i < n; i++) {
      lon[i] = (((raDeg[i] % 360) + 360) % 360) * (Math.PI / 180);
      lat[i] = decDeg[i] * (Math.PI / 180);
    }
  }
  const out = new Float64Array(n);
  const offsets = new Float64Array(n * NEIGHBOURS);
  const weights = new Float64Array(n * NEIGHBOURS);
  const which = new Int8Array(n);
  const limit = Math.max(8, Math.floor(Math.min(...caches.map((c) => c.maxBlocks)) / 2));
  const needed = caches.map(() => new Set<number>());
  for (const c of caches) await c.preloadIfSmall();
  const track = caches.map((c) => !c.complete);
  let chunkStart = 0;
  const flush = async (end: number) => {
    for (let c = 0; c < caches.length; c++) {
      await caches[c].ensure(needed[c]);
      needed[c].clear();
    }
    for (let i = chunkStart; i < end; i++) {
      const c = which[i];
      if (c < 0) {
        out[i] = Number.NaN;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < NEIGHBOURS; k++) {
        const w = weights[i * NEIGHBOURS + k];
        if (w !== 0) sum += w * caches[c].value(offsets[i * NEIGHBOURS + k], valueType);
      }
      out[i] = sum * valueScale;
    }
    chunkStart = end;
  };
  const o4 = new Float64Array(NEIGHBOURS);
  const w4 = new Float64Array(NEIGHBOURS);
  for (let i = 0; i < n; i++) {
    w4.fill(0);
    const c =
      Number.isFinite(lon[i]) && Number.isFinite(lat[i]) ? locate(lon[i], lat[i], o4, w4) : -1;
    which[i] = c;
    if (c >= 0) {
      for (let k = 0; k < NEIGHBOURS; k++) {
        offsets[i * NEIGHBOURS + k] = o4[k];
        weights[i * NEIGHBOURS + k] = w4[k];
        if (track[c] && w4[k] !== 0) needed[c].add(caches[c].blockOf(o4[k]));
      }
      if (track[c] && needed[c].size >= limit) await flush(i + 1);
    }
  }
  await flush(n);
  return out;
}
