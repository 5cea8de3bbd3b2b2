import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonFile } from '../../main/json-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-json-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readJsonFile', () => {
  it('gives the fallback for a file that is not there', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), [])).toEqual([]);
  });

  it('names a file it cannot read and says what to do (the Catalogs page showed a bare "EISDIR: illegal operation on a directory, read")', async () => {
    // tsm register --name index.json made catalogs/index.json a folder
    const path = join(dir, 'catalogs', 'index.json');
    await mkdir(path, { recursive: true });
    await expect(readJsonFile(path, [])).rejects.toThrow(
      `${path} cannot be read (EISDIR: illegal operation on a directory, read): a folder in the place of this file of the app, or no permission to read it? Move it out of the way or fix its permissions.`,
    );
  });
});
