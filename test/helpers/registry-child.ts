/**
 * A process of its own adding photometric catalogs to a data folder's catalogs/index.json through
 * CatalogRegistry (bundled by test/main/file-lock.test.ts), as the app, a web bridge or a second
 * window would: `node child.mjs <dataDir> <label> <count> <startAtMs>` waits until startAtMs (so
 * that the processes start together), adds <label>-0 .. <label>-(count-1) one after the other and
 * prints `done`. The HATS description is made up (made-up-engine.ts): what is tested is the
 * list, not the catalogs.
 */
import { CatalogRegistry } from '../../main/catalog-registry';
import { madeUpEngine } from './made-up-engine';

const [dataDir, label, count, startAt] = process.argv.slice(2);
const registry = new CatalogRegistry(async () => dataDir!, madeUpEngine);

await new Promise((done) => setTimeout(done, Math.max(0, Number(startAt) - Date.now())));
for (let i = 0; i < Number(count); i++) {
  await registry.addPhotometric({ location: `/sky/${label}-${i}`, name: `${label}-${i}` });
}
process.stdout.write('done\n');
