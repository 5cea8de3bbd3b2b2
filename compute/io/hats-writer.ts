import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Schema, Table, Type, Utf8 } from 'apache-arrow';
import { CancelledError, UserError } from '../errors';
import { argsortBigInt, gatherTable, integersAsText } from './arrow-columns';
import { conformTable, nullableSchema } from './arrow-schema';
import { ArrowSpillFile } from './arrow-spill';
import { commitPartial, discardPartial, partialPath } from './atomic';
import { HEALPIX_COLUMN, healpixValues, withHealpixFirst } from './hats-batch';
import { writeMarginCatalog, type MarginOptions } from './hats-margin';
import {
  histogramAtOrder,
  partitionLookup,
  pixelsAtOrder,
  planPartitions,
  type PlannedPartition,
} from './hats-partition';
import {
  HATS_RELEASE_DATE,
  HATS_VERSION,
  hatsDate,
  leafRelPath,
  skyFraction,
  writeCatalogProperties,
  writeCollectionProperties,
  writePartitionInfo,
} from './hats-properties';
import { tableToParquetBytes } from './parquet-file';
import { withUnits } from './parquet-writer';
import { makeFolder, makeFolderInside } from './make-folder';

/** Input of {@link writeHatsCatalog}: one table, several, or a stream of batches. */
export type TableSource = Table | Iterable<Table> | AsyncIterable<Table>;

export interface HatsWriteOptions {
  /** The catalog's folder in a collection, and its `obs_collection` unless `title` is given. */
  name: string;
  /**
   * `obs_collection` (hats' `catalog_name`, what lsdb calls the catalog) of the catalog and the
   * collection; default `name`.
   */
  title?: string;
  raColumn?: string;
  decColumn?: string;
  /** Most rows per partition (lsdb `partition_rows`); default 1 000 000 like hats-import. */
  partitionRows?: number;
  lowestOrder?: number;
  /** Deepest partition order, 0..13 (default 7, like lsdb). */
  highestOrder?: number;
  /** Also write a margin catalog (then the output is a collection: catalog + margin). */
  margin?: MarginOptions;
  /** Write a collection (`collection.properties` + `<name>/`) even without a margin. */
  collection?: boolean;
  /**
   * Units per column, as each field's `unit` metadata in every Parquet file's Arrow schema (the
   * leaves, the margin's and `_common_metadata`), as the Parquet output carries them.
   */
  units?: Record<string, string>;
  /** Extra `hats.properties` keys (e.g. `hats_cols_default`). */
  properties?: Record<string, string>;
  /** Files (name -> text) to put in the catalog folder; called after the input is consumed. */
  extraFiles?: () => Record<string, string>;
  /** Leave the complete `<outDir>.partial` for the caller to rename (commitPartial). */
  deferCommit?: boolean;
  /**
   * The folder that holds `outDir` is there already (a run's output folder, made and checked
   * before the run): when it was removed meanwhile, the write fails (ENOENT) instead of making it
   * again.
   */
  inExistingFolder?: boolean;
  /**
   * A column of integers in the first batches that is text in a later one (a spec-z text file's
   * ids that turned text, SourceBatch.textFrom) is written as text, the integers as their text.
   */
  integersToText?: boolean;
  signal?: AbortSignal;
}

export interface HatsWriteResult {
  /** The folder written: the catalog, or the collection when a margin or collection was asked. */
  path: string;
  catalogDir: string;
  marginDir?: string;
  rows: number;
  marginRows?: number;
  partitions: PlannedPartition[];
}

function isTable(source: TableSource): source is Table {
  return typeof (source as Table).numRows === 'number' && 'schema' in (source as object);
}

async function* batchesOf(source: TableSource): AsyncGenerator<Table> {
  if (isTable(source)) yield source;
  else yield* source as AsyncIterable<Table>;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new CancelledError();
}

