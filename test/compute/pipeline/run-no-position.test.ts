/**
 * A row whose ra or dec is NaN or infinite has no position: it never matches. A photometric
 * catalog's such rows were left out of the training set without a word, and a HATS spec-z
 * catalog's were dropped by an inner join (kept without photometry by a left join) without one
 * either. The run counts them (each photometric partition once, though several aligned pixels
 * read it) and warns (run.json, the app, tsm run's summary).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Table, tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hatsWithBadPositions } from '../../helpers/hats-bad-positions';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';

let dir: string;
let photometry: string;
let specz: string;
const N = 40;
const ra = Float64Array.from({ length: N }, (_, i) => 30 + 0.25 * i);
const dec = Float64Array.from({ length: N }, (_, i) => -20 + 0.1 * i);

/** `table` as a HATS catalog in the test's folder, ra or dec of the rows `bad(id)` names set. */
const hatsWithBadRows = (
  name: string,
  table: Table,
  idColumn: string,
  bad: (id: number) => ['ra' | 'dec', number] | null,
  partitionRows?: number,
) => hatsWithBadPositions(dir, name, table, idColumn, bad, partitionRows);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-no-position-'));
  // one photometric partition: rows 3 (ra NaN), 10 (dec +inf) and 17 (ra -inf) have no position
  photometry = await hatsWithBadRows(
    'phot',
    tableFromArrays({
      oid: Int32Array.from({ length: N }, (_, i) => i),
      ra,
      dec,
      flux_g: Float64Array.from({ length: N }, () => 1000),
    }),
    'oid',
    (id) =>
      id === 3
        ? ['ra', Number.NaN]
        : id === 10
          ? ['dec', Infinity]
          : id === 17
            ? ['ra', -Infinity]
            : null,
  );
  // the spec-z catalog in several finer partitions (each reads the one photometric partition):
  // rows 100 + 25 (dec NaN) and 100 + 31 (ra NaN) have no position
  specz = await hatsWithBadRows(
    'specz',
    tableFromArrays({
      id: Int32Array.from({ length: N }, (_, i) => 100 + i),
      ra,
      dec,
      z: Float64Array.from({ length: N }, (_, i) => 0.01 * (i + 1)),
    }),
    'id',
    (id) => (id === 125 ? ['dec', Number.NaN] : id === 131 ? ['ra', Number.NaN] : null),
    8,
  );
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runWith(name: string, join_: 'inner' | 'left', workers: number) {
  const result = await runTrainingSet(
    parseProject(
      {
        version: 1,
        name,
        specz: { path: specz, columns: { id: 'id' } },
        crossmatch: { join: join_ },
        photometry: {
          location: photometry,
          profile: 'generic',
          generic: {
            idColumn: 'oid',
            raColumn: 'ra',
            decColumn: 'dec',
            bands: [{ band: 'g', flux: 'flux_g' }],
            extinction: { g: 3.2 },
          },
          dereddening: { map: 'none' },
        },
        split: { seed: 1 },
        output: { folder: join(dir, name) },
      },
      'test',
    ),
    { workers },
  );
  const record = JSON.parse(await readFile(result.runJsonPath, 'utf8')) as { warnings: string[] };
  return { result, record };
}

const photometricWarning = () =>
  `photometry.location: 3 rows of the photometric catalog ${photometry} (in 1 of the 1 partition the run read) have no position (ra or dec NaN or infinite), so they are never matched and not in the training set. Fix those rows in the catalog if they should be matched.`;

describe('rows whose ra or dec is NaN or infinite', () => {
  it('inner join: the run counts them on both sides, each photometric partition once', async () => {
    const { result, record } = await runWith('inner', 'inner', 0);
    // 40 spec-z rows, 2 without a position, 3 of their photometric partners without one
    expect(result.counts.matchedSpecz).toBe(35);
    expect(result.counts.written).toBe(35);
    const specWarning = `specz: 2 rows of the spec-z catalog ${specz} have no position (ra or dec NaN or infinite), so they match nothing: the inner join leaves them out of the training set. Fix or remove those rows.`;
    for (const warnings of [record.warnings, result.warnings]) {
      expect(warnings).toContain(specWarning);
      expect(warnings).toContain(photometricWarning());
    }
    expect(result.pixels).toBeGreaterThan(1);
  }, 60_000);

  it('left join, in a worker thread: the same counts, the spec-z rows kept', async () => {
    const { result, record } = await runWith('left', 'left', 1);
    expect(result.counts.written).toBe(40);
    expect(result.counts.unmatchedSpecz).toBe(5);
    expect(record.warnings).toContain(
      `specz: 2 rows of the spec-z catalog ${specz} have no position (ra or dec NaN or infinite), so they match nothing: the left join keeps them without photometry. Fix or remove those rows.`,
    );
    expect(record.warnings).toContain(photometricWarning());
  }, 60_000);
});
