import { DataType, RecordBatch, Schema, Table, type Field } from 'apache-arrow';
import type { ByteSource, ByteStore } from './byte-source';
import { HatsError, joinLocation } from './errors';
import { emptyTable, openParquet, readRowGroup, type ParquetFile } from './parquet-file';
import { checkLeafFields } from './leaf-schema';
import { arrowSchemaFromParquet } from './parquet-schema';
import { leafPath, listPartitions, parsePartitionInfo, pixelKey } from './partition-info';
import { parseCatalogProperties, readPropertiesText, type CatalogProperties } from './properties';
import type { Pixel, PixelCatalog, ReadOptions } from './types';

/** Leaf footers kept per catalog. */
const FOOTER_CACHE_SIZE = 32;

/** Where the catalog's column list came from. */
export type SchemaSource = 'dataset/_common_metadata' | 'dataset/_metadata' | 'leaf file' | 'none';

/**
 * One HATS catalog (object, source, margin, map or association): its properties, partitions and
 * Arrow schema, read through a ByteStore. Layout: `hats:docs/guide/directory_scheme.rst`.
 */
export class HatsCatalog implements PixelCatalog {
  readonly kind = 'catalog' as const;
  private readonly pixelSet: Set<string>;
  /** Parsed footers of recently read leaf files (a partition is often read more than once). */
  private readonly footers = new Map<string, Promise<ParquetFile>>();

  private constructor(
    readonly store: ByteStore,
    readonly properties: CatalogProperties,
    /** `hats.properties` or the legacy `properties`. */
    readonly propertiesFile: string,
    readonly partitions: Pixel[],
    /** `partition_info.csv`, or `dataset/ listing` when that file is absent. */
    readonly partitionSource: 'partition_info.csv' | 'dataset/ listing',
    readonly schema: Schema,
    readonly schemaSource: SchemaSource,
    /** Top-level columns that exist but cannot be converted to Arrow (name -> reason). */
    readonly unsupportedColumns: Map<string, string>,
    /** Top-level columns whose values their Arrow type rounds (name -> how; parquet-schema.ts). */
    readonly lossyColumns: Map<string, string> = new Map(),
    /** Top-level whole-number DECIMAL columns, read exactly (name -> how; parquet-schema.ts). */
    readonly exactColumns: Map<string, string> = new Map(),
  ) {
    this.pixelSet = new Set(partitions.map(pixelKey));
  }

  /** Opens the catalog at the root of `store`, given which properties file it has. */
  static async open(store: ByteStore, propertiesFile: string): Promise<HatsCatalog> {
    const propsText = await readPropertiesText(store, propertiesFile);
    const properties = parseCatalogProperties(propsText, joinLocation(store.root, propertiesFile));
    if (properties.catalogType === 'index') {
      throw new HatsError(
        `${store.root} is an index catalog (dataproduct_type=index), which is not partitioned by HEALPix: ` +
          `open the catalog it indexes instead (hats_primary_table_url=${properties.primaryTableUrl ?? '?'}).`,
      );
    }
    if (
      properties.catalogType === 'association' &&
      /^false$/i.test(properties.raw.hats_assn_leaf_files ?? '')
    ) {
      throw new HatsError(
        `${store.root} is an association catalog without leaf files (hats_assn_leaf_files=False): it ` +
          `only records how ${properties.primaryTableUrl ?? '?'} and ` +
          `${properties.raw.hats_assn_join_table_url ?? '?'} are linked and has no rows to read; ` +
          'open one of those catalogs instead.',
      );
    }
    let partitions: Pixel[];
    let partitionSource: 'partition_info.csv' | 'dataset/ listing';
    if (await store.exists('partition_info.csv')) {
      const file = joinLocation(store.root, 'partition_info.csv');
      partitions = parsePartitionInfo(await readPropertiesText(store, 'partition_info.csv'), file);
      partitionSource = 'partition_info.csv';
    } else {
      partitions = await listPartitions(store, properties.npixSuffix);
      partitionSource = 'dataset/ listing';
    }
    // no partition but rows counted: a run read nothing and warned only that nothing matched
    const rows = properties.totalRows ?? 0;
    if (partitions.length === 0 && rows > 0) {
      const where =
        partitionSource === 'partition_info.csv'
          ? `${joinLocation(store.root, 'partition_info.csv')} lists no partition`
          : `${joinLocation(store.root, 'dataset/')} holds no Norder=K/Dir=D/Npix=N${properties.npixSuffix} leaf`;
      throw new HatsError(
        `${where}, but ${propertiesFile} counts ${rows} rows (hats_nrows): the catalog is incomplete. ` +
          'Re-download it or regenerate it with hats-import.',
      );
    }
    const firstLeaf = async (): Promise<ByteSource | undefined> =>
      partitions.length === 0
        ? undefined
        : (await leafSources(store, properties.npixSuffix, partitions[0], partitionSource))[0];
    const { schema, source, unsupported, lossy, exact } = await readCatalogSchema(store, firstLeaf);
    checkNamedColumns(store, propertiesFile, properties, schema, source);
    return new HatsCatalog(
      store,
      properties,
      propertiesFile,
      partitions,
      partitionSource,
      schema,
      source,
      unsupported,
      lossy,
      exact,
    );
  }