/** The spilled rows routed to one spill per partition: one counting sort + one gather per batch. */
async function routeToPartitions(
  spill: ArrowSpillFile,
  partitions: PlannedPartition[],
  highestOrder: number,
  tmp: string,
  prepare: ((t: Table) => Table) | undefined,
  signal: AbortSignal | undefined,
): Promise<ArrowSpillFile[]> {
  const lookup = partitionLookup(partitions, highestOrder);
  const parts = partitions.map((_, i) => new ArrowSpillFile(join(tmp, `part-${i}.arrows`)));
  for await (const batch of spill.tables(prepare)) {
    checkAbort(signal);
    const pixels = pixelsAtOrder(healpixValues(batch), highestOrder);
    const target = new Int32Array(pixels.length);
    const counts = new Int32Array(partitions.length + 1);
    for (let i = 0; i < pixels.length; i++) counts[(target[i] = lookup[pixels[i]]) + 1]++;
    for (let k = 1; k <= partitions.length; k++) counts[k] += counts[k - 1];
    const order = new Uint32Array(pixels.length);
    const next = counts.slice(0, partitions.length);
    for (let i = 0; i < pixels.length; i++) order[next[target[i]]++] = i;
    const routed = gatherTable(batch, order);
    for (let k = 0; k < partitions.length; k++) {
      if (counts[k + 1] > counts[k]) await parts[k].append(routed.slice(counts[k], counts[k + 1]));
    }
  }
  return parts;
}

/**
 * Writes a HATS catalog (hats-lsdb.md §1): leaves `dataset/Norder=K/Dir=D/Npix=N.parquet` sorted
 * by `_healpix_29` (first column, computed from ra/dec when absent), partitioned by row count like
 * lsdb `from_dataframe` (§3.8), `hats.properties` + `properties`, `partition_info.csv` and
 * `dataset/_common_metadata`; with `margin`, a collection holding the catalog and its margin
 * (§2.4). Input is streamed in three passes through temporary Arrow files, so memory holds one
 * batch or one partition at a time. Everything is written under `<outDir>.partial` and renamed at
 * the end; on error or cancel the partial folder is removed.
 */
