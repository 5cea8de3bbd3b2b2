import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { folderError, makeFolder } from '../../../compute/io/make-folder';
import { tempDir } from '../../reliability/helpers';

const { dir, cleanup } = tempDir('tsm-make-folder-');
afterAll(cleanup);

const errorOf = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('makeFolder', () => {
  it('makes every missing folder of a path, and is fine with one that exists', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeFolder(deep);
  });

  // Node's mkdir(path, { recursive: true }) never returns for these (it alternates ENOENT on the
  // child and EEXIST on the parent); the test would time out with it.
  it.runIf(process.platform === 'linux')(
    'fails at once below /proc, which holds no new folders',
    async () => {
      const err = await errorOf(makeFolder('/proc/tsm-no-such/out'));
      expect(err).toMatchObject({ code: 'ENOENT', syscall: 'mkdir', path: '/proc/tsm-no-such' });
    },
    5_000,
  );

  it('fails at once below a dangling symbolic link', async () => {
    const link = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), link);
    const err = await errorOf(makeFolder(join(link, 'out')));
    expect(err).toMatchObject({ code: 'EEXIST', path: link });
  }, 5_000);

  it('fails where a file is in the way', async () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    expect(await errorOf(makeFolder(file))).toMatchObject({ code: 'ENOTDIR', path: file });
    expect(await errorOf(makeFolder(join(file, 'sub')))).toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('folderError', () => {
  it('names the folder, what it is and what to do', async () => {
    const err = await errorOf(makeFolder('/proc/tsm-no-such/out'));
    expect(folderError(err, '/proc/tsm-no-such/out', 'output folder')).toEqual(
      new UserError(
        "output folder /proc/tsm-no-such/out cannot be created there (its parent cannot hold folders): choose another output folder (ENOENT: no such file or directory, mkdir '/proc/tsm-no-such')",
      ),
    );
    const file = join(dir, 'in-the-way');
    writeFileSync(file, 'x');
    const notDir = await errorOf(makeFolder(file));
    expect((folderError(notDir, file, 'export folder') as Error).message).toBe(
      `export folder ${file} cannot be created: a file is in the way on its path: choose another export folder (ENOTDIR: not a directory, mkdir '${file}')`,
    );
  });

  it('leaves other errors, and errors of other paths, alone', () => {
    const enoentOfOpen = Object.assign(new Error('ENOENT'), {
      code: 'ENOENT',
      syscall: 'open',
      path: '/out/x',
    });
    expect(folderError(enoentOfOpen, '/out', 'output folder')).toBeNull();
    const elsewhere = Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/other/x' });
    expect(folderError(elsewhere, '/out', 'output folder')).toBeNull();
    expect(folderError(new Error('boom'), '/out', 'output folder')).toBeNull();
  });
});

describe('an existing folder', () => {
  it('is not touched', async () => {
    const keep = join(dir, 'keep');
    mkdirSync(keep);
    writeFileSync(join(keep, 'f'), 'data');
    const before = statSync(keep).mtimeMs;
    await makeFolder(keep);
    expect(statSync(keep).mtimeMs).toBe(before);
  });
});