  get name(): string {
    return this.properties.name;
  }
  get location(): string {
    return this.store.root;
  }
  get raColumn(): string {
    return this.properties.raColumn ?? '';
  }
  get decColumn(): string {
    return this.properties.decColumn ?? '';
  }
  get healpixColumn(): string {
    return this.properties.healpixColumn;
  }
  get healpixOrder(): number {
    return this.properties.healpixOrder;
  }
  get marginThresholdArcsec(): number | undefined {
    return this.properties.marginThresholdArcsec;
  }
  /** `hats_nrows` from the properties (undefined when not recorded). */
  get totalRows(): number | undefined {
    return this.properties.totalRows;
  }
  get columnNames(): string[] {
    return this.schema.fields.map((f) => f.name);
  }

  hasPartition(pixel: Pixel): boolean {
    return this.pixelSet.has(pixelKey(pixel));
  }

  /** Path or URL of the partition's leaf file (a folder when `hats_npix_suffix=/`). */
  partitionPath(pixel: Pixel): string {
    return joinLocation(this.store.root, leafPath(pixel, this.properties.npixSuffix));
  }

  /** The requested fields of the schema (all when `columns` is undefined), checked by name. */
  resolveColumns(columns?: string[]): Field[] {
    if (columns === undefined) return this.schema.fields;
    const byName = new Map(this.schema.fields.map((f) => [f.name, f]));
    const fields: Field[] = [];
    const seen = new Set<string>();
    for (const name of columns) {
      if (seen.has(name)) continue;
      seen.add(name);
      const field = byName.get(name);
      if (field) {
        fields.push(field);
        continue;
      }
      const why = this.unsupportedColumns.get(name);
      if (why) {
        throw new HatsError(
          `${this.location}: column ${name} cannot be read (${why}). Choose other columns.`,
        );
      }
      throw new HatsError(
        `${this.location}: unknown column ${name}. Available columns: ${this.columnNames.join(', ')}.`,
      );
    }
    return fields;
  }

  /** The leaf parquet files of a partition (several when the partition is a folder). */
  leafFiles(pixel: Pixel): Promise<ByteSource[]> {
    return leafSources(this.store, this.properties.npixSuffix, pixel, this.partitionSource);
  }

  /** The rows of a partition, from its leaf files' footers (no row read); 0 for one it does not have. */
  async partitionRowCount(pixel: Pixel): Promise<number> {
    if (!this.hasPartition(pixel)) return 0;
    let rows = 0;
    for (const source of await this.leafFiles(pixel)) {
      rows += (await this.openLeaf(source, pixel)).rowGroupStarts.at(-1)!;
    }
    return rows;
  }

