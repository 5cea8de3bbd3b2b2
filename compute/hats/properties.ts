import { z } from 'zod';
import type { ByteStore } from './byte-source';
import { HatsError, joinLocation } from './errors';
import { parseJavaProperties } from './java-properties';

/** `dataproduct_type` values (`hats:src/hats/catalog/catalog_type.py`). */
export const CATALOG_TYPES = ['object', 'source', 'association', 'index', 'margin', 'map'] as const;
export type CatalogType = (typeof CATALOG_TYPES)[number];

/**
 * Typed view of `hats.properties` (keys: `hats:src/hats/catalog/dataset/table_properties.py`).
 * Unknown keys stay in `raw`.
 */
export interface CatalogProperties {
  /** `obs_collection`. */
  name: string;
  /** `dataproduct_type`. */
  catalogType: CatalogType;
  /** `hats_nrows` (undefined when absent or `None`). */
  totalRows?: number;
  /** `hats_col_ra` / `hats_col_dec` (required for object, source and margin catalogs). */
  raColumn?: string;
  decColumn?: string;
  /** `hats_col_healpix`, default `_healpix_29`. */
  healpixColumn: string;
  /** `hats_col_healpix_order`, default 29. */
  healpixOrder: number;
  /** `hats_margin_threshold`, arcsec (margin catalogs). */
  marginThresholdArcsec?: number;
  /** `hats_primary_table_url` (margin, index, association catalogs). */
  primaryTableUrl?: string;
  /** `hats_npix_suffix`, default `.parquet`; `/` means each partition is a folder of files. */
  npixSuffix: string;
  /** `hats_cols_default` (split on spaces, commas, semicolons or newlines). */
  defaultColumns?: string[];
  /** `hats_skymap_order`. */
  skymapOrder?: number;
  /** `moc_sky_fraction` (0..1). */
  mocSkyFraction?: number;
  /** `hats_order`: highest partition order. */
  maxOrder?: number;
  /** `hats_version` (e.g. `v0.1`, `v1.0`). */
  hatsVersion?: string;
  /** Every key as written on disk. */
  raw: Record<string, string>;
}

/** Typed view of `collection.properties` (`hats:src/hats/catalog/dataset/collection_properties.py`). */
export interface CollectionProperties {
  name: string;
  /** Sub-folder of the main catalog. */
  primaryTableUrl: string;
  /** Margin sub-folders (`all_margins`). */
  allMargins: string[];
  defaultMargin?: string;
  /** `all_indexes`: indexed field -> index sub-folder. */
  allIndexes: Record<string, string>;
  defaultIndex?: string;
  raw: Record<string, string>;
}

const optionalText = z
  .string()
  .optional()
  .transform((s) =>
    s === undefined || s.trim() === '' || s.trim() === 'None' ? undefined : s.trim(),
  );

/** Highest HEALPix order of HATS (`_healpix_29`): orders and skymap orders are 0..29. */
const MAX_HATS_ORDER = 29;

/**
 * A number field; `range` also bounds it, with `what` saying what it must be ("a HEALPix order
 * from 0 to 29"): a negative row count or an order of 40 was taken as it was ("rows -5").
 */
function numberField(
  key: string,
  {
    int = false,
    range,
  }: { int?: boolean; range?: { min: number; max: number; what: string } } = {},
) {
  return optionalText.pipe(
    z
      .string()
      .optional()
      .superRefine((s, ctx) => {
        if (s === undefined) return;
        const n = Number(s);
        if (!Number.isFinite(n) || (int && !Number.isInteger(n))) {
          ctx.addIssue({
            code: 'custom',
            message: `${key} must be ${int ? 'an integer' : 'a number'} (it is ${s})`,
          });
        } else if (range && (n < range.min || n > range.max)) {
          ctx.addIssue({ code: 'custom', message: `${key}=${s} is not ${range.what}` });
        }
      })
      .transform((s) => (s === undefined ? undefined : Number(s))),
  );
}

const ORDER = { min: 0, max: MAX_HATS_ORDER, what: `a HEALPix order (0 to ${MAX_HATS_ORDER})` };

const catalogSchema = z.object({
  obs_collection: optionalText.pipe(
    z.string({ error: 'obs_collection (the catalog name) is missing' }),
  ),
  dataproduct_type: optionalText.pipe(
    z.enum(CATALOG_TYPES, {
      error: `dataproduct_type is missing or not one of ${CATALOG_TYPES.join(', ')}`,
    }),
  ),
  hats_nrows: numberField('hats_nrows', {
    int: true,
    range: {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      what: `a count of rows (a whole number from 0 to ${Number.MAX_SAFE_INTEGER})`,
    },
  }),
  hats_col_ra: optionalText,
  hats_col_dec: optionalText,
  hats_col_healpix: optionalText,
  hats_col_healpix_order: numberField('hats_col_healpix_order', { int: true, range: ORDER }),
  hats_margin_threshold: numberField('hats_margin_threshold'),
  hats_primary_table_url: optionalText,
  hats_npix_suffix: optionalText,
  hats_cols_default: optionalText,
  hats_skymap_order: numberField('hats_skymap_order', { int: true, range: ORDER }),
  moc_sky_fraction: numberField('moc_sky_fraction'),
  hats_order: numberField('hats_order', { int: true, range: ORDER }),
  hats_version: optionalText,
});

