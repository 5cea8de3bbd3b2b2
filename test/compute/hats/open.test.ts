/**
 * openHats's messages for a location that is no catalog, as the app's Catalogs page gets them
 * (through a store, which carries its cancel signal) and as the command line does (a path).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HatsError, openHats } from '../../../compute/hats';
import { openStore } from '../../../compute/hats/store';
import { describeHats } from '../../../main/engine/describe-hats';
import { TSM_EXAMPLE } from '../../fixtures';

const empty = mkdtempSync(join(tmpdir(), 'tsm-open-hats-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('openHats on a location that is no catalog', () => {
  it('says a missing folder is missing when given as a store (the app passes one)', async () => {
    const missing = join(empty, 'nope');
    const message = `${missing}: no such folder; check the path`;
    await expect(openHats(openStore(missing))).rejects.toThrow(new HatsError(message));
    // the Catalogs page's Add photometric catalog: a cancel signal makes describeHats pass a store
    await expect(
      describeHats(missing, {
        withProfile: true,
        dustMapDir: '/nonexistent',
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(new HatsError(message));
  });

  it('says a file is a file when given as a store', async () => {
    const file = join(TSM_EXAMPLE, 'specz.parquet');
    await expect(openHats(openStore(file))).rejects.toThrow(
      new HatsError(
        `${file} is a file, not a HATS folder; give the folder of a HATS catalog or collection`,
      ),
    );
  });

  it('names the catalog folder under the folder given (the example dr2/ holds one 4 levels down)', async () => {
    const dr2 = join(TSM_EXAMPLE, 'dr2');
    const message =
      `${dr2}: no hats.properties, properties or collection.properties file. Give the folder (or URL) ` +
      `of a HATS catalog or collection; this folder holds one further down: ${join(dr2, 'mag', 'auto', 'sfd', 'catalog')}.`;
    await expect(openHats(dr2)).rejects.toThrow(new HatsError(message));
    await expect(openHats(openStore(dr2))).rejects.toThrow(new HatsError(message));
  });

  it('keeps the plain message for an empty folder', async () => {
    await expect(openHats(empty)).rejects.toThrow(
      new HatsError(
        `${empty}: no hats.properties, properties or collection.properties file. Give the folder (or URL) of a HATS catalog or collection.`,
      ),
    );
  });
});
