import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outputStamp } from '../../../main/engine/qa-cache';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-qa-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outputStamp', () => {
  it("is a file's size and time", async () => {
    const file = join(dir, 'out.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    expect(await outputStamp(file)).toEqual({ size: 8, mtimeMs: statSync(file).mtimeMs });
    expect(await outputStamp(join(dir, 'gone.csv'))).toBeNull();
  });

  it("is a HATS folder's files: a leaf file written again or added changes it", async () => {
    const hats = join(dir, 'out.hats');
    const leaf = join(hats, 'dataset', 'Norder=1', 'Dir=0', 'Npix=44.parquet');
    mkdirSync(join(hats, 'dataset', 'Norder=1', 'Dir=0'), { recursive: true });
    writeFileSync(join(hats, 'properties'), 'hats_nrows=3\n');
    writeFileSync(leaf, 'PAR1....PAR1');
    const first = await outputStamp(hats);
    expect(first).toMatchObject({ files: 2, size: 13 + 12 });
    // the same bytes written later (a leaf's folder keeps its time): the time tells
    const later = new Date(statSync(leaf).mtimeMs + 10_000);
    utimesSync(leaf, later, later);
    const rewritten = await outputStamp(hats);
    expect(rewritten!.mtimeMs).toBe(statSync(leaf).mtimeMs);
    expect(rewritten).not.toEqual(first);
    writeFileSync(join(hats, 'dataset', 'Norder=1', 'Dir=0', 'Npix=45.parquet'), 'PAR1');
    expect(await outputStamp(hats)).toMatchObject({ files: 3, size: 13 + 12 + 4 });
  });
});
