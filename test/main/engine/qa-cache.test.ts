import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  QA_CACHE_FILE,
  outputStamp,
  readQaCache,
  writeQaCache,
} from '../../../main/engine/qa-cache';
import type { QaData } from '../../../preload/api';
import { canMount, fillUp, mountTmpfs } from '../../reliability/helpers';

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

describe.skipIf(!canMount())('writeQaCache on a full disk (tmpfs)', () => {
  it('keeps the cache it had and leaves no .partial (it left a half-written one in the run folder)', async () => {
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    const umount = mountTmpfs(runDir, 'size=64k');
    const qa = (n: number): QaData => ({
      sky: {
        matched: Array.from({ length: n }, (_, i): [number, number] => [i * 0.001, i * 0.002]),
        unmatched: [],
        matchedCount: n,
        unmatchedCount: 0,
      },
      redshift: { edges: [0, 1], counts: [n] },
      separationArcsec: { edges: [0, 1], counts: [n] },
      magnitudes: [],
    });
    try {
      const file = join(runDir, QA_CACHE_FILE);
      await writeQaCache(file, 'first', qa(3));
      fillUp(runDir);
      for (const n of readdirSync(runDir)
        .filter((f) => f.startsWith('filler-'))
        .slice(0, 2)) {
        rmSync(join(runDir, n));
      }
      await writeQaCache(file, 'second', qa(20_000)); // ~0.5 MB of JSON: does not fit
      expect(await readQaCache(file, 'first')).toEqual(qa(3));
      expect(await readQaCache(file, 'second')).toBeNull();
      expect(readdirSync(runDir).filter((f) => !f.startsWith('filler-'))).toEqual([QA_CACHE_FILE]);
    } finally {
      umount();
    }
  });
});
