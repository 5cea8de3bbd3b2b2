/**
 * `tsm xmatch` left out rows whose ra or dec is NaN or infinite (of a HATS catalog: a file's are
 * refused when read) without a word, where `tsm run` warns: they never match. It now says how
 * many of each catalog, each right partition counted once though several pixels read it, with
 * and without worker threads.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Table, tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hatsWithBadPositions } from '../../helpers/hats-bad-positions';
import { runCli } from '../../helpers/cli';

let dir: string;
let left: string;
let right: string;
const N = 40;
const ra = Float64Array.from({ length: N }, (_, i) => 30 + 0.25 * i);
const dec = Float64Array.from({ length: N }, (_, i) => -20 + 0.1 * i);

/** `table` as a HATS catalog in the test's folder, ra or dec of the rows `bad(id)` names set. */
const hatsWithBadRows = (
  name: string,
  table: Table,
  bad: (id: number) => ['ra' | 'dec', number] | null,
  partitionRows?: number,
) => hatsWithBadPositions(dir, name, table, 'id', bad, partitionRows);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-xmatch-no-position-'));
  // several left partitions (each reads the one right partition): ids 5 (ra NaN) and 12 (dec inf)
  left = await hatsWithBadRows(
    'left',
    tableFromArrays({ id: Int32Array.from({ length: N }, (_, i) => i), ra, dec }),
    (id) => (id === 5 ? ['ra', Number.NaN] : id === 12 ? ['dec', Infinity] : null),
    8,
  );
  // one right partition, each row 0.36 arcsec from its left row: ids 3, 10 (dec NaN), 17 (ra -inf)
  right = await hatsWithBadRows(
    'right',
    tableFromArrays({
      id: Int32Array.from({ length: N }, (_, i) => i),
      ra: ra.map((v) => v + 0.0001),
      dec,
    }),
    (id) =>
      id === 3
        ? ['ra', Number.NaN]
        : id === 10
          ? ['dec', Number.NaN]
          : id === 17
            ? ['ra', -Infinity]
            : null,
  );
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const xmatch = (...args: string[]) => runCli(['xmatch', ...args]);

const rightWarning = () =>
  `Warning: 3 rows of the right catalog ${right} (in the partitions the crossmatch read) have no position (ra or dec NaN or infinite), so they are never matched. Fix those rows in the catalog if they should be matched.`;

describe('tsm xmatch: rows whose ra or dec is NaN or infinite', () => {
  for (const workers of ['0', '1']) {
    it(`counts them on both sides, the right partition once (--workers ${workers})`, async () => {
      const out = join(dir, `inner-${workers}.csv`);
      const r = await xmatch(
        left,
        right,
        '--radius-arcsec',
        '1',
        '--workers',
        workers,
        '--out',
        out,
      );
      expect(r.code).toBe(0);
      // 40 left rows; 2 without a position, 3 of their right partners without one
      expect(r.stdout).toMatch(/^35 rows from [2-9] pixels written to /);
      expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(36);
      expect(r.stderr.trim().split('\n')).toEqual([
        `Warning: 2 rows of the left catalog ${left} have no position (ra or dec NaN or infinite), so they match nothing: they are not in the output (--how inner). Fix or remove those rows.`,
        rightWarning(),
      ]);
    });
  }

  it('a left join keeps the left rows without a position, and says so', async () => {
    const out = join(dir, 'left.csv');
    const r = await xmatch(left, right, '--radius-arcsec', '1', '--how', 'left', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^40 rows from /);
    expect(r.stderr.trim().split('\n')).toEqual([
      `Warning: 2 rows of the left catalog ${left} have no position (ra or dec NaN or infinite), so they match nothing: --how left writes them without a right row. Fix or remove those rows.`,
      rightWarning(),
    ]);
  });

  it('says nothing of catalogs whose rows all have a position', async () => {
    const good = await hatsWithBadRows(
      'good',
      tableFromArrays({ id: Int32Array.from({ length: N }, (_, i) => i), ra, dec }),
      () => null,
    );
    const r = await xmatch(good, good, '--radius-arcsec', '1', '--out', join(dir, 'good.csv'));
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});
