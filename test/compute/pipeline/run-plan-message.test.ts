/**
 * The plan's progress message counts the aligned pixels: a run of one spec-z row said
 * "1 aligned pixels to crossmatch".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import type { RunProgress } from '../../../compute/pipeline/progress';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { TSM_EXAMPLE } from '../../fixtures';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-plan-message-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function planMessage(rows: number): Promise<string | undefined> {
  const table = await readParquetFile(SPECZ);
  const ra = table.getChild('ra')!;
  const dec = table.getChild('dec')!;
  const z = table.getChild('z')!;
  const lines = ['ra,dec,z'];
  for (let i = 0; i < rows; i++) lines.push(`${ra.get(i)},${dec.get(i)},${z.get(i)}`);
  const path = join(dir, `specz-${rows}.csv`);
  await writeFile(path, `${lines.join('\n')}\n`);
  const project = parseProject(
    {
      version: 1,
      name: `rows-${rows}`,
      specz: { path },
      photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
      split: { seed: 1 },
      output: { folder: join(dir, `out-${rows}`), format: 'csv' },
    },
    'test',
  );
  const events: RunProgress[] = [];
  await runTrainingSet(project, { workers: 0, onProgress: (p) => events.push(p) });
  return events.find((e) => e.stage === 'plan')?.message;
}

describe("the plan's message", () => {
  it('counts one aligned pixel, and several, in words that agree', async () => {
    expect(await planMessage(1)).toBe('1 aligned pixel to crossmatch');
    expect(await planMessage(80)).toBe('2 aligned pixels to crossmatch');
  });
});
