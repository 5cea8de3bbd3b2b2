import type { ByteStore } from './byte-source';
import type { HatsCatalog } from './catalog';
import type { HatsCollection } from './collection';
import { openHats } from './open';

/** One extra block of `tsm inspect` output (e.g. the detected survey profile). */
export interface InspectSection {
  /** Heading, also the key under `sections` in the JSON output. */
  title: string;
  /** Text lines, printed indented under the heading. */
  lines: string[];
  /** The same content as plain JSON data. */
  data?: unknown;
}

/** Adds a section for a catalog (return undefined to add nothing). */
export type InspectSectionProvider = (target: {
  catalog: HatsCatalog;
  collection?: HatsCollection;
}) => Promise<InspectSection | undefined> | InspectSection | undefined;

export interface ColumnInfo {
  name: string;
  /** Arrow type, e.g. `Int64`, `Float64`, `Utf8`. */
  type: string;
  nullable: boolean;
  /** What the values lose as `type` (a DECIMAL of more than 15 digits read as Float64). */
  lossy?: string;
  /** How a whole-number DECIMAL column is read exactly (as Int64, or as its decimal text). */
  exact?: string;
}

export interface MarginInfo {
  name: string;
  isDefault: boolean;
  thresholdArcsec?: number;
  rows?: number;
  partitions: number;
}

/** Everything `tsm inspect` shows, as plain data (JSON-safe). */
export interface HatsInspection {
  kind: 'catalog' | 'collection';
  location: string;
  /** Collection name, or the catalog name. */
  name: string;
  catalog: {
    name: string;
    location: string;
    catalogType: string;
    /** `hats_nrows` (undefined when the catalog does not record it). */
    rows?: number;
    propertiesFile: string;
    hatsVersion?: string;
    raColumn?: string;
    decColumn?: string;
    healpixColumn: string;
    healpixOrder: number;
    defaultColumns?: string[];
    marginThresholdArcsec?: number;
    columns: ColumnInfo[];
    /** Columns present but not readable (name -> reason). */
    unsupportedColumns: Record<string, string>;
    schemaSource: string;
    partitionSource: string;
    partitions: number;
    /** Order -> number of partitions. */
    partitionsPerOrder: Record<string, number>;
    skyFraction: number;
    skyFractionSource: 'moc_sky_fraction' | 'partitions';
  };
  margins: MarginInfo[];
  /** Collections: indexed field -> index folder. */
  indexes: Record<string, string>;
  sections: InspectSection[];
}

/** Sky fraction covered by partitions: sum of 1/(12*4^order) (a pixel's share of 12*4^order). */
export function partitionSkyFraction(catalog: HatsCatalog): number {
  return catalog.partitions.reduce((s, p) => s + 1 / (12 * 4 ** p.order), 0);
}

/**
 * Opens a catalog or collection and describes it (no data is read: properties, partition list,
 * schema). `sections` add extra blocks, such as the detected survey profile.
 */
export async function inspectHats(
  location: string | ByteStore,
  sections: InspectSectionProvider[] = [],
): Promise<HatsInspection> {
  const opened = await openHats(location);
  const collection = opened.kind === 'collection' ? opened : undefined;
  const catalog = collection ? collection.main : (opened as HatsCatalog);
  const p = catalog.properties;
  const perOrder: Record<string, number> = {};
  for (const px of catalog.partitions) perOrder[px.order] = (perOrder[px.order] ?? 0) + 1;
  const margins: MarginInfo[] = [];
  for (const name of collection?.marginNames ?? []) {
    const m = await collection!.openMargin(name);
    margins.push({
      name,
      isDefault: name === collection!.defaultMarginName,
      thresholdArcsec: m.marginThresholdArcsec,
      rows: m.totalRows,
      partitions: m.partitions.length,
    });
  }
  const extra: InspectSection[] = [];
  for (const provider of sections) {
    const section = await provider({ catalog, collection });
    if (section) extra.push(section);
  }
  return {
    kind: opened.kind,
    location: opened.location,
    name: opened.name,
    catalog: {
      name: catalog.name,
      location: catalog.location,
      catalogType: p.catalogType,
      rows: p.totalRows,
      propertiesFile: catalog.propertiesFile,
      hatsVersion: p.hatsVersion,
      raColumn: p.raColumn,
      decColumn: p.decColumn,
      healpixColumn: p.healpixColumn,
      healpixOrder: p.healpixOrder,
      defaultColumns: p.defaultColumns,
      marginThresholdArcsec: p.marginThresholdArcsec,
      columns: catalog.schema.fields.map((f) => {
        const lossy = catalog.lossyColumns.get(f.name);
        const exact = catalog.exactColumns.get(f.name);
        return {
          name: f.name,
          type: String(f.type),
          nullable: f.nullable,
          ...(lossy ? { lossy } : {}),
          ...(exact ? { exact } : {}),
        };
      }),
      unsupportedColumns: Object.fromEntries(catalog.unsupportedColumns),
      schemaSource: catalog.schemaSource,
      partitionSource: catalog.partitionSource,
      partitions: catalog.partitions.length,
      partitionsPerOrder: perOrder,
      skyFraction: p.mocSkyFraction ?? partitionSkyFraction(catalog),
      skyFractionSource: p.mocSkyFraction !== undefined ? 'moc_sky_fraction' : 'partitions',
    },
    margins,
    indexes: collection?.properties.allIndexes ?? {},
    sections: extra,
  };
}

