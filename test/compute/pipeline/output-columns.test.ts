import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, RecordBatch, Schema, Table, tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  earlyOutput,
  finalBatch,
  speczOutputName,
  trainingFlagColumn,
  unsuffixSpecz,
} from '../../../compute/pipeline/output-columns';
import { DUST_MAP_METADATA } from '../../../compute/photometry/apply-photometry';
import {
  createProgressPrinter,
  formatBytes,
  formatDuration,
  progressLine,
} from '../../../compute/pipeline/progress-printer';
import { StreamingSpill } from '../../../compute/pipeline/spill';

describe('unsuffixSpecz', () => {
  it('removes _specz where the bare name is free (tsm-run step 10)', () => {
    // tsm-domain.md §4.3: spec-z ra,dec,z,id; photometry id,ra,dec,mag_g
    const names = [
      'ra_specz',
      'dec_specz',
      'z_specz',
      'id_specz',
      'id',
      'ra',
      'dec',
      'mag_g',
      '_dist_arcsec',
    ];
    const map = unsuffixSpecz(names);
    expect(names.map((n) => map.get(n))).toEqual([
      'ra_specz',
      'dec_specz',
      'z',
      'id_specz',
      'id',
      'ra',
      'dec',
      'mag_g',
      '_dist_arcsec',
    ]);
    expect(speczOutputName('z', names)).toBe('z');
    expect(speczOutputName('ra', names)).toBe('ra_specz');
    expect(unsuffixSpecz(['_specz']).get('_specz')).toBe('_specz');
  });
});

/** Three crossmatched rows as a pixel task gives them (spec-z suffix, distance, photometry). */
const CROSSMATCHED = tableFromArrays({
  z_specz: Float64Array.of(0.1, 0.2, 0.3),
  _dist_arcsec: Float64Array.of(0.5, 0.1, 0.2),
  mag_g: Float64Array.of(20, 21, 22),
  ebv: Float64Array.of(0.01, 0.02, 0.03),
});

describe('finalBatch', () => {
  it('keeps the rows not dropped, adds the flags and puts ebv and _dist_arcsec last', () => {
    const t = CROSSMATCHED;
    // rows 10..12 of the run: the middle one dropped
    const status = new Uint8Array(13);
    const isTrainingSet = new Uint8Array(13);
    status.set([1, 0, 2], 10);
    isTrainingSet.set([1, 0, 0], 10);
    const out = finalBatch(t, 10, { status, isTrainingSet }, true);
    expect(out.schema.fields.map((f) => f.name)).toEqual([
      'z',
      'mag_g',
      'ebv',
      '_dist_arcsec',
      'tie_result',
      'is_training_set',
    ]);
    expect(Array.from(out.getChild('z')!.toArray())).toEqual([0.1, 0.3]);
    expect(Array.from(out.getChild('tie_result')!.toArray())).toEqual([1, 2]);
    expect(Array.from(out.getChild('is_training_set')!.toArray())).toEqual([1, 0]);
    expect(finalBatch(t, 10, { status, isTrainingSet }, false).getChild('tie_result')).toBeNull();
    // every row kept: the table's own rows, flags from the run's rows 10..12
    status[11] = 3;
    isTrainingSet[11] = 1;
    const all = finalBatch(t, 10, { status, isTrainingSet }, true);
    expect(Array.from(all.getChild('z')!.toArray())).toEqual([0.1, 0.2, 0.3]);
    expect(Array.from(all.getChild('tie_result')!.toArray())).toEqual([1, 3, 2]);
    expect(Array.from(all.getChild('is_training_set')!.toArray())).toEqual([1, 1, 0]);
  });
});