/** Splits a HATS list value (spaces; `;`, `,` and newlines also accepted). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,;]+/).filter((s) => s !== '');
}

function zodProblems(err: z.ZodError): string {
  return err.issues.map((i) => i.message).join('; ');
}

/** Parses the text of a catalog properties file; `file` names it in errors. */
export function parseCatalogProperties(text: string, file: string): CatalogProperties {
  const raw = parseJavaProperties(text);
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HatsError(
      `${file}: ${zodProblems(parsed.error)}. Fix the file or regenerate the catalog with hats-import.`,
    );
  }
  const p = parsed.data;
  const needsRaDec = ['object', 'source', 'margin'].includes(p.dataproduct_type);
  if (needsRaDec && (!p.hats_col_ra || !p.hats_col_dec)) {
    throw new HatsError(
      `${file}: hats_col_ra and hats_col_dec are required for a ${p.dataproduct_type} catalog. ` +
        'Add them (e.g. hats_col_ra=ra) to the properties file.',
    );
  }
  const npixSuffix = p.hats_npix_suffix ?? '.parquet';
  if (npixSuffix !== '/' && !npixSuffix.startsWith('.')) {
    throw new HatsError(`${file}: hats_npix_suffix=${npixSuffix} must be '/' or start with '.'.`);
  }
  const defaultColumns = splitList(p.hats_cols_default);
  return {
    name: p.obs_collection,
    catalogType: p.dataproduct_type,
    totalRows: p.hats_nrows,
    raColumn: p.hats_col_ra,
    decColumn: p.hats_col_dec,
    healpixColumn: p.hats_col_healpix ?? '_healpix_29',
    healpixOrder: p.hats_col_healpix_order ?? 29,
    marginThresholdArcsec: p.hats_margin_threshold,
    primaryTableUrl: p.hats_primary_table_url,
    npixSuffix,
    defaultColumns: defaultColumns.length > 0 ? defaultColumns : undefined,
    skymapOrder: p.hats_skymap_order,
    mocSkyFraction: p.moc_sky_fraction,
    maxOrder: p.hats_order,
    hatsVersion: p.hats_version,
    raw,
  };
}

/** Parses the text of `collection.properties`; `file` names it in errors. */
export function parseCollectionProperties(text: string, file: string): CollectionProperties {
  const raw = parseJavaProperties(text);
  // Older writers used `name` instead of `obs_collection` (hats-tests info_only/collection).
  const name = (raw.obs_collection ?? raw.name ?? '').trim();
  const primary = (raw.hats_primary_table_url ?? '').trim();
  const problems: string[] = [];
  if (!name) problems.push('obs_collection (the collection name) is missing');
  if (!primary) problems.push('hats_primary_table_url (the main catalog folder) is missing');
  const allMargins = splitList(raw.all_margins);
  const defaultMargin = raw.default_margin?.trim() || undefined;
  if (defaultMargin && !allMargins.includes(defaultMargin)) {
    problems.push(`default_margin=${defaultMargin} is not listed in all_margins`);
  }
  const indexTokens = splitList(raw.all_indexes);
  if (indexTokens.length % 2 !== 0) problems.push('all_indexes must hold pairs "field folder"');
  if (problems.length > 0) {
    throw new HatsError(
      `${file}: ${problems.join('; ')}. Fix the file or regenerate the collection.`,
    );
  }
  const allIndexes: Record<string, string> = {};
  for (let i = 0; i + 1 < indexTokens.length; i += 2)
    allIndexes[indexTokens[i]] = indexTokens[i + 1];
  return {
    name,
    primaryTableUrl: primary,
    allMargins,
    defaultMargin,
    allIndexes,
    defaultIndex: raw.default_index?.trim() || undefined,
    raw,
  };
}

/** Which properties file a folder has: a catalog's (`hats.properties`, then legacy `properties`), or a collection's. */
export async function detectPropertiesFile(
  store: ByteStore,
): Promise<{ kind: 'catalog' | 'collection'; file: string } | undefined> {
  if (await store.exists('hats.properties')) return { kind: 'catalog', file: 'hats.properties' };
  if (await store.exists('properties')) return { kind: 'catalog', file: 'properties' };
  if (await store.exists('collection.properties'))
    return { kind: 'collection', file: 'collection.properties' };
  return undefined;
}

/** Reads and parses one properties file of a store, with errors naming the file. */
export async function readPropertiesText(store: ByteStore, file: string): Promise<string> {
  let text: string;
  try {
    text = await store.readText(file);
  } catch (err) {
    throw new HatsError(
      `${joinLocation(store.root, file)}: cannot read it (${(err as Error).message}). Check the path and permissions.`,
    );
  }
  // a server answering every path with a page (login, portal, error page with status 200): its
  // lines were read as properties ("obs_collection (the catalog name) is missing ...")
  if (/^\s*<(!doctype\s+html|html|head|body)\b/i.test(text.replace(/^\uFEFF/, ''))) {
    throw new HatsError(
      `${joinLocation(store.root, file)}: is an HTML page, not this file of a HATS catalog (a login, error or index page served in its place?). Check that the location is the catalog's folder and that the catalog is public.`,
    );
  }
  return text;
}
