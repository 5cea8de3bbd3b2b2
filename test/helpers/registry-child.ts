/**
 * A process of its own adding photometric catalogs to a data folder's catalogs/index.json through
 * CatalogRegistry (bundled by test/main/file-lock.test.ts), as the app, a web bridge or a second
 * window would: `node child.mjs <dataDir> <label> <count> <startAtMs>` waits until startAtMs (so
 * that the processes start together), adds <label>-0 .. <label>-(count-1) one after the other and
 * prints `done`. The HATS description is made up: what is tested is the list, not the catalogs.
 */
import { CatalogRegistry, type CatalogEngine } from '../../main/catalog-registry';

const [dataDir, label, count, startAt] = process.argv.slice(2);
const engine = {
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
const registry = new CatalogRegistry(async () => dataDir!, engine);

await new Promise((done) => setTimeout(done, Math.max(0, Number(startAt) - Date.now())));
for (let i = 0; i < Number(count); i++) {
  await registry.addPhotometric({ location: `/sky/${label}-${i}`, name: `${label}-${i}` });
}
process.stdout.write('done\n');