/** The inspection as text lines for a terminal. */
export function formatInspection(i: HatsInspection): string[] {
  const c = i.catalog;
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(`${label.padEnd(14)}${value}`);
  row('kind', i.kind === 'collection' ? `collection ${i.name}` : `${c.catalogType} catalog`);
  row('location', i.location);
  if (i.kind === 'collection') row('main catalog', `${c.name} (${c.catalogType}) at ${c.location}`);
  else row('name', c.name);
  row(
    'rows',
    c.rows === undefined ? 'unknown (hats_nrows not recorded)' : c.rows.toLocaleString('en-US'),
  );
  const version = c.hatsVersion ? `, hats ${c.hatsVersion}` : '';
  row('properties', `${c.propertiesFile}${version}`);
  if (c.raColumn) row('position', `${c.raColumn}, ${c.decColumn} (deg)`);
  row('spatial index', `${c.healpixColumn} (order ${c.healpixOrder})`);
  if (c.marginThresholdArcsec !== undefined) row('margin', `${c.marginThresholdArcsec} arcsec`);
  const orders = Object.entries(c.partitionsPerOrder)
    .map(([o, n]) => `order ${o}: ${n}`)
    .join(', ');
  row('partitions', `${c.partitions}${orders ? ` (${orders})` : ''} from ${c.partitionSource}`);
  const sky =
    c.skyFractionSource === 'moc_sky_fraction' ? 'moc_sky_fraction' : 'from the partitions';
  row('sky fraction', `${formatFraction(c.skyFraction)} (${sky})`);
  row('columns', `${c.columns.length} (schema from ${c.schemaSource})`);
  const width = Math.max(0, ...c.columns.map((col) => col.name.length));
  for (const col of c.columns) {
    const isDefault = c.defaultColumns?.includes(col.name) ? '  [default]' : '';
    const note = col.lossy ?? col.exact;
    out.push(`  ${col.name.padEnd(width)}  ${col.type}${isDefault}${note ? `  (${note})` : ''}`);
  }
  for (const [name, why] of Object.entries(c.unsupportedColumns))
    out.push(`  ${name.padEnd(width)}  (not readable: ${why})`);
  if (i.kind === 'collection') {
    out.push(`margins       ${i.margins.length === 0 ? 'none' : i.margins.length}`);
    for (const m of i.margins) {
      const rows =
        m.rows === undefined
          ? 'rows unknown'
          : `${m.rows.toLocaleString('en-US')} row${m.rows === 1 ? '' : 's'}`;
      const threshold =
        m.thresholdArcsec === undefined ? 'threshold unknown' : `${m.thresholdArcsec} arcsec`;
      out.push(
        `  ${m.name}${m.isDefault ? ' (default)' : ''}: ${threshold}, ${rows}, ${m.partitions} partition${m.partitions === 1 ? '' : 's'}`,
      );
    }
    const idx = Object.entries(i.indexes);
    if (idx.length > 0)
      out.push(`indexes       ${idx.map(([field, dir]) => `${field} -> ${dir}`).join(', ')}`);
  }
  for (const s of i.sections) {
    out.push(s.title);
    for (const line of s.lines) out.push(`  ${line}`);
  }
  return out;
}

function formatFraction(f: number): string {
  return `${Number(f.toPrecision(5))} (${Number((f * 41252.96).toPrecision(5))} deg2)`;
}
