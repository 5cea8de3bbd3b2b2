/**
 * describeHats (the Catalogs page's view of a HATS catalog) on the original service's example, a
 * hats v0.1 catalog whose leaf files still hold the partition columns Norder, Dir and Npix.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openObjectCatalog } from '../../../compute/hats';
import { describeHats } from '../../../main/engine/describe-hats';
import { TSM_EXAMPLE } from '../../fixtures';

const DR2 = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');

describe('describeHats', () => {
  // they were offered as band columns in the generic profile's mapping
  it("lists the catalog's data columns, not HATS's partition columns", async () => {
    const { catalog } = await openObjectCatalog(DR2);
    const schema = catalog.schema.fields.map((f) => f.name);
    expect(schema).toEqual(expect.arrayContaining(['Norder', 'Dir', 'Npix']));
    const described = await describeHats(DR2, { withProfile: true, dustMapDir: '/nonexistent' });
    expect(described.columns.map((c) => c.name)).toEqual(
      schema.filter((n) => !['Norder', 'Dir', 'Npix'].includes(n)),
    );
  });
});
