/**
 * The per-batch photometry step the pipeline calls: flux → magnitude, E(B−V) from a dust map,
 * dereddening, new columns appended to the Arrow table.
 *
 * Output columns (band lower-case, flux type id lower-case, e.g. `mag_cmodel_g`):
 * - `mag_<ft>_<b>`, `magerr_<ft>_<b>`: magnitudes (computed from fluxes, or the catalog's own).
 * - `mag_dered_<ft>_<b>`: m − R_b·E(B−V) (or the survey's `*_DERED` column, never dereddened twice);
 *   the error is `magerr_<ft>_<b>` (dereddening does not change it).
 * - `flux_dered_<ft>_<b>`, `fluxerr_dered_<ft>_<b>`: with toMagnitudes off, f·10^(0.4·R_b·E(B−V)).
 * - `ebv`: the E(B−V) used (map value × ebvScale); replaces an input column of that name.
 */
import { Field, Float64, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import { UserError } from '../errors';
import { gatherTable } from '../io/arrow-columns';
import { columnAsFloat64, equalsMask, float64Vector } from './arrow-values';
import type { DustMap } from './dust-map';
import {
  cleanMagnitudes,
  dereddenFlux,
  dereddenMag,
  fluxToMag,
  type NondetectValue,
} from './magnitudes';
import { findFluxType, type BandColumns, type FluxType, type SurveyProfile } from './profiles';

export { findFluxType } from './profiles';
export { photometryRecord, type PhotometryRecord } from './photometry-record';

export interface PhotometryOptions {
  /** Flux type id (`profile.fluxTypes[k].id`); default the profile's first. */
  fluxType?: string;
  /** Convert fluxes to magnitudes (default true). */
  toMagnitudes?: boolean;
  /** Map for dereddening; null = no dereddening by us. */
  dustMap?: DustMap | null;
  /** Multiplier on map E(B−V): 1 (default, raw SFD) or 0.86 (Schlafly & Finkbeiner 2011). */
  ebvScale?: number;
  /** Non-detections as NaN (default) or 99. */
  nondetect?: NondetectValue;
  /**
   * Position columns for the E(B−V) look-up when they differ from the profile's (e.g. after a
   * crossmatch renamed them); default `profile.raColumn` / `profile.decColumn`.
   */
  raColumn?: string;
  decColumn?: string;
  /**
   * A column that is null on rows without a photometric object (a left join's unmatched spec-z
   * rows: the crossmatch's distance column). The added columns are null on those rows, as the
   * object's own columns are, instead of NaN, which means a non-detection.
   */
  presenceColumn?: string;
}

export interface PhotometryResult {
  table: Table;
  /** Non-detections per band (f ≤ 0, NaN, null, or a catalog sentinel |m| ≥ 90). */
  nondetectCounts: Record<string, number>;
  addedColumns: string[];
  /** 'map' = dereddened here; 'survey' = the catalog's own dereddened columns; 'none'. */
  dereddening: 'map' | 'survey' | 'none';
}

/** The `ebv` field's metadata key naming the map: the column is the E(B−V) this step used. */
export const DUST_MAP_METADATA = 'tsm.dust_map';

/** Output column names for one flux type and band (documented above). */
export function photometryColumnNames(fluxTypeId: string, band: string) {
  const s = `${fluxTypeId}_${band}`;
  return {
    mag: `mag_${s}`,
    magErr: `magerr_${s}`,
    magDered: `mag_dered_${s}`,
    fluxDered: `flux_dered_${s}`,
    fluxErrDered: `fluxerr_dered_${s}`,
  };
}

function usesFlux(b: BandColumns, toMagnitudes: boolean): boolean {
  return Boolean(b.flux) && (toMagnitudes || !(b.mag || b.magDered));
}

/**
 * Whether a dust map is used for this flux type: false when every band takes the survey's own
 * dereddened magnitudes (a DES catalog with only `MAG_AUTO_*_DERED`), which are never
 * dereddened twice.
 */
export function fluxTypeNeedsMap(ft: FluxType, toMagnitudes: boolean): boolean {
  return ft.bands.some((b) => usesFlux(b, toMagnitudes) || !b.magDered);
}

function coefficient(profile: SurveyProfile, band: string): number {
  const r = profile.extinction.coefficients[band];
  if (r === undefined) {
    throw new UserError(
      `${profile.label}: no extinction coefficient R_${band} for band '${band}'; give one in the profile (extinction.${band}) or choose no dust map.`,
    );
  }
  return r;
}

/** Rows passing the profile's quality filter (DP0.2 `detect_isPrimary == true`). */
export function applyQualityFilter(table: Table, profile: SurveyProfile): Table {
  if (!profile.qualityFilter) return table;
  const { column, equals } = profile.qualityFilter;
  const mask = equalsMask(table, column, equals, profile.label);
  const keep: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) keep.push(i);
  return keep.length === table.numRows ? table : gatherTable(table, keep);
}

