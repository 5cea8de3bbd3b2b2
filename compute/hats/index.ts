/** HATS reader: catalogs, margins and collections over a ByteStore, partitions as Arrow tables. */
export { HatsCatalog, type SchemaSource } from './catalog';
export { HatsCollection } from './collection';
export { HatsError } from './errors';
export { openHats, openObjectCatalog, type ObjectCatalogOptions } from './open';
export {
  formatInspection,
  inspectHats,
  partitionSkyFraction,
  type HatsInspection,
  type InspectSection,
  type InspectSectionProvider,
} from './inspect';
export type { CatalogProperties, CatalogType, CollectionProperties } from './properties';
export { comparePixels, leafPath, pixelDir } from './partition-info';
export { openStore } from './store';
export type { ByteSource, ByteStore } from './byte-source';
export type { Pixel, PixelCatalog, ReadOptions } from './types';