export async function writeHatsCatalog(
  outDir: string,
  source: TableSource,
  options: HatsWriteOptions,
): Promise<HatsWriteResult> {
  const raColumn = options.raColumn ?? 'ra';
  const decColumn = options.decColumn ?? 'dec';
  const partitionRows = options.partitionRows ?? 1_000_000;
  const highestOrder = options.highestOrder ?? 7;
  if (!Number.isInteger(highestOrder) || highestOrder < 0 || highestOrder > 13) {
    throw new UserError(`highestOrder must be a whole number in [0, 13] (got ${highestOrder})`);
  }
  const asCollection = Boolean(options.margin || options.collection);
  const root = partialPath(outDir);
  const catalogName = options.name;
  const catalogDir = asCollection ? join(root, catalogName) : root;
  const tmp = join(root, '.tmp');
  await rm(root, { recursive: true, force: true });
  if (options.inExistingFolder) await makeFolderInside(dirname(root), tmp);
  else await makeFolder(tmp);
  try {
    // Pass 1: add _healpix_29, histogram, spill.
    const spill = new ArrowSpillFile(join(tmp, 'input.arrows'));
    let histogram: Float64Array | undefined;
    let schemaTable: Table | undefined;
    const textColumns = new Set<string>();
    for await (const batch of batchesOf(source)) {
      checkAbort(options.signal);
      let prepared = withHealpixFirst(batch, raColumn, decColumn, spill.rows);
      // every field nullable: a partition without nulls must not store `not null` columns
      if (!schemaTable) {
        schemaTable = new Table(withUnits(nullableSchema(prepared.schema), options.units));
      } else {
        if (options.integersToText) {
          schemaTable = integersTurnedText(schemaTable, prepared, textColumns);
          prepared = integersAsText(prepared, textColumns);
        }
        checkSameSchema(schemaTable, prepared);
      }
      histogram = histogramAtOrder(healpixValues(prepared), highestOrder, histogram);
      await spill.append(prepared);
    }
    if (!schemaTable) {
      throw new UserError(
        `${catalogName}: nothing to write (no batch, so no columns); give at least one table, even an empty one`,
      );
    }
    // 0 rows (an empty batch): a valid catalog with no partition, its schema in _common_metadata
    const partitions =
      spill.rows === 0
        ? []
        : planPartitions(histogram!, {
            partitionRows,
            lowestOrder: options.lowestOrder,
            highestOrder,
          });
    // Pass 2: route rows to one spill per partition. One partition (any output under
    // partitionRows) is the input spill as it is, unless integers that turned text must be
    // converted in its earlier batches.
    const asText = textColumns.size > 0 ? (t: Table) => integersAsText(t, textColumns) : undefined;
    const parts =
      partitions.length === 1 && !asText
        ? [spill]
        : await routeToPartitions(spill, partitions, highestOrder, tmp, asText, options.signal);
    // Pass 3: sort and write each leaf.
    for (let i = 0; i < partitions.length; i++) {
      checkAbort(options.signal);
      const table = (await parts[i].readAll())!;
      const sorted = conformTable(
        gatherTable(table, argsortBigInt(healpixValues(table))),
        schemaTable.schema,
      );
      const leaf = join(catalogDir, leafRelPath(partitions[i]));
      await makeFolderInside(root, dirname(leaf));
      await writeFile(leaf, tableToParquetBytes(sorted));
    }
    await makeFolderInside(root, join(catalogDir, 'dataset'));
    await writeFile(
      join(catalogDir, 'dataset', '_common_metadata'),
      tableToParquetBytes(schemaTable),
    );
    await writePartitionInfo(catalogDir, partitions);
    const maxOrder = Math.max(0, ...partitions.map((p) => p.order));
    const common = {
      hats_col_ra: raColumn,
      hats_col_dec: decColumn,
      hats_col_healpix: HEALPIX_COLUMN,
      hats_col_healpix_order: 29,
      hats_npix_suffix: '.parquet',
    };
    const provenance = {
      hats_builder: 'training-set-maker',
      hats_creation_date: hatsDate(),
      hats_release_date: HATS_RELEASE_DATE,
      hats_version: HATS_VERSION,
    };
    const title = options.title ?? catalogName;
    await writeCatalogProperties(catalogDir, {
      obs_collection: title,
      dataproduct_type: 'object',
      hats_nrows: spill.rows,
      ...common,
      hats_max_rows: partitionRows,
      hats_order: maxOrder,
      moc_sky_fraction: skyFraction(partitions),
      ...provenance,
      ...options.properties,
    });
    const result: HatsWriteResult = {
      path: outDir,
      catalogDir: asCollection ? join(outDir, catalogName) : outDir,
      rows: spill.rows,
      partitions,
    };
    if (options.margin) {
      const margin = await writeMarginCatalog(root, catalogName, partitions, parts, schemaTable, {
        ...options.margin,
        properties: { ...common, ...provenance },
        signal: options.signal,
      });
      result.marginDir = join(outDir, margin.name);
      result.marginRows = margin.rows;
    }
    if (asCollection) {
      await writeCollectionProperties(root, {
        obs_collection: title,
        hats_primary_table_url: catalogName,
        all_margins: result.marginDir ? result.marginDir.slice(outDir.length + 1) : undefined,
        default_margin: result.marginDir ? result.marginDir.slice(outDir.length + 1) : undefined,
        ...provenance,
      });
    }
    for (const [file, text] of Object.entries(options.extraFiles?.() ?? {})) {
      await writeFile(join(catalogDir, file), text);
    }
    await rm(tmp, { recursive: true, force: true });
    if (!options.deferCommit) await commitPartial(outDir);
    return result;
  } catch (err) {
    await discardPartial(outDir);
    throw err;
  }
}

/**
 * `schema` with its integer columns that are text in `next` as text (`textColumns` gets them):
 * the batches before are written with their integers as text.
 */
function integersTurnedText(schema: Table, next: Table, textColumns: Set<string>): Table {
  const turned = schema.schema.fields.filter(
    (f) =>
      f.type.typeId === Type.Int &&
      next.schema.fields.find((g) => g.name === f.name)?.type.typeId === Type.Utf8,
  );
  if (turned.length === 0) return schema;
  for (const f of turned) textColumns.add(f.name);
  return new Table(
    new Schema(
      schema.schema.fields.map((f) => (turned.includes(f) ? f.clone({ type: new Utf8() }) : f)),
      schema.schema.metadata,
    ),
  );
}

function checkSameSchema(first: Table, next: Table): void {
  const a = first.schema.fields.map((f) => `${f.name}:${f.type}`).join(',');
  const b = next.schema.fields.map((f) => `${f.name}:${f.type}`).join(',');
  if (a !== b) throw new Error(`batches have different columns: [${a}] then [${b}]`);
}