/**
 * Adds magnitude / dereddened / `ebv` columns to one batch. Pure apart from the map reads; the
 * input table is not modified.
 */
export async function applyPhotometry(
  table: Table,
  profile: SurveyProfile,
  options: PhotometryOptions = {},
): Promise<PhotometryResult> {
  const ft = findFluxType(profile, options.fluxType);
  const toMagnitudes = options.toMagnitudes ?? true;
  const nondetect = options.nondetect ?? 'nan';
  const ebvScale = options.ebvScale ?? 1;
  const n = table.numRows;
  const where = profile.label;
  const needsMap = fluxTypeNeedsMap(ft, toMagnitudes);
  let ebv: Float64Array | null = null;
  if (options.dustMap && needsMap) {
    const ra = columnAsFloat64(table, options.raColumn ?? profile.raColumn, where);
    const dec = columnAsFloat64(table, options.decColumn ?? profile.decColumn, where);
    ebv = await options.dustMap.ebv(ra, dec);
    if (ebvScale !== 1) for (let i = 0; i < n; i++) ebv[i] *= ebvScale;
  }
  const added = new Map<string, Float64Array>();
  const counts: Record<string, number> = {};
  let surveyDered = false;
  for (const b of ft.bands) {
    const names = photometryColumnNames(ft.id, b.band);
    if (usesFlux(b, toMagnitudes)) {
      const flux = columnAsFloat64(table, b.flux!, where);
      const fluxErr = b.fluxErr ? columnAsFloat64(table, b.fluxErr, where) : null;
      if (toMagnitudes) {
        const mag = new Float64Array(n);
        const magErr = fluxErr ? new Float64Array(n) : null;
        counts[b.band] = fluxToMag(flux, fluxErr, profile.zeroPointMag, nondetect, mag, magErr);
        added.set(names.mag, mag);
        if (magErr) added.set(names.magErr, magErr);
        if (ebv) {
          const dered = new Float64Array(n);
          dereddenMag(mag, ebv, coefficient(profile, b.band), dered);
          added.set(names.magDered, dered);
        } else if (b.magDered) {
          // No map chosen: carry the survey's own dereddened magnitudes (DES *_DERED).
          surveyDered = true;
          const dered = new Float64Array(n);
          cleanMagnitudes(columnAsFloat64(table, b.magDered, where), null, nondetect, dered, null);
          added.set(names.magDered, dered);
        }
      } else {
        let c = 0;
        for (let i = 0; i < n; i++) if (!(flux[i] > 0) || flux[i] === Infinity) c++;
        counts[b.band] = c;
        if (ebv) {
          const r = coefficient(profile, b.band);
          const fd = new Float64Array(n);
          dereddenFlux(flux, ebv, r, fd);
          added.set(names.fluxDered, fd);
          if (fluxErr) {
            const ed = new Float64Array(n);
            dereddenFlux(fluxErr, ebv, r, ed);
            added.set(names.fluxErrDered, ed);
          }
        }
      }
      continue;
    }
    // Catalog magnitudes (DES MAG_*): copy with sentinels mapped; never deredden *_DERED again.
    const errIn = b.magErr ? columnAsFloat64(table, b.magErr, where) : null;
    let mag: Float64Array | null = null;
    if (b.mag) {
      mag = new Float64Array(n);
      const magErr = errIn ? new Float64Array(n) : null;
      counts[b.band] = cleanMagnitudes(
        columnAsFloat64(table, b.mag, where),
        errIn,
        nondetect,
        mag,
        magErr,
      );
      added.set(names.mag, mag);
      if (magErr) added.set(names.magErr, magErr);
    }
    if (b.magDered) {
      surveyDered = true;
      const dered = new Float64Array(n);
      const magErr = !b.mag && errIn ? new Float64Array(n) : null;
      const c = cleanMagnitudes(
        columnAsFloat64(table, b.magDered, where),
        errIn,
        nondetect,
        dered,
        magErr,
      );
      if (!b.mag) counts[b.band] = c;
      added.set(names.magDered, dered);
      if (magErr) added.set(names.magErr, magErr);
    } else if (mag && ebv) {
      const dered = new Float64Array(n);
      dereddenMag(mag, ebv, coefficient(profile, b.band), dered);
      added.set(names.magDered, dered);
    }
  }
  if (ebv) added.set('ebv', ebv);
  const metadata = new Map<string, Map<string, string>>();
  if (ebv && options.dustMap) {
    const info = options.dustMap.info;
    metadata.set(
      'ebv',
      new Map([
        [DUST_MAP_METADATA, info.name],
        ['tsm.dust_map_resolution', info.resolution],
        ['tsm.dust_map_interpolation', info.interpolation],
        ['tsm.ebv_scale', String(ebvScale)],
        ['unit', 'mag'],
      ]),
    );
  }
  for (const b of ft.bands) {
    const name = photometryColumnNames(ft.id, b.band).magDered;
    const r = profile.extinction.coefficients[b.band];
    if (ebv && added.has(name) && r !== undefined) {
      metadata.set(
        name,
        new Map([
          ['tsm.r_band', String(r)],
          ['tsm.r_source', profile.extinction.source],
        ]),
      );
    }
  }
  const out =
    added.size === 0
      ? table
      : keepCatalogColumns(table, [...added.keys()]).assign(
          columnsTable(added, metadata, presence(table, options.presenceColumn, where)),
        );
  return {
    table: out,
    nondetectCounts: counts,
    addedColumns: [...added.keys()],
    dereddening: ebv ? 'map' : surveyDered ? 'survey' : 'none',
  };
}