describe('the ebv column', () => {
  // a DP1 catalog has its own ebv, before its fluxes
  const plain = tableFromArrays({
    ebv: Float32Array.of(0.05, 0.06),
    z_specz: Float64Array.of(0.1, 0.2),
    _dist_arcsec: Float64Array.of(0.5, 0.1),
    mag_g: Float64Array.of(20, 21),
  });
  const withMap = (t: Table) => {
    const fields = t.schema.fields.map((f) =>
      f.name === 'ebv'
        ? new Field(f.name, f.type, f.nullable, new Map([[DUST_MAP_METADATA, 'sfd']]))
        : f,
    );
    const schema = new Schema(fields);
    return new Table(t.batches.map((b) => new RecordBatch(schema, b.data)));
  };

  it("goes last when it is the E(B-V) the photometry step used; a catalog's own stays in place", () => {
    expect(earlyOutput(withMap(plain)).schema.fields.map((f) => f.name)).toEqual([
      'z',
      'mag_g',
      'ebv',
      '_dist_arcsec',
    ]);
    // no dust map: the catalog's ebv (moved last, it read as the E(B-V) used)
    expect(earlyOutput(plain).schema.fields.map((f) => f.name)).toEqual([
      'ebv',
      'z',
      'mag_g',
      '_dist_arcsec',
    ]);
  });
});

describe('earlyOutput and trainingFlagColumn', () => {
  const t = CROSSMATCHED;
  const status = new Uint8Array(13).fill(1);
  const isTrainingSet = new Uint8Array(13);
  isTrainingSet.set([1, 0, 1], 10);

  it('earlyOutput is finalBatch without the decisions’ column, when every row is kept', () => {
    const all = finalBatch(t, 10, { status, isTrainingSet }, false);
    const e = earlyOutput(t);
    expect(e.schema.fields.map((f) => f.name)).toEqual(['z', 'mag_g', 'ebv', '_dist_arcsec']);
    expect(e.schema.fields.every((f) => f.nullable)).toBe(true);
    for (const f of e.schema.fields) {
      expect(Array.from(e.getChild(f.name)!.toArray())).toEqual(
        Array.from(all.getChild(f.name)!.toArray()),
      );
    }
  });

  it('trainingFlagColumn gives the run’s flags from an offset, cut into the asked batches', () => {
    const flags = new Uint8Array(9);
    flags.set([1, 1, 0, 0, 1, 0, 1, 1, 0]);
    const col = trainingFlagColumn({ isTrainingSet: flags }, 2, [3, 1, 2]);
    expect(col.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'is_training_set: Int32',
    ]);
    expect(col.batches.map((b) => b.numRows)).toEqual([3, 1, 2]);
    expect(Array.from(col.getChild('is_training_set')!.toArray())).toEqual([0, 0, 1, 0, 1, 1]);
    const fromFinal = finalBatch(t, 10, { status, isTrainingSet }, false);
    expect(
      Array.from(
        trainingFlagColumn({ isTrainingSet }, 10, [3]).getChild('is_training_set')!.toArray(),
      ),
    ).toEqual(Array.from(fromFinal.getChild('is_training_set')!.toArray()));
  });
});

