/**
 * `tsm run --specz FILE` read the whole file before its plan without a word (~20 s for a
 * million-row CSV between "Opening the spec-z catalog" and the plan), and a Parquet file was read
 * whole, deaf to a cancel. The read now reports the rows read and the part of the file (a run's
 * progress `speczRead`), and a Parquet file is read a row group at a time.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type, tableFromArrays, tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../compute/errors';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { validateSpeczCatalog } from '../../../compute/io/specz-register';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import type { SpeczReadProgress } from '../../../compute/io/read-progress';
import { parseProject } from '../../../compute/pipeline/project';
import type { RunProgress } from '../../../compute/pipeline/progress';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { openSpecz, readSpeczTable, speczFromFile } from '../../../compute/pipeline/specz-source';
import type { PixelCatalog } from '../../../compute/hats/types';
import { ang2pixNestNumber } from '../../../compute/healpix';
import { TSM_EXAMPLE } from '../../fixtures';
import { speczMapping } from '../../helpers/specz-mapping';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet'); // 80 rows, one row group
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-specz-source-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const following = (events: SpeczReadProgress[]) => ({
  progressIntervalMs: 0,
  onProgress: (p: SpeczReadProgress) => events.push(p),
});

describe('readSpeczTable', () => {
  it('reports the rows read of every format, with the part of the file', async () => {
    const table = await readParquetFile(SPECZ);
    const files: string[] = [SPECZ];
    for (const format of ['fits', 'hdf5', 'csv'] as const) {
      const path = join(dir, `specz.${format}`);
      const writer = createTableWriter(format, path);
      await writer.write(table);
      await writer.close();
      files.push(path);
    }
    for (const path of files) {
      const events: SpeczReadProgress[] = [];
      const read = await readSpeczTable(path, undefined, { batchRows: 30, ...following(events) });
      expect(read.numRows).toBe(80);
      expect(
        events.map((e) => [e.phase, e.rowsRead]),
        path,
      ).toEqual([
        ['read', 30],
        ['read', 60],
        ['read', 80],
        ['read', 80],
      ]);
      const fractions = events.map((e) => e.fraction!);
      // a table's rows, or a text file's bytes up to the last line read: growing, ending at 1
      if (!path.endsWith('.csv')) expect(fractions).toEqual([30 / 80, 60 / 80, 1, 1]);
      expect(fractions.slice(0, 2).every((f, i) => f > 0 && f < fractions[i + 1])).toBe(true);
      expect(fractions.slice(2)).toEqual([1, 1]);
    }
  });

  it('stops reading a Parquet file of several row groups at a cancel', async () => {
    const path = join(dir, 'groups.parquet');
    await writeFile(path, tableToParquetBytes(await readParquetFile(SPECZ), { rowGroupRows: 20 }));
    const events: SpeczReadProgress[] = [];
    const controller = new AbortController();
    const reading = readSpeczTable(path, controller.signal, {
      progressIntervalMs: 0,
      onProgress: (p) => {
        events.push(p);
        controller.abort(new CancelledError('Cancelled by Ctrl-C'));
      },
    });
    await expect(reading).rejects.toThrow(new CancelledError('Cancelled by Ctrl-C'));
    expect(events).toEqual([{ phase: 'read', rowsRead: 20, fraction: 0.25 }]);
  });
});

describe('a run of a spec-z file', () => {
  it("says how far the file's reading got while it resolves, without log lines", async () => {
    const project = parseProject(
      {
        version: 1,
        name: 'progress',
        specz: { path: SPECZ },
        photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
        split: { seed: 1 },
        output: { folder: join(dir, 'out'), format: 'parquet' },
      },
      'test',
    );
    const events: RunProgress[] = [];
    await runTrainingSet(project, { workers: 0, onProgress: (p) => events.push(p) });
    const reads = events.filter((e) => e.speczRead);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.stage === 'resolve' && e.message === undefined)).toBe(true);
    expect(reads.at(-1)!.speczRead).toEqual({ phase: 'read', rowsRead: 80, fraction: 1 });
    const plan = events.findIndex((e) => e.stage === 'plan');
    expect(events.indexOf(reads.at(-1)!)).toBeLessThan(plan);
    expect(events.slice(plan).some((e) => e.speczRead)).toBe(false);
  });
});

describe('speczFromFile: rows by pixel', () => {
  // kept as typed arrays (a row index sorted by pixel) instead of an object and an array entry a
  // row: each pixel must still hold its rows, each once, in the file's order
  it('gives every row to one pixel, in file order: a partition holding it, else a pixel beside them', async () => {
    const partitions = [
      { order: 1, pixel: 17 },
      { order: 2, pixel: 72 },
      { order: 2, pixel: 73 },
      { order: 3, pixel: 300 },
    ];
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lines = ['id,ra,dec,z'];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        `${i},${(next() * 360).toFixed(6)},${(Math.asin(2 * next() - 1) * 57.29577951308232).toFixed(6)},0.5`,
      );
    }
    const path = join(dir, 'sky.csv');
    await writeFile(path, lines.join('\n') + '\n');
    const columns = speczMapping({ id: 'id' });
    const source = await speczFromFile(path, columns, { partitions } as unknown as PixelCatalog);
    const seen = new Set<number>();
    let inPartitions = 0;
    for (const pixel of source.catalog.partitions) {
      const t = await source.catalog.readPartition(pixel);
      const ids = [...t.getChild('id')!].map(Number);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const ra = t.getChild('ra')!.toArray() as Float64Array;
      const dec = t.getChild('dec')!.toArray() as Float64Array;
      const isPartition = partitions.some(
        (p) => p.order === pixel.order && p.pixel === pixel.pixel,
      );
      ids.forEach((id, i) => {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        expect(ang2pixNestNumber(pixel.order, ra[i], dec[i])).toBe(pixel.pixel);
        // a row of a partition's sky is in that partition
        for (const p of partitions) {
          if (ang2pixNestNumber(p.order, ra[i], dec[i]) === p.pixel) {
            expect(pixel).toEqual(p);
          }
        }
      });
      if (isPartition) inPartitions += ids.length;
      // a task is sent the pixel's rows
      const ref = source.ref({ left: pixel } as never);
      expect(
        'rowsIpc' in ref && tableFromIPC(new Uint8Array(ref.rowsIpc)).getChild('id')!.toArray(),
      ).toEqual(t.getChild('id')!.toArray());
    }
    expect(seen.size).toBe(3000);
    expect(inPartitions).toBeGreaterThan(0);
    expect(inPartitions).toBeLessThan(3000);
    // the pixels come in the order of their first row
    const firsts = [];
    for (const pixel of source.catalog.partitions) {
      firsts.push(Number((await source.catalog.readPartition(pixel)).getChild('id')!.get(0)));
    }
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    expect(await source.catalog.readPartition({ order: 5, pixel: 0 })).toMatchObject({
      numRows: 0,
    });
  });
});

describe('speczFromFile: a z_err that is text', () => {
  it('keeps the rows with z_err NaN and says so, naming the rows (tsm register rejects them)', async () => {
    // the run kept them without a word
    const path = join(dir, 'zerr-text.csv');
    await writeFile(
      path,
      'ra,dec,z,z_err\n10,10,0.5,0.01\n11,10,0.6,abc\n12,10,0.7,\n13,10,0.8,0.02\n',
    );
    const columns = speczMapping({ zErr: 'z_err' });
    const partitions = [{ order: 0, pixel: 4 }];
    const source = await speczFromFile(path, columns, { partitions } as unknown as PixelCatalog);
    expect(source.notes).toEqual([
      `${path}: 1 row has a z_err that is not a number in column 'z_err' (line 3); they are in the training set with z_err NaN: register the file (tsm register, or the app's Catalogs page) to leave them out`,
    ]);
    const zErr: unknown[] = [];
    for (const pixel of source.catalog.partitions) {
      zErr.push(...(await source.catalog.readPartition(pixel)).getChild('z_err')!);
    }
    // row 2's text and row 3's empty z_err (missing) are both NaN
    expect(zErr.map(String).sort()).toEqual(['0.01', '0.02', 'NaN', 'NaN']);
  });
});

describe('speczFromFile: rows named as tsm register names them', () => {
  // the run's warnings said "row 2" where tsm register's report (and the Catalogs page) said
  // "line 5" for the same row of a CSV file; a column named as its role read "a z_err z_err"
  const columns = {
    ra: 'ra',
    dec: 'dec',
    z: 'z',
    id: null,
    zErr: 'z_err',
    zFlag: null,
    survey: null,
    instrumentType: null,
  };
  const partitions = [{ order: 0, pixel: 4 }];

  it("names a text file's rows by their lines (comments and blank lines counted), as register does", async () => {
    const path = join(dir, 'lines.csv');
    await writeFile(
      path,
      '# a comment\nra,dec,z,z_err\n10,10,0.5,0.01\n\n# another\n11,10,-0.6,abc\n12,10,0.7,n/a\n',
    );
    const source = await speczFromFile(path, columns, { partitions } as unknown as PixelCatalog);
    expect(source.notes).toEqual([
      `${path}: 2 rows have a z_err that is not a number in column 'z_err' (lines 6, 7); they are in the training set with z_err NaN: register the file (tsm register, or the app's Catalogs page) to leave them out`,
      `${path}: 1 row has a redshift that is negative, infinite or no number in column 'z' (line 6); they are in the training set as they are: register the file (tsm register, or the app's Catalogs page) to leave them out`,
    ]);
    const report = await validateSpeczCatalog(path, {
      mapping: { ra: 'ra', dec: 'dec', z: 'z', zErr: 'z_err' },
    });
    expect(report.rowLabel).toBe('line');
    expect(report.reasons).toEqual([
      { reason: 'z negative', count: 1, first: [6] },
      { reason: 'z_err not numeric', count: 1, first: [7] },
    ]);
  });

  it("names a Parquet table's rows by their rows", async () => {
    const path = join(dir, 'rows.parquet');
    await writeFile(
      path,
      await tableToParquetBytes(
        tableFromArrays({
          ra: Float64Array.from([10, 11, 12]),
          dec: Float64Array.from([10, 10, 10]),
          z: Float64Array.from([0.5, -0.6, 0.7]),
          z_err: ['0.01', 'abc', 'n/a'],
        }),
      ),
    );
    const source = await speczFromFile(path, columns, { partitions } as unknown as PixelCatalog);
    expect(source.notes).toEqual([
      `${path}: 2 rows have a z_err that is not a number in column 'z_err' (rows 2, 3); they are in the training set with z_err NaN: register the file (tsm register, or the app's Catalogs page) to leave them out`,
      `${path}: 1 row has a redshift that is negative, infinite or no number in column 'z' (row 2); they are in the training set as they are: register the file (tsm register, or the app's Catalogs page) to leave them out`,
    ]);
  });
});

describe('speczFromFile: a z or z_err that is text in a later batch', () => {
  // the run stopped ("line 5: the z_err value does not fit the column's type") where the same
  // text in the first batch is kept with a warning
  const columns = speczMapping({ zErr: 'z_err' });
  const partitions = [{ order: 0, pixel: 4 }];
  const file =
    'ra,dec,z,z_err\n' +
    '10,10,0.5,0.01\n' + // row 1, line 2
    '11,10,0.6,0.03\n' + // row 2, line 3
    '12,10,0.7,\n' + // row 3, line 4
    '13,10,abc,abc\n' + // row 4, line 5
    '14,10,0.8,n/a\n'; // row 5, line 6
  const rowsOf = async (source: Awaited<ReturnType<typeof speczFromFile>>) => {
    const rows: [number, number, number][] = [];
    for (const pixel of source.catalog.partitions) {
      for (const r of await source.catalog.readPartition(pixel))
        rows.push([Number(r.ra), r.z, r.z_err]);
    }
    return rows.sort((a, b) => a[0] - b[0]);
  };

  it('keeps the rows with z and z_err NaN and warns, naming the rows, as for a first batch', async () => {
    const path = join(dir, 'zerr-later.csv');
    await writeFile(path, file);
    const later = await speczFromFile(
      path,
      columns,
      { partitions } as unknown as PixelCatalog,
      undefined,
      { batchRows: 2 },
    );
    const expected = [
      [10, 0.5, 0.01],
      [11, 0.6, 0.03],
      [12, 0.7, NaN],
      [13, NaN, NaN],
      [14, 0.8, NaN],
    ];
    expect(await rowsOf(later)).toEqual(expected);
    expect(later.notes).toEqual([
      `${path}: 2 rows have a z_err that is not a number in column 'z_err' (lines 5, 6); they are in the training set with z_err NaN: register the file (tsm register, or the app's Catalogs page) to leave them out`,
      `${path}: 1 row has a redshift that is negative, infinite or no number in column 'z' (line 5); they are in the training set as they are: register the file (tsm register, or the app's Catalogs page) to leave them out`,
    ]);
    // the same file read in one batch (the texts in the first batch): the same rows and words
    const first = await speczFromFile(path, columns, { partitions } as unknown as PixelCatalog);
    expect(await rowsOf(first)).toEqual(expected);
    expect(first.notes).toEqual(later.notes);
  });

  it('still stops at a ra or dec that is text, in a later batch as in the first, naming the row', async () => {
    // a later batch said "line 5: the ra value does not fit the column's type (read from the
    // first rows); fix the value and try again", the first "row 4 has no valid position"
    const path = join(dir, 'ra-later.csv');
    await writeFile(path, file.replace('13,10,abc,abc', 'abc,10,0.9,0.02'));
    const read = (batchRows?: number) =>
      speczFromFile(path, columns, { partitions } as unknown as PixelCatalog, undefined, {
        batchRows,
      });
    await expect(read(2)).rejects.toThrow(
      `${path}: line 5 has no valid ra: it is not a number, where the column's first rows are numbers; fix or remove it`,
    );
    await expect(read()).rejects.toThrow(
      `${path}: line 5 has no valid position (ra=NaN, dec=10); fix or remove it`,
    );
  });
});

describe('speczFromFile: a text id after integer ids (a later batch)', () => {
  // tsm run --specz FILE refused the whole file ("line 5: the id value does not fit the column's
  // type") where tsm register rejected lines 5 on; both now read the ids as text
  const columns = speczMapping({ id: 'id' });
  const mixed =
    'id,ra,dec,z\n' +
    '1,10.5,10.25,0.1\n' + // 2
    '2,20.5,-5.5,0.25\n' + // 3
    '3,30.5,5.5,0.3\n' + // 4
    'J1234+5678,40.5,1.5,0.4\n' + // 5
    '007,50.5,2.5,0.5\n'; // 6
  const partitions = [{ order: 0, pixel: 4 }];

  it('reads every id as text, as written, and says why, naming the line', async () => {
    const path = join(dir, 'mixed-ids.csv');
    await writeFile(path, mixed);
    const source = await speczFromFile(
      path,
      columns,
      { partitions } as unknown as PixelCatalog,
      undefined,
      { batchRows: 2 },
    );
    expect(source.rowsIn).toBe(5);
    expect(source.notes).toEqual([
      `${path}: the ids in column 'id' are read as text (the first lines' ids are numbers, but line 5 has the id 'J1234+5678'); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line 5 and the ids stay integers.`,
    ]);
    const ids: unknown[] = [];
    for (const pixel of source.catalog.partitions) {
      const t = await source.catalog.readPartition(pixel);
      expect(t.getChild('id')!.type.typeId).toBe(Type.Utf8);
      ids.push(...t.getChild('id')!);
    }
    expect(ids.sort()).toEqual(['007', '1', '2', '3', 'J1234+5678']);
  });

  it('reads the file once: the integer ids read before the text become text, the progress goes on', async () => {
    // the file was read a second time with the ids as text, the progress back at 0
    const path = join(dir, 'mixed-ids-once.csv');
    await writeFile(path, mixed);
    const events: SpeczReadProgress[] = [];
    const notes: string[] = [];
    const table = await readSpeczTable(
      path,
      undefined,
      { batchRows: 2, ...following(events) },
      {
        numeric: ['ra', 'dec', 'z'],
        id: 'id',
        notes,
      },
    );
    expect(events.map((e) => e.rowsRead)).toEqual([2, 4, 5, 5]);
    expect(table.getChild('id')!.type.typeId).toBe(Type.Utf8);
    expect([...table.getChild('id')!]).toEqual(['1', '2', '3', 'J1234+5678', '007']);
    expect(notes).toEqual([
      `${path}: the ids in column 'id' are read as text (the first lines' ids are numbers, but line 5 has the id 'J1234+5678'); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line 5 and the ids stay integers.`,
    ]);
  });

  it("reads the file again when an id before the text is not written plainly ('007'), saying why", async () => {
    const path = join(dir, 'mixed-ids-again.csv');
    await writeFile(path, mixed.replace('\n2,', '\n002,'));
    const events: SpeczReadProgress[] = [];
    const table = await readSpeczTable(
      path,
      undefined,
      { batchRows: 2, ...following(events) },
      { numeric: ['ra', 'dec', 'z'], id: 'id' },
    );
    expect([...table.getChild('id')!]).toEqual(['1', '002', '3', 'J1234+5678', '007']);
    const why =
      "the ids in column 'id' are mixed integer and text (line 5): reading the file again with them as text";
    expect(events.map((e) => [e.rowsRead, e.again])).toEqual([
      [2, undefined],
      [2, why],
      [2, why],
      [4, why],
      [5, why],
      [5, why],
    ]);
    const fractions = events.map((e) => e.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('ids turned text in memory and a flag read again as text: both as written, both said', async () => {
    const path = join(dir, 'mixed-ids-and-flag.csv');
    await writeFile(
      path,
      'id,ra,dec,z,z_flag\n' +
        '1,10.5,10.25,0.1,3.0\n' + // 2
        '2,20.5,-5.5,0.25,4.0\n' + // 3
        'J1,30.5,5.5,0.3,3.0\n' + // 4
        '4,40.5,1.5,0.4,A\n', // 5
    );
    const notes: string[] = [];
    const table = await readSpeczTable(
      path,
      undefined,
      { batchRows: 2 },
      { numeric: ['ra', 'dec', 'z'], id: 'id', notes },
    );
    expect([...table.getChild('id')!]).toEqual(['1', '2', 'J1', '4']);
    expect([...table.getChild('z_flag')!]).toEqual(['3.0', '4.0', '3.0', 'A']);
    expect(notes).toEqual([
      `${path}: column 'z_flag' is read as text (its first lines hold numbers, but line 5 has 'A'), so every value keeps its text as written. If that value is a mistake, fix line 5 and the column stays numeric.`,
      `${path}: the ids in column 'id' are read as text (the first lines' ids are numbers, but line 4 has the id 'J1'); ids are labels, so every id keeps its text as written and the catalog's id column is text. If that id is a mistake, fix line 4 and the ids stay integers.`,
    ]);
  });

  it('keeps integer ids int64 when every id is an integer, and still stops at a bad z', async () => {
    const path = join(dir, 'int-ids.csv');
    await writeFile(path, mixed.replace('J1234+5678', '4'));
    const table = await readSpeczTable(
      path,
      undefined,
      { batchRows: 2 },
      { numeric: ['ra', 'dec', 'z'], id: 'id' },
    );
    expect(table.getChild('id')!.type.typeId).toBe(Type.Int);
    expect([...table.getChild('id')!]).toEqual([1n, 2n, 3n, 4n, 7n]);
    const badZ = join(dir, 'bad-z.csv');
    await writeFile(badZ, mixed.replace('J1234+5678', '4').replace('0.4', 'abc'));
    await expect(
      readSpeczTable(badZ, undefined, { batchRows: 2 }, { numeric: ['ra', 'dec', 'z'], id: 'id' }),
    ).rejects.toThrow(`${badZ}: line 5 has no valid z: it is not a number`);
  });

  it('reads another column with text after numbers as text too, saying so (the run refused the file)', async () => {
    const path = join(dir, 'mixed-flag.csv');
    await writeFile(
      path,
      'id,ra,dec,z,z_flag,note\n' +
        '1,10.5,10.25,0.1,3,5\n' + // 2
        '2,20.5,-5.5,0.25,4,6\n' + // 3
        '3,30.5,5.5,0.3,A,7\n' + // 4
        '4,40.5,1.5,0.4,3,bad\n', // 5
    );
    const source = await speczFromFile(
      path,
      { ...columns, zFlag: 'z_flag' },
      { partitions } as unknown as PixelCatalog,
      undefined,
      { batchRows: 2 },
    );
    expect(source.notes).toEqual([
      `${path}: column 'z_flag' is read as text (its first lines hold numbers, but line 4 has 'A'), so every value keeps its text as written. If that value is a mistake, fix line 4 and the column stays numeric.`,
      `${path}: column 'note' is read as text (its first lines hold numbers, but line 5 has 'bad'), so every value keeps its text as written. If that value is a mistake, fix line 5 and the column stays numeric.`,
    ]);
    const rows: Record<string, unknown>[] = [];
    for (const pixel of source.catalog.partitions) {
      const t = await source.catalog.readPartition(pixel);
      for (const r of t) rows.push({ id: r.id, z_flag: r.z_flag, note: r.note });
    }
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows).toEqual([
      { id: 1n, z_flag: '3', note: '5' },
      { id: 2n, z_flag: '4', note: '6' },
      { id: 3n, z_flag: 'A', note: '7' },
      { id: 4n, z_flag: '3', note: 'bad' },
    ]);
  });
});

describe('openSpecz: a registered catalog id that is not there', () => {
  const columns = { ra: 'ra', dec: 'dec', z: 'z' } as Parameters<typeof openSpecz>[1];
  const open = (path: string) => openSpecz(path, columns, {} as PixelCatalog, true);

  it("names the folder of the app's catalog given by its name ('My spec-z' is My_spec-z)", async () => {
    const catalogs = await mkdtemp(join(tmpdir(), 'tsm-specz-id-'));
    try {
      for (const id of ['My_spec-z', 'other', 'x.partial', '.x.old-1234']) {
        await mkdir(join(catalogs, id));
      }
      await expect(open(join(catalogs, 'My spec-z'))).rejects.toThrow(
        `${join(catalogs, 'My spec-z')}: no registered spec-z catalog there (deleted, or another data folder?): register the file again (the app's Catalogs page, or tsm register <file> --name <id> with the same --data-dir), or choose another spec-z catalog. A catalog named 'My spec-z' is stored as 'My_spec-z', its id: --specz-id My_spec-z (the app's catalog page shows it)`,
      );
      await expect(open(join(catalogs, 'nope'))).rejects.toThrow(
        `or choose another spec-z catalog. The catalogs in ${catalogs}: My_spec-z, other`,
      );
    } finally {
      await rm(catalogs, { recursive: true, force: true });
    }
  });
});