  /**
   * Streams a partition row group by row group (each yielded table has the requested columns, in
   * the requested order). A pixel the catalog does not have yields nothing.
   */
  async *streamPartition(pixel: Pixel, options: ReadOptions = {}): AsyncIterable<Table> {
    const fields = this.resolveColumns(options.columns);
    if (!this.hasPartition(pixel)) return;
    const { rows } = options;
    if (rows) checkAscending(rows, this.partitionPath(pixel));
    let offset = 0; // partition row number of the row group's first row
    let next = 0; // first entry of `rows` not read yet
    for (const source of await this.leafFiles(pixel)) {
      options.signal?.throwIfAborted();
      const file = await this.openLeaf(source, pixel);
      checkLeafFields(file, fields);
      for (let rg = 0; rg < file.metadata.row_groups.length; rg++) {
        options.signal?.throwIfAborted();
        const end = offset + file.rowGroupStarts[rg + 1] - file.rowGroupStarts[rg];
        if (!rows) yield await readRowGroup(file, rg, fields);
        else {
          const from = next;
          while (next < rows.length && rows[next] < end) next++;
          if (next > from) {
            const local = rows.subarray(from, next).map((r) => r - offset);
            yield await readRowGroup(file, rg, fields, local);
          }
        }
        offset = end;
      }
    }
    if (rows && next < rows.length) {
      throw new Error(
        `${this.partitionPath(pixel)}: row ${rows[next]} asked of a partition of ${offset} rows`,
      );
    }
  }

  private openLeaf(source: ByteSource, pixel: Pixel): Promise<ParquetFile> {
    const cached = this.footers.get(source.name);
    if (cached) {
      // Move to the most recent end of the LRU order.
      this.footers.delete(source.name);
      this.footers.set(source.name, cached);
      return cached;
    }
    const opening = openParquet(
      source,
      `leaf file of partition (${pixel.order},${pixel.pixel})`,
      incompleteHint(this.store),
    );
    this.footers.set(source.name, opening);
    opening.catch(() => this.footers.delete(source.name));
    if (this.footers.size > FOOTER_CACHE_SIZE)
      this.footers.delete(this.footers.keys().next().value!);
    return opening;
  }

  /** All rows of a partition; an empty table with the requested columns for a pixel it does not have. */
  async readPartition(pixel: Pixel, options: ReadOptions = {}): Promise<Table> {
    const fields = this.resolveColumns(options.columns);
    const batches: RecordBatch[] = [];
    for await (const table of this.streamPartition(pixel, options)) batches.push(...table.batches);
    if (batches.length === 0) return emptyTable(fields);
    return new Table(batches[0].schema, batches);
  }
}

/**
 * `what`, and what to do about it: a copy of one's own can be fetched or built again; a server's
 * is for its provider to mend.
 */
function incompleteHint(store: ByteStore, what = 'The catalog is incomplete'): string {
  return /^https?:\/\//i.test(store.root)
    ? `${what} on that server, or the URL is not the catalog's: check the URL, or tell the catalog's provider.`
    : `${what}: re-download it or regenerate it with hats-import.`;
}

function checkAscending(rows: Uint32Array, where: string): void {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i] <= rows[i - 1]) throw new Error(`${where}: rows to read must be ascending`);
  }
}

/**
 * The leaf files of a partition: `Npix=N<suffix>`, or every file of the `Npix=N/` folder (names
 * starting with `.` or `_` skipped, as pyarrow datasets do) when the suffix is `/`.
 */
async function leafSources(
  store: ByteStore,
  npixSuffix: string,
  pixel: Pixel,
  listedIn: string,
): Promise<ByteSource[]> {
  const rel = leafPath(pixel, npixSuffix);
  if (npixSuffix !== '/') return [store.open(rel)];
  const folder = rel.slice(0, -1);
  const missing = (why: string) =>
    new HatsError(
      `${joinLocation(store.root, rel)}: partition (${pixel.order},${pixel.pixel}) is listed in ${listedIn} ` +
        `but its leaf data cannot be read (${why}). ` +
        incompleteHint(store, 'The catalog is incomplete or uses a custom layout'),
    );
  let names: string[];
  try {
    names = await store.list(folder);
  } catch (err) {
    throw missing((err as Error).message);
  }
  const files = names.filter((n) => !n.endsWith('/') && !n.startsWith('.') && !n.startsWith('_'));
  if (files.length === 0) throw missing('the folder has no parquet file');
  return files.map((n) => store.open(`${folder}/${n}`));
}

