import type { CatalogEngine } from '../../main/catalog-registry';

/**
 * A CatalogRegistry engine that describes any location as a one-row HATS catalog named after it,
 * without reading anything: for tests of the catalog list, not of the catalogs.
 */
export const madeUpEngine = {
  describeHats: async (location: string) => ({
    name: location,
    location,
    rowCount: 1,
    columns: [],
    partitions: 1,
    coverage: { points: [], skyFraction: 0 },
  }),
  readRegistration: async () => null,
} as unknown as CatalogEngine;