describe('StreamingSpill', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-spill-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives back the appended non-empty tables in order and removes its file', async () => {
    const spill = new StreamingSpill(join(dir, 'rows.partial'));
    await spill.append(tableFromArrays({ a: Float64Array.of(1, 2), s: ['x', 'y'] }));
    await spill.append(tableFromArrays({ a: new Float64Array(0), s: [] as string[] }));
    await spill.append(tableFromArrays({ a: Float64Array.of(3), s: ['z'] }));
    await spill.finish();
    expect(spill.tableRows).toEqual([2, 0, 1]);
    const got: unknown[] = [];
    for await (const t of spill.tables()) got.push(t.toArray().map((r) => r.toJSON()));
    expect(got).toEqual([
      [
        { a: 1, s: 'x' },
        { a: 2, s: 'y' },
      ],
      [{ a: 3, s: 'z' }],
    ]);
    await spill.remove();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('progress printer', () => {
  const p = {
    stage: 'crossmatch' as const,
    pixelsDone: 3,
    pixelsTotal: 12,
    rowsMatched: 12345,
    bytesRead: 2_500_000,
    elapsedMs: 75_000,
    etaMs: 225_000,
  };

  it('formats sizes and durations', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(2_500_000), formatBytes(3.2e9)]).toEqual([
      '0 B',
      '999 B',
      '2.5 MB',
      '3.2 GB',
    ]);
    expect([formatDuration(75_000), formatDuration(3_725_000)]).toEqual(['01:15', '1:02:05']);
  });

  it('draws pixels, rows, bytes, elapsed and ETA', () => {
    expect(progressLine(p, 8)).toBe(
      'crossmatch      [##......] 3/12 pixels  12,345 rows matched  2.5 MB read  01:15 elapsed  ETA 03:45',
    );
  });

  it('writes one JSON object per event in json mode', () => {
    const out: string[] = [];
    const printer = createProgressPrinter('json', (t) => out.push(t));
    printer(p);
    printer({ ...p, stage: 'done' });
    expect(out.map((l) => JSON.parse(l).stage)).toEqual(['crossmatch', 'done']);
  });

  it('writes stage lines in lines mode; a failure as the stage it stopped in and when (its message is the error line)', () => {
    const out: string[] = [];
    const printer = createProgressPrinter('lines', (t) => out.push(t));
    printer({ ...p, stage: 'resolve', message: 'Opening the catalogs' });
    printer({ ...p, stage: 'resolve' }); // a heartbeat: nothing new to say
    printer({ ...p, stage: 'resolve', message: 'The server is slow or failing: 1 retry so far' });
    printer({ ...p, stage: 'resolve', message: 'The server is slow or failing: 1 retry so far' });
    printer(p);
    printer({ ...p, stage: 'failed', message: 'Dust map sfd needs SFD_dust_4096_ngp.fits' });
    expect(out).toEqual([
      'resolve: Opening the catalogs\n',
      'resolve: The server is slow or failing: 1 retry so far\n',
      'crossmatch: 3/12 pixels, 12,345 rows matched, 2.5 MB read, ETA 03:45\n',
      'failed in the crossmatch stage after 01:15; the reason follows\n',
    ]);
  });

  it('rewrites one line in bar mode and ends it', () => {
    const out: string[] = [];
    const printer = createProgressPrinter('bar', (t) => out.push(t), 0);
    printer(p);
    printer.end();
    expect(out[0].startsWith('\r')).toBe(true);
    expect(out.at(-1)).toBe('\n');
  });
});

describe('DecisionKeys', () => {
  it('reads null flags and ids as missing, not as 0', async () => {
    const { DecisionKeys } = await import('../../../compute/pipeline/decisions');
    const { Table, makeVector, vectorFromArray, Int32 } = await import('apache-arrow');
    const t = new Table({
      id_specz: vectorFromArray(['a', 'b'], undefined),
      ra_specz: makeVector(Float64Array.of(1, 1)),
      dec_specz: makeVector(Float64Array.of(2, 2)),
      z_specz: makeVector(Float64Array.of(0.5, 0.9)),
      q_specz: vectorFromArray([null, 0], new Int32()),
      objectId: makeVector(BigInt64Array.of(7n, 7n)),
      ra: makeVector(Float64Array.of(1, 1)),
      dec: makeVector(Float64Array.of(2, 2)),
      _dist_arcsec: makeVector(Float64Array.of(0.1, 0.2)),
    });
    const keys = new DecisionKeys({
      speczId: 'id_specz',
      speczRa: 'ra_specz',
      speczDec: 'dec_specz',
      z: 'z_specz',
      zFlag: 'q_specz',
      instrumentType: null,
      photometricId: 'objectId',
      photometricRa: 'ra',
      photometricDec: 'dec',
      dist: '_dist_arcsec',
    });
    keys.add(t);
    expect(keys.zFlags()).toEqual([null, 0]);
    // flag 0 beats a missing flag (CRC: NaN ranks lowest), so row 1 is kept
    const d = keys.decide({
      uniqueGalaxies: true,
      oneToOne: false,
      split: { method: 'random', trainFraction: 0.5, seed: 1 },
    });
    expect(Array.from(d.status)).toEqual([0, 1]);
    expect(d.rowsOut).toBe(1);
  });
});
