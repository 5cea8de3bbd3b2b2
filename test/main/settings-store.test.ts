import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/settings-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore dust-map folder', () => {
  it('refuses a relative folder as not a full path, even one that exists from where the app runs', async () => {
    const file = join(dir, 'settings.json');
    const store = new SettingsStore(file, {
      dataDir: join(dir, 'data'),
      dustMapDir: '',
      workers: null,
      cacheSizeMb: 0,
    });
    await store.update({ cacheSizeMb: 5 });
    const saved = readFileSync(file, 'utf8');
    // it said "The dust-map folder dustmaps does not exist: ..."
    await expect(store.update({ dustMapDir: 'dustmaps' })).rejects.toThrow(
      "The dust-map folder must be a full path, such as /home/me/dustmaps (got 'dustmaps'), or empty for the dustmaps folder inside the data folder.",
    );
    // '.' exists (the folder the app was started from), and was saved as it is
    await expect(store.update({ dustMapDir: '.' })).rejects.toThrow(
      "The dust-map folder must be a full path, such as /home/me/dustmaps (got '.'), or empty for the dustmaps folder inside the data folder.",
    );
    expect(readFileSync(file, 'utf8')).toBe(saved);
    const maps = join(dir, 'maps');
    mkdirSync(maps);
    expect((await store.update({ dustMapDir: maps })).dustMapDir).toBe(maps);
  });
});
