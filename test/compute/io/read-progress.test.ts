/**
 * `tsm register` of a million-row spec-z file said nothing for 10-40 s while every row was read,
 * and the app's Check the file and Register showed a static status as long. The reading now
 * reports the rows read and the part of the file read; small files in small batches show it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../../compute/errors';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { ReadMeter, type SpeczReadProgress } from '../../../compute/io/read-progress';
import { registerSpeczCatalog, validateSpeczCatalog } from '../../../compute/io/specz-register';
import { TSM_EXAMPLE } from '../../fixtures';
import { useTempDir } from './helpers';

const tmp = useTempDir();

/** Options that report every batch of `batchRows` rows into `events`. */
function following(events: SpeczReadProgress[], batchRows: number) {
  return { batchRows, progressIntervalMs: 0, onProgress: (p: SpeczReadProgress) => events.push(p) };
}

/** A CSV of `rows` rows (id, ra, dec, z) and the byte offset of the end of each of its lines. */
function csvFile(rows: number): { path: string; lineEnds: number[]; size: number } {
  const lines = ['id,ra,dec,z'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${10 + i / 100},${-5 - i / 50},${i / 40}`);
  const text = `${lines.join('\n')}\n`;
  const lineEnds: number[] = [];
  let offset = 0;
  for (const line of lines) lineEnds.push((offset += Buffer.byteLength(line) + 1));
  const path = join(tmp.dir, 'specz.csv');
  writeFileSync(path, text);
  return { path, lineEnds, size: Buffer.byteLength(text) };
}

describe('ReadMeter', () => {
  it('reports at most every interval, and always when the reading ends and the writing starts', () => {
    const events: SpeczReadProgress[] = [];
    vi.useFakeTimers({ now: 1000, toFake: ['Date'] });
    try {
      const meter = new ReadMeter({ onProgress: (p) => events.push(p), progressIntervalMs: 200 });
      meter.add(10, 0.1);
      vi.advanceTimersByTime(100);
      meter.add(10, 0.2); // 100 ms after the last report: not said
      vi.advanceTimersByTime(150);
      meter.add(10, 0.3);
      meter.done();
      meter.writing();
    } finally {
      vi.useRealTimers();
    }
    expect(events).toEqual([
      { phase: 'read', rowsRead: 10, fraction: 0.1 },
      { phase: 'read', rowsRead: 30, fraction: 0.3 },
      { phase: 'read', rowsRead: 30, fraction: 1 },
      { phase: 'write', rowsRead: 30, fraction: 1 },
    ]);
  });

  it('gives no fraction when the size is not known', () => {
    const events: SpeczReadProgress[] = [];
    const meter = new ReadMeter({ onProgress: (p) => events.push(p), progressIntervalMs: 0 });
    meter.add(5);
    meter.done();
    expect(events).toEqual([
      { phase: 'read', rowsRead: 5 },
      { phase: 'read', rowsRead: 5 },
    ]);
  });
});

describe('the reading of a spec-z file reports its progress', () => {
  it('text: the rows read and the bytes of the file up to the last line read', async () => {
    const { path, lineEnds, size } = csvFile(25);
    const events: SpeczReadProgress[] = [];
    const report = await validateSpeczCatalog(path, following(events, 10));
    expect(report.rowsRead).toBe(25);
    // lines 1 (header) to 11, then to 21: the end of the 10th and 20th data lines
    expect(events).toEqual([
      { phase: 'read', rowsRead: 10, fraction: lineEnds[10] / size },
      { phase: 'read', rowsRead: 20, fraction: lineEnds[20] / size },
      { phase: 'read', rowsRead: 25, fraction: 1 },
      { phase: 'read', rowsRead: 25, fraction: 1 },
    ]);
    expect(lineEnds[25]).toBe(size);
  });

  it('Parquet, FITS and HDF5: the rows read of the table rows', async () => {
    const parquet = join(TSM_EXAMPLE, 'specz.parquet'); // 80 rows in one row group
    const table = await readParquetFile(parquet);
    const files = [parquet];
    for (const format of ['fits', 'hdf5'] as const) {
      const path = join(tmp.dir, `specz.${format}`);
      const writer = createTableWriter(format, path);
      await writer.write(table);
      await writer.close();
      files.push(path);
    }
    for (const path of files) {
      const events: SpeczReadProgress[] = [];
      await validateSpeczCatalog(path, following(events, 30));
      expect(events, path).toEqual([
        { phase: 'read', rowsRead: 30, fraction: 30 / 80 },
        { phase: 'read', rowsRead: 60, fraction: 60 / 80 },
        { phase: 'read', rowsRead: 80, fraction: 1 },
        { phase: 'read', rowsRead: 80, fraction: 1 },
      ]);
    }
  });

  it('HATS: the rows read and the partitions read', async () => {
    const collection = join(TSM_EXAMPLE, 'specz_collection');
    const first = await readParquetFile(
      join(collection, 'catalog', 'dataset', 'Norder=0', 'Dir=0', 'Npix=4.parquet'),
    );
    const events: SpeczReadProgress[] = [];
    await validateSpeczCatalog(collection, following(events, 1000));
    expect(events).toEqual([
      { phase: 'read', rowsRead: first.numRows, fraction: 0.5 },
      { phase: 'read', rowsRead: 80, fraction: 1 },
      { phase: 'read', rowsRead: 80, fraction: 1 },
    ]);
  });

  it('registration: the reading, then the writing of the catalog with every row', async () => {
    const { path, lineEnds, size } = csvFile(25);
    const events: SpeczReadProgress[] = [];
    await registerSpeczCatalog(path, { dataDir: join(tmp.dir, 'data'), ...following(events, 10) });
    expect(events).toEqual([
      { phase: 'read', rowsRead: 10, fraction: lineEnds[10] / size },
      { phase: 'read', rowsRead: 20, fraction: lineEnds[20] / size },
      { phase: 'read', rowsRead: 25, fraction: 1 },
      { phase: 'read', rowsRead: 25, fraction: 1 },
      { phase: 'write', rowsRead: 25, fraction: 1 },
    ]);
  });

  it('a file read again (ids 007 before a text id): one progress that says why and never goes back', async () => {
    // the progress started over at 0 rows without a word
    const { path } = csvFile(25);
    // line 3's id '002' reads as 2, so the ids cannot become text without the file again
    const text = readFileSync(path, 'utf8').replace('\n2,', '\n002,').replace('\n15,', '\nJ15,');
    writeFileSync(path, text);
    const lines = text.split('\n');
    const at = (line: number) =>
      Buffer.byteLength(lines.slice(0, line + 1).join('\n') + '\n') / Buffer.byteLength(text);
    const why =
      "the ids in column 'id' are mixed integer and text (line 16): reading the file again with them as text";
    for (const check of [false, true]) {
      const events: SpeczReadProgress[] = [];
      const options = { dataDir: join(tmp.dir, `again-${check}`), ...following(events, 10) };
      const report = check
        ? await validateSpeczCatalog(path, options)
        : (await registerSpeczCatalog(path, options)).report;
      expect(report.rowsAccepted).toBe(25);
      expect(events).toEqual([
        { phase: 'read', rowsRead: 10, fraction: at(10) },
        { phase: 'read', rowsRead: 10, fraction: at(10), again: why },
        { phase: 'read', rowsRead: 10, fraction: at(10), again: why },
        { phase: 'read', rowsRead: 20, fraction: at(20), again: why },
        { phase: 'read', rowsRead: 25, fraction: 1, again: why },
        { phase: 'read', rowsRead: 25, fraction: 1, again: why },
        ...(check ? [] : [{ phase: 'write', rowsRead: 25, fraction: 1 }]),
      ]);
    }
  });

  it('a cancel stops the reading at the next batch', async () => {
    const { path } = csvFile(25);
    const events: SpeczReadProgress[] = [];
    const controller = new AbortController();
    const checking = validateSpeczCatalog(path, {
      ...following(events, 10),
      signal: controller.signal,
      onProgress: (p) => {
        events.push(p);
        controller.abort();
      },
    });
    await expect(checking).rejects.toBeInstanceOf(CancelledError);
    expect(events.map((e) => e.rowsRead)).toEqual([10]);
  });

  it("a check stopped by Ctrl-C says so (the cancel's reason), as a run does", async () => {
    const { path } = csvFile(25);
    const controller = new AbortController();
    const checking = validateSpeczCatalog(path, {
      batchRows: 10,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: () => controller.abort(new CancelledError('Cancelled by Ctrl-C')),
    });
    await expect(checking).rejects.toThrow(new CancelledError('Cancelled by Ctrl-C'));
  });
});
