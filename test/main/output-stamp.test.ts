import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputReplaced, writtenMs } from '../../main/output-stamp';
import { defaultProject } from '../../compute/pipeline/project';
import type { RunRecord } from '../../preload/api';

const dir = mkdtempSync(join(tmpdir(), 'tsm-stamp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (outputPath: string, outputWrittenMs?: number): RunRecord => ({
  id: 'r1',
  name: 'set',
  status: 'done',
  startedAt: '2026-11-26T10:00:00.000Z',
  project: defaultProject(),
  outputDir: dir,
  outputPath,
  outputWrittenMs,
});

describe('outputReplaced', () => {
  it('is silent while the output is the one the run wrote', async () => {
    const out = join(dir, 'set.parquet');
    writeFileSync(out, 'first');
    const run = record(out, await writtenMs(out));
    expect(run.outputWrittenMs).toBe(statSync(out).mtimeMs);
    expect(await outputReplaced(run)).toBeUndefined();
    // older records have no time; a missing file is the reader's error to give
    expect(await outputReplaced(record(out))).toBeUndefined();
    expect(await outputReplaced(record(join(dir, 'gone.parquet'), 1))).toBeUndefined();
  });

  it("says when a later run wrote the file again, and that the counts are this run's", async () => {
    const out = join(dir, 'again.parquet');
    writeFileSync(out, 'first');
    const run = record(out, await writtenMs(out));
    writeFileSync(out, 'second, longer');
    utimesSync(out, new Date('2026-11-26T12:00:00Z'), new Date('2026-11-26T12:00:00Z'));
    expect(await outputReplaced(run)).toBe(
      `${out} was written again on 2026-11-26 12:00:00 UTC, after this run (a later run with the same name and output folder?): the table and plots show that file; the counts are this run's.`,
    );
  });
});
