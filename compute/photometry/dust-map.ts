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
  /** Releases open files (a later query reopens them). */
  close?(): Promise<void>;
}

/** Closes a ByteSource when it can be closed (MapFileSource). */
export async function closeSource(source: unknown): Promise<void> {
  const c = (source as { close?: () => Promise<void> }).close;
  if (typeof c === 'function') await c.call(source);
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
  return serialized(caches[0], async () => {
    const scratch = freeScratch.pop() ?? new SampleScratch();
    try {
      return await sampleMapNow(
        raDeg,
        decDeg,
        coordsys,
        caches,
        valueType,
        valueScale,
        locate,
        scratch,
      );
    } finally {
      freeScratch.push(scratch);
    }
  });
}

/** Points per working chunk: bounds the scratch memory to ~1.5 MB whatever the batch size. */
const CHUNK = 16384;

/** The working arrays of one sampleMapNow call. */
class SampleScratch {
  readonly raChunk = new Float64Array(CHUNK);
  readonly decChunk = new Float64Array(CHUNK);
  readonly lon = new Float64Array(CHUNK);
  readonly lat = new Float64Array(CHUNK);
  readonly offsets = new Float64Array(CHUNK * NEIGHBOURS);
  readonly weights = new Float64Array(CHUNK * NEIGHBOURS);
  readonly which = new Int8Array(CHUNK);
}

/**
 * Scratch not in use (per thread): a run samples once per pixel, and 1.5 MB of new arrays each
 * time were first-touch page faults and garbage (89 pixels at 10M x 1M). Calls can overlap (they
 * await block loads), so each takes its own and gives it back.
 */
const freeScratch: SampleScratch[] = [];

async function sampleMapNow(
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  coordsys: 'galactic' | 'equatorial',
  caches: BlockCache[],
  valueType: string,
  valueScale: number,
  locate: Locator,
  scratch: SampleScratch,
): Promise<Float64Array> {
  const n = raDeg.length;
  const out = new Float64Array(n);
  const { raChunk, decChunk, lon, lat, offsets, weights, which } = scratch;
  const limit = Math.max(8, Math.floor(Math.min(...caches.map((c) => c.maxBlocks)) / 2));
  const needed = caches.map(() => new Set<number>());
  for (const c of caches) await c.preloadIfSmall();
  const track = caches.map((c) => !c.complete);
  const d2r = Math.PI / 180;
  let base = 0;
  let pending = 0; // first chunk-local index not yet evaluated
  const flush = async (end: number) => {
    for (let c = 0; c < caches.length; c++) {
      if (needed[c].size > 0) await caches[c].ensure(needed[c]);
      needed[c].clear();
    }
    for (let j = pending; j < end; j++) {
      const c = which[j];
      if (c < 0) {
        out[base + j] = Number.NaN;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < NEIGHBOURS; k++) {
        const w = weights[j * NEIGHBOURS + k];
        if (w !== 0) sum += w * caches[c].value(offsets[j * NEIGHBOURS + k], valueType);
      }
      out[base + j] = sum * valueScale;
    }
    pending = end;
  };
  const o4 = new Float64Array(NEIGHBOURS);
  const w4 = new Float64Array(NEIGHBOURS);
  for (base = 0; base < n; base += CHUNK) {
    const m = Math.min(CHUNK, n - base);
    for (let j = 0; j < m; j++) {
      raChunk[j] = raDeg[base + j];
      decChunk[j] = decDeg[base + j];
    }
    if (coordsys === 'galactic') {
      icrsToGalacticRad(raChunk.subarray(0, m), decChunk.subarray(0, m), lon, lat);
    } else {
      for (let j = 0; j < m; j++) {
        lon[j] = (((raChunk[j] % 360) + 360) % 360) * d2r;
        lat[j] = decChunk[j] * d2r;
      }
    }
    pending = 0;
    for (let j = 0; j < m; j++) {
      w4.fill(0);
      const ok = Number.isFinite(lon[j]) && Number.isFinite(lat[j]);
      const c = ok ? locate(lon[j], lat[j], o4, w4) : -1;
      which[j] = c;
      if (c < 0) continue;
      for (let k = 0; k < NEIGHBOURS; k++) {
        offsets[j * NEIGHBOURS + k] = o4[k];
        weights[j * NEIGHBOURS + k] = w4[k];
        if (track[c] && w4[k] !== 0) needed[c].add(caches[c].blockOf(o4[k]));
      }
      if (track[c] && needed[c].size >= limit) await flush(j + 1);
    }
    await flush(m);
  }
  return out;
}