/** Suffix of a catalog column whose name the photometry step writes (DP1's own `ebv`). */
export const CATALOG_SUFFIX = '_catalog';

/**
 * The table with its columns named like a column the step adds renamed `<name>_catalog`, in
 * place: the catalog's values are kept beside the step's (DP1's `ebv` was replaced and lost).
 */
function keepCatalogColumns(table: Table, addedNames: string[]): Table {
  const clash = new Set(addedNames.filter((n) => table.schema.fields.some((f) => f.name === n)));
  if (clash.size === 0) return table;
  // a name already taken (a training set's own ebv_catalog beside its ebv) gets the suffix again:
  // two fields of one name lost one of them, or failed a worker's table transfer
  const taken = new Set([...table.schema.fields.map((f) => f.name), ...addedNames]);
  const rename = (f: Field) => {
    if (!clash.has(f.name)) return f;
    let name = `${f.name}${CATALOG_SUFFIX}`;
    while (taken.has(name)) name += CATALOG_SUFFIX;
    taken.add(name);
    return new Field(name, f.type, f.nullable, f.metadata);
  };
  const schema = new Schema(table.schema.fields.map(rename), table.schema.metadata);
  const type = new Struct(schema.fields);
  return new Table(
    table.batches.map(
      (b) =>
        new RecordBatch(
          schema,
          makeData({ type, length: b.numRows, nullCount: 0, children: b.data.children }),
        ),
    ),
  );
}

/** The validity bitmap of `name` and its null count; null when it has no nulls (or no name). */
function presence(
  table: Table,
  name: string | undefined,
  where: string,
): { bitmap: Uint8Array; nullCount: number } | null {
  if (name === undefined) return null;
  const vec = table.getChild(name);
  if (!vec) throw new Error(`${where}: presence column '${name}' is not in the table`);
  if (vec.nullCount === 0) return null;
  const bitmap = new Uint8Array((vec.length + 7) >> 3);
  let at = 0;
  for (const data of vec.data) {
    const bits = data.nullCount > 0 ? data.nullBitmap : null;
    for (let i = 0; i < data.length; i++, at++) {
      const b = data.offset + i;
      if (!bits || (bits[b >> 3] & (1 << (b & 7))) !== 0) bitmap[at >> 3] |= 1 << (at & 7);
    }
  }
  return { bitmap, nullCount: vec.nullCount };
}

/**
 * A table of float64 columns, with per-field metadata (map, scale, R_b) where given, null where
 * `valid` says so.
 */
function columnsTable(
  columns: Map<string, Float64Array>,
  metadata: Map<string, Map<string, string>>,
  valid: { bitmap: Uint8Array; nullCount: number } | null,
): Table {
  const fields = [...columns.keys()].map(
    (name) => new Field(name, new Float64(), valid !== null, metadata.get(name)),
  );
  const n = columns.values().next().value?.length ?? 0;
  // a null row keeps its NaN underneath, so a reader of the values alone still sees no number
  const children = [...columns.values()].map((v) =>
    valid
      ? makeData({
          type: new Float64(),
          length: v.length,
          data: v,
          nullBitmap: valid.bitmap,
          nullCount: valid.nullCount,
        })
      : float64Vector(v).data[0],
  );
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: n, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}
