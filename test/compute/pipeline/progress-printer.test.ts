/**
 * The terminal output of a spec-z file's reading: `tsm register` (a bar on a terminal, a line at
 * each tenth otherwise) and `tsm run --specz FILE` while it resolves.
 */
import { describe, expect, it } from 'vitest';
import type { SpeczReadProgress } from '../../../compute/io/read-progress';
import {
  createProgressPrinter,
  createReadProgressPrinter,
  progressLine,
  readProgressLine,
} from '../../../compute/pipeline/progress-printer';
import type { RunProgress } from '../../../compute/pipeline/progress';

const read = (rowsRead: number, fraction?: number): SpeczReadProgress => ({
  phase: 'read',
  rowsRead,
  ...(fraction !== undefined ? { fraction } : {}),
});

describe('readProgressLine', () => {
  it('draws the part of the file read, the rows and the elapsed time', () => {
    expect(readProgressLine('reading', read(450_000, 0.45), 5_000, 'rows', '', 8)).toBe(
      'reading         [####....] 450,000 rows (45%)  00:05 elapsed',
    );
    expect(readProgressLine('reading', read(1_200), 61_000, 'rows', '', 8)).toBe(
      'reading         [........] 1,200 rows  01:01 elapsed',
    );
    expect(
      readProgressLine('writing', { phase: 'write', rowsRead: 1_000_000, fraction: 1 }, 13_000),
    ).toBe('writing         the HATS catalog: 1,000,000 rows  00:13 elapsed');
  });
});

describe('createReadProgressPrinter', () => {
  it('prints a line at each tenth of the file and when the writing starts (logs, pipes)', () => {
    const out: string[] = [];
    const printer = createReadProgressPrinter('lines', (t) => out.push(t));
    printer(read(65_536, 0.065));
    printer(read(131_072, 0.131));
    printer(read(150_000, 0.15)); // the same tenth: not said again
    printer(read(1_000_000, 1));
    printer(read(1_000_000, 1));
    printer({ phase: 'write', rowsRead: 1_000_000, fraction: 1 });
    printer({ phase: 'write', rowsRead: 1_000_000, fraction: 1 });
    printer.end();
    expect(out).toEqual([
      'reading: 65,536 rows (6%)\n',
      'reading: 131,072 rows (13%)\n',
      'reading: 1,000,000 rows (100%)\n',
      'writing the HATS catalog: 1,000,000 rows\n',
    ]);
  });

  it('says once why the file is read again, and at each tenth after', () => {
    const out: string[] = [];
    const printer = createReadProgressPrinter('lines', (t) => out.push(t));
    const again =
      "the ids in column 'id' are mixed integer and text (line 500001): reading the file again with them as text";
    printer(read(458_752, 0.45));
    printer({ ...read(458_752, 0.45), again });
    printer({ ...read(458_752, 0.45), again });
    printer({ ...read(524_288, 0.52), again });
    printer.end();
    expect(out).toEqual([
      'reading: 458,752 rows (45%)\n',
      `reading: 458,752 rows (45%); ${again}\n`,
      `reading: 524,288 rows (52%); ${again}\n`,
    ]);
  });

  it('rewrites one line on a terminal at most every interval, and ends it at the last report', () => {
    const out: string[] = [];
    let now = 0;
    const printer = createReadProgressPrinter(
      'bar',
      (t) => out.push(t),
      100,
      () => now,
    );
    now = 2_000;
    printer(read(10, 0.5));
    now = 2_050;
    printer(read(20, 1)); // 50 ms later: skipped, then drawn at the end
    printer.end();
    const line = (text: string) => `\r\u001b[2K${text}`;
    expect(out).toEqual([
      line('reading         [############............] 10 rows (50%)  00:02 elapsed'),
      line('reading         [########################] 20 rows (100%)  00:02 elapsed'),
      '\n',
    ]);
  });

  it('prints nothing with none', () => {
    const out: string[] = [];
    const printer = createReadProgressPrinter('none', (t) => out.push(t));
    printer(read(10, 1));
    printer.end();
    expect(out).toEqual([]);
  });
});

describe('a run reading its spec-z file', () => {
  const p: RunProgress = {
    stage: 'resolve',
    pixelsDone: 0,
    pixelsTotal: 0,
    rowsMatched: 0,
    bytesRead: 0,
    elapsedMs: 9_000,
  };

  it('says the spec-z rows read at each tenth in lines mode', () => {
    const out: string[] = [];
    const printer = createProgressPrinter('lines', (t) => out.push(t));
    printer({ ...p, message: 'Opening the spec-z catalog /d/specz.csv' });
    printer({ ...p, speczRead: read(65_536, 0.06) });
    printer({ ...p, speczRead: read(98_304, 0.09) });
    printer(p); // a heartbeat between two batches
    printer({ ...p, speczRead: read(131_072, 0.13) });
    printer({ ...p, speczRead: read(1_000_000, 1) });
    printer({ ...p, stage: 'plan', pixelsTotal: 3, message: '3 aligned pixels to crossmatch' });
    expect(out).toEqual([
      'resolve: Opening the spec-z catalog /d/specz.csv\n',
      'resolve: read 65,536 spec-z rows (6%)\n',
      'resolve: read 131,072 spec-z rows (13%)\n',
      'resolve: read 1,000,000 spec-z rows (100%)\n',
      'plan: 3 aligned pixels to crossmatch\n',
    ]);
  });

  it('says a failure before any stage without one, in lines mode', () => {
    const out: string[] = [];
    const printer = createProgressPrinter('lines', (t) => out.push(t));
    printer({ ...p, stage: 'failed', message: 'specz.csv: no such file' });
    expect(out).toEqual(['failed after 00:09; the reason follows\n']);
  });

  it('draws the part of the file read in the bar', () => {
    expect(progressLine({ ...p, speczRead: read(450_000, 0.45) }, 8)).toBe(
      'resolve         [####....] read 450,000 spec-z rows (45%)  00:09 elapsed',
    );
  });
});
