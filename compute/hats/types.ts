import type { Schema, Table } from 'apache-arrow';

/** A HEALPix NESTED pixel of a partition. Orders stay <= 24 here, so `pixel` is an exact number. */
export interface Pixel {
  order: number;
  pixel: number;
}

export interface ReadOptions {
  /** Columns to read (projection). Undefined = all columns. */
  columns?: string[];
  /**
   * Only these rows of the partition (row numbers of the whole partition, ascending, each once),
   * in that order. Undefined = all rows.
   */
  rows?: Uint32Array;
  signal?: AbortSignal;
}

/**
 * What the crossmatch and the pipeline need from a partitioned catalog: a HATS catalog on disk or
 * over HTTP, a margin catalog, or a user file partitioned in memory all implement it.
 */
export interface PixelCatalog {
  /** Catalog name (`obs_collection` for HATS). */
  readonly name: string;
  /** Path or URL, for messages and run records. */
  readonly location: string;
  readonly raColumn: string;
  readonly decColumn: string;
  /** Spatial index column (`_healpix_29` usually) and its order. */
  readonly healpixColumn: string;
  readonly healpixOrder: number;
  readonly schema: Schema;
  /** Partitions sorted breadth-first (by pixel << 2*(29-order)). */
  readonly partitions: Pixel[];
  /** Margin threshold in arcsec when this is a margin catalog. */
  readonly marginThresholdArcsec?: number;
  /**
   * All rows of one partition, or `options.rows` of them (empty table with the schema when the
   * pixel has no partition).
   */
  readPartition(pixel: Pixel, options?: ReadOptions): Promise<Table>;
}
