/**
 * Column builders and sky/photometry draws of the scale benchmark's synthetic catalogs
 * (bench/scale-data.ts). Arrow vectors are built straight from typed arrays (validity and
 * boolean bitmaps, UTF-8 offsets), because `vectorFromArray` costs ~1 s per million values
 * (shared/reference/js-libs.md §5).
 */
import { Bool, Utf8, makeData, makeVector, type Vector } from 'apache-arrow';
import { Prng } from '../compute/demo/surveys/prng';

/** Footprint of the photometric catalogs: RA 50..70°, Dec −40..−25° (≈254 deg², LSST-like). */
export const FOOTPRINT = { raMin: 50, raMax: 70, decMin: -40, decMax: -25 } as const;
/** Rows generated per chunk; every chunk has its own seed, so catalogs of any size share prefixes. */
export const CHUNK_ROWS = 100_000;
export const BANDS = ['u', 'g', 'r', 'i', 'z', 'y'] as const;
/** Coadd 5σ point-source depths (DP0.2-like, compute/demo/surveys/lsst.ts). */
const DEPTH = [25.6, 26.8, 26.9, 26.3, 25.6, 24.8];
/** R_b (RAIL CCM) used to redden the intrinsic magnitudes. */
const R_LSST = [4.81, 3.64, 2.7, 2.06, 1.58, 1.31];
/** AB zero point of nJy fluxes: m = 31.4 − 2.5·log10(f/nJy). */
const ZP_NJY = 31.4;

/** A seeded stream for (seed, chunk, purpose): positions and values of a chunk are independent. */
export function chunkRng(seed: number, chunk: number, purpose: number): Prng {
  return new Prng(
    (Math.imul(seed, 2654435761) ^ Math.imul(chunk + 1, 40503) ^ (purpose << 28)) >>> 0,
  );
}

/** Uniform position in the footprint (uniform in RA and in sin(Dec), so uniform on the sphere). */
export function uniformInFootprint(rng: Prng): [number, number] {
  const d = Math.PI / 180;
  const s0 = Math.sin(FOOTPRINT.decMin * d);
  const s1 = Math.sin(FOOTPRINT.decMax * d);
  const ra = rng.uniform(FOOTPRINT.raMin, FOOTPRINT.raMax);
  return [ra, Math.asin(rng.uniform(s0, s1)) / d];
}

/**
 * Positions of one chunk: 75% uniform in the footprint, 25% in Gaussian clumps (σ = 1′, 50
 * clumps per chunk), like galaxy clusters, so partitions have uneven sizes.
 */
export function chunkPositions(
  seed: number,
  chunk: number,
  rows: number,
): [Float64Array, Float64Array] {
  const rng = chunkRng(seed, chunk, 1);
  const ra = new Float64Array(rows);
  const dec = new Float64Array(rows);
  const clumps = Array.from({ length: 50 }, () => uniformInFootprint(rng));
  for (let i = 0; i < rows; i++) {
    if (rng.next() < 0.25) {
      const [cra, cdec] = clumps[rng.int(clumps.length)];
      const sigmaDeg = 1 / 60;
      dec[i] = Math.max(-89.9, Math.min(89.9, cdec + sigmaDeg * rng.normal()));
      ra[i] = (cra + (sigmaDeg * rng.normal()) / Math.cos((cdec * Math.PI) / 180) + 360) % 360;
    } else {
      [ra[i], dec[i]] = uniformInFootprint(rng);
    }
  }
  return [ra, dec];
}

/** A Bool vector from 0/1 bytes. */
export function boolVector(values: Uint8Array): Vector {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i]) bitmap[i >> 3] |= 1 << (i & 7);
  return makeVector(makeData({ type: new Bool(), length: values.length, data: bitmap }));
}

/** A Utf8 vector of ASCII strings, built from offsets and bytes. */
export function utf8Vector(values: string[]): Vector {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i].length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    for (let k = 0; k < s.length; k++) bytes[offsets[i] + k] = s.charCodeAt(k);
  }
  return makeVector(
    makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data: bytes }),
  );
}

/** Smooth stand-in for SFD E(B−V) over the footprint (0.005..0.045 mag). */
export function ebvAt(raDeg: number, decDeg: number): number {
  return 0.025 + 0.02 * Math.sin(raDeg * 0.7) * Math.cos(decDeg * 0.9);
}

/**
 * Fluxes (nJy) of one band for a chunk: 3% NaN (no data or failed fit), flagged, plus 3% random
 * flags; σ from the 5σ depth, `scale` for the PSF aperture loss. No Arrow nulls: the HATS
 * writer (compute/io `writeHatsCatalog`) fails when a column has nulls in some routed pieces and
 * none in others (`gatherTable` re-derives `Field.nullable` from the data, and
 * `ArrowSpillFile.readAll` then refuses the mixed schemas).
 */
export function bandFluxes(
  rng: Prng,
  trueMag: Float64Array,
  band: number,
  scale: number,
): { flux: Float32Array; err: Float32Array; flag: Uint8Array } {
  const n = trueMag.length;
  const flux = new Float32Array(n);
  const err = new Float32Array(n);
  const flag = new Uint8Array(n);
  const sigma = 10 ** ((ZP_NJY - DEPTH[band]) / 2.5) / 5;
  for (let i = 0; i < n; i++) {
    const roll = rng.next();
    if (roll < 0.03) {
      flux[i] = Number.NaN;
      err[i] = Number.NaN;
      flag[i] = 1;
      continue;
    }
    flux[i] = scale * 10 ** ((ZP_NJY - trueMag[i]) / 2.5) + sigma * rng.normal();
    err[i] = sigma * (1 + 0.05 * rng.normal());
    flag[i] = roll > 0.97 ? 1 : 0;
  }
  return { flux, err, flag };
}

/** Intrinsic ugrizy magnitudes (i uniform in 18..25, galaxy-like colours), reddened by E(B−V). */
export function trueMagnitudes(rng: Prng, ebv: Float32Array): Float64Array[] {
  const n = ebv.length;
  const mags = BANDS.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const iMag = rng.uniform(18, 25);
    const r = iMag + 0.35 + 0.2 * rng.normal();
    const g = r + 0.6 + 0.3 * rng.normal();
    const u = g + 1.0 + 0.4 * rng.normal();
    const z = iMag - 0.2 - 0.15 * rng.normal();
    const y = z - 0.1 - 0.1 * rng.normal();
    const m = [u, g, r, iMag, z, y];
    for (let b = 0; b < 6; b++) mags[b][i] = m[b] + R_LSST[b] * ebv[i];
  }
  return mags;
}