/** The columns the properties name (ra, dec, spatial index) must exist in the schema. */
function checkNamedColumns(
  store: ByteStore,
  propertiesFile: string,
  properties: CatalogProperties,
  schema: Schema,
  schemaSource: SchemaSource,
): void {
  if (!['object', 'source', 'margin'].includes(properties.catalogType)) return;
  const names = new Set(schema.fields.map((f) => f.name));
  const named: [string, string | undefined][] = [
    ['hats_col_ra', properties.raColumn],
    ['hats_col_dec', properties.decColumn],
    ['hats_col_healpix', properties.healpixColumn],
  ];
  const missing = named.filter(([, col]) => col !== undefined && !names.has(col));
  if (missing.length > 0) {
    throw new HatsError(
      `${joinLocation(store.root, propertiesFile)}: ${missing.map(([k, c]) => `${k}=${c}`).join(', ')} ` +
        `but ${schemaSource} has no such column (columns: ${[...names].join(', ')}). ` +
        'Fix the properties file or regenerate the catalog.',
    );
  }
  // text positions were read as numbers by the crossmatch and refused by the dust map
  for (const [key, col] of named.slice(0, 2)) {
    const field = schema.fields.find((f) => f.name === col);
    if (!field || DataType.isFloat(field.type) || DataType.isInt(field.type)) continue;
    throw new HatsError(
      `${joinLocation(store.root, propertiesFile)}: ${key}=${col} but that column holds ${String(field.type)} ` +
        `values in ${schemaSource}, not numbers: positions must be numbers in degrees. ` +
        'Regenerate the catalog with hats-import from a table whose ra and dec are numbers.',
    );
  }
}

/** A schema naming a column twice cannot be read by name (the crossmatch failed on it). */
function checkUniqueNames(schema: Schema, file: string): void {
  const seen = new Map<string, number>();
  schema.fields.forEach((f, i) => {
    const first = seen.get(f.name);
    if (first !== undefined) {
      throw new HatsError(
        `${file}: columns ${first + 1} and ${i + 1} are both named '${f.name}'. ` +
          'Column names must be unique: rename or drop one, or regenerate the catalog with hats-import.',
      );
    }
    seen.set(f.name, i);
  });
}

/** Schema from `dataset/_common_metadata`, else `dataset/_metadata`, else the first leaf file. */
export async function readCatalogSchema(
  store: ByteStore,
  firstLeaf: () => Promise<ByteSource | undefined>,
): Promise<{
  schema: Schema;
  source: SchemaSource;
  unsupported: Map<string, string>;
  lossy: Map<string, string>;
  exact: Map<string, string>;
}> {
  for (const rel of ['dataset/_common_metadata', 'dataset/_metadata'] as const) {
    if (await store.exists(rel)) {
      const source = store.open(rel);
      const file = await openParquet(source, 'schema file');
      const { schema, unsupported, lossy, exact } = arrowSchemaFromParquet(file.metadata);
      checkUniqueNames(schema, source.name);
      return { schema, source: rel, unsupported, lossy, exact };
    }
  }
  const first = await firstLeaf();
  if (first) {
    const file = await openParquet(
      first,
      'leaf file of the first partition (read for the schema: there is no dataset/_common_metadata or dataset/_metadata)',
      incompleteHint(store),
    );
    const { schema, unsupported, lossy, exact } = arrowSchemaFromParquet(file.metadata);
    checkUniqueNames(schema, first.name);
    return { schema, source: 'leaf file', unsupported, lossy, exact };
  }
  throw new HatsError(
    `${store.root}: no dataset/_common_metadata, dataset/_metadata or leaf file, so its columns are unknown. ` +
      'Re-download the catalog or regenerate it with hats-import.',
  );
}
