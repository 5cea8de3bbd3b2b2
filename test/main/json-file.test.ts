import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../compute/errors';
import { readJsonFile, writeJsonFile } from '../../main/json-file';

// a write that fails as on a full disk: half the bytes land, then Node's ENOSPC (which names no
// file: "ENOSPC: no space left on device, write")
const fault = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    writeFile: async (...args: Parameters<typeof fs.writeFile>) => {
      if (!fault.code) return fs.writeFile(...args);
      const [path, data] = args;
      await fs.writeFile(path, String(data).slice(0, 10));
      const text = { ENOSPC: 'no space left on device', EROFS: 'read-only file system' };
      throw Object.assign(
        new Error(`${fault.code}: ${text[fault.code as keyof typeof text]}, write`),
        { code: fault.code, syscall: 'write' },
      );
    },
  };
});

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

describe('writeJsonFile on a full disk or a read-only folder', () => {
  // settings, the draft, the catalog list and run records: the app showed a bare "ENOSPC: no
  // space left on device, write" and left `<file>.partial` beside the file
  const cases: [string, string][] = [
    ['ENOSPC', 'no space left on device, write): its disk is full: free some space and try again.'],
    [
      'EROFS',
      'read-only file system, write): its folder is on a read-only file system: make it writable and try again.',
    ],
  ];
  for (const [code, tail] of cases) {
    it(`${code}: a UserError naming the file; the saved file unchanged, no .partial left`, async () => {
      const folder = join(dir, code);
      const path = join(folder, 'settings.json');
      await writeJsonFile(path, { workers: 2 });
      fault.code = code;
      try {
        const err = await writeJsonFile(path, { workers: 3 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UserError);
        expect((err as Error).message).toBe(`${path} cannot be saved (${code}: ${tail}`);
      } finally {
        fault.code = null;
      }
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ workers: 2 });
      expect(await readdir(folder)).toEqual(['settings.json']);
    });
  }
});
