/**
 * The data folder given at launch (`node dist/web.js --data-dir`, `tsm register --data-dir`, or
 * their default): a missing one is made and marked and said once; an empty one or one of an older
 * version is marked; a folder of other files (a home folder) is refused, nothing written there.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DATA_FOLDER_MARKER,
  openDataFolder,
  refuseForeignFolder,
} from '../../../compute/io/data-folder';
import { useTempDir } from './helpers';

const tmp = useTempDir('tsm-data-folder-open-');

const foreign = (dir: string, shown: string) =>
  `--data-dir ${dir} already holds other files (${shown}) and is not a Training Set Maker data folder (no .tsm-data-folder, catalogs/ or runs/ in it), so its catalogs, runs and settings would be put among them: give a new or empty folder, such as ${join(dir, 'tsm-data')}, or, to use this folder as it is, put an empty file named .tsm-data-folder in it.`;

describe('openDataFolder', () => {
  it('makes a missing one (and its parents) with the marker, and says so', async () => {
    const dir = join(tmp.dir, 'new', 'tsm-data');
    expect(await openDataFolder(dir, '--data-dir')).toBe(
      `Made a new, empty data folder ${dir} (it did not exist).`,
    );
    expect(readdirSync(dir)).toEqual([DATA_FOLDER_MARKER]);
    expect(readFileSync(join(dir, DATA_FOLDER_MARKER), 'utf8')).toMatch(
      /^A data folder of Training Set Maker/,
    );
    // the next launch: there, marked, nothing said
    expect(await openDataFolder(dir, '--data-dir')).toBeNull();
    expect(readdirSync(dir)).toEqual([DATA_FOLDER_MARKER]);
  });

  it('marks an empty folder, and one of an older version (catalogs, settings.json, ...) as it is', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    expect(await openDataFolder(empty, '--data-dir')).toBeNull();
    expect(readdirSync(empty)).toEqual([DATA_FOLDER_MARKER]);
    // a fresh disk's mount point, a folder the desktop opened: empty but for the system's files
    const disk = join(tmp.dir, 'disk');
    mkdirSync(join(disk, 'lost+found'), { recursive: true });
    writeFileSync(join(disk, '.DS_Store'), '');
    expect(await openDataFolder(disk, '--data-dir')).toBeNull();
    expect(readdirSync(disk).sort()).toEqual(['.DS_Store', DATA_FOLDER_MARKER, 'lost+found']);
    for (const entry of ['catalogs', 'runs', 'settings.json', 'draft.tsm.json']) {
      const old = join(tmp.dir, `old-${entry}`);
      mkdirSync(old);
      writeFileSync(join(old, 'notes.txt'), 'mine');
      if (entry.includes('.')) writeFileSync(join(old, entry), '{}');
      else mkdirSync(join(old, entry));
      expect(await openDataFolder(old, '--data-dir')).toBeNull();
      expect(readdirSync(old).sort()).toEqual([DATA_FOLDER_MARKER, entry, 'notes.txt'].sort());
    }
  });

  it('refuses a folder of other files (a home folder), naming it and what to do, and writes nothing there', async () => {
    const home = join(tmp.dir, 'home');
    mkdirSync(join(home, 'Documents'), { recursive: true });
    writeFileSync(join(home, '.bashrc'), '');
    await expect(openDataFolder(home, '--data-dir')).rejects.toThrow(
      foreign(home, '.bashrc, Documents'),
    );
    expect(readdirSync(home).sort()).toEqual(['.bashrc', 'Documents']);
    // more than three: the first three, sorted
    for (const name of ['a.csv', 'b.fits']) writeFileSync(join(home, name), '');
    await expect(openDataFolder(home, '--data-dir')).rejects.toThrow(
      foreign(home, '.bashrc, Documents, a.csv, …'),
    );
    // what the message says to do
    writeFileSync(join(home, DATA_FOLDER_MARKER), '');
    expect(await openDataFolder(home, '--data-dir')).toBeNull();
    await expect(openDataFolder(join(home, 'tsm-data'), '--data-dir')).resolves.toMatch(/^Made/);
  });

  it('refuses a file', async () => {
    const file = join(tmp.dir, 'file');
    writeFileSync(file, 'x');
    await expect(openDataFolder(file, '--data-dir')).rejects.toThrow(
      `--data-dir ${file} is a file: give a folder (a new one is made).`,
    );
  });
});

describe('refuseForeignFolder', () => {
  it('passes a missing or empty folder, names where the folder was given', async () => {
    await expect(refuseForeignFolder(join(tmp.dir, 'none'), 'The data folder')).resolves.toBe(
      undefined,
    );
    writeFileSync(join(tmp.dir, 'paper.pdf'), '');
    await expect(refuseForeignFolder(tmp.dir, 'The data folder')).rejects.toThrow(
      `The data folder ${tmp.dir} already holds other files (paper.pdf) and is not`,
    );
  });
});
