/**
 * End to end on each survey fixture (LSST DP0.2, LSST DP1, DES DR2 catalogs from
 * compute/demo/surveys): row counts and pairs against a brute-force nearest-neighbour oracle,
 * columns, magnitudes from the raw fluxes, E(B-V) against NED's SFD values (shared/fixtures
 * README) on the real SFD cutout, unique galaxies by the rules, and identical output for the
 * same seed whatever the worker count.
 */
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, type GeneratedCatalog } from '../../../compute/demo/surveys';
import { openHats } from '../../../compute/hats/open';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject, type Project } from '../../../compute/pipeline/project';
import { runTrainingSet, type RunResult } from '../../../compute/pipeline/run';
import { DUST } from '../../fixtures';
import { sepArcsec } from '../../helpers/separation';

type Row = Record<string, unknown>;
const rowsOf = (t: Table): Row[] => t.toArray().map((r) => ({ ...(r.toJSON() as Row) }));

/** NED's SFD E(B-V) (A_V / 2.742) at two positions, tolerance 0.001 (shared/fixtures/README.md). */
const NED = [
  { ra: 204.1747, dec: -29.960283, ebv: 0.077315 },
  { ra: 205.40142, dec: -33.098216, ebv: 0.0539752 },
];
const CUTOUT = join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits');
/** R_b = A_b / E(B-V) (tsm-domain.md §2.3). */
const R: Record<string, Record<string, number>> = {
  lsst: { u: 4.81, g: 3.64, r: 2.7, i: 2.06, z: 1.58, y: 1.31 },
  des: { g: 3.186, r: 2.14, i: 1.569, z: 1.196, y: 1.048 },
};

/** Great-circle distance in arcsec (haversine). */

interface Specz {
  id: string[];
  ra: number[];
  dec: number[];
  z: number[];
  flag: number[];
}

/** 40 random spec-z in the cutout, each NED position 3 times (0.01" apart, flags 4/3/2). */
function makeSpecz(): Specz {
  const s: Specz = { id: [], ra: [], dec: [], z: [], flag: [] };
  let seed = 99;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 40; i++) {
    s.id.push(`s${i}`);
    s.ra.push(204.0 + 1.5 * rand());
    s.dec.push(-31.9 + 2.0 * rand());
    s.z.push(Math.round(rand() * 1500) / 1000);
    s.flag.push(rand() < 0.5 ? 3 : 4);
  }
  NED.forEach((p, k) => {
    for (let j = 0; j < 3; j++) {
      s.id.push(`ned${k}${'abc'[j]}`);
      s.ra.push(p.ra + (j * 0.01) / 3600);
      s.dec.push(p.dec);
      s.z.push(0.3 + k * 0.1 + j * 0.0002);
      s.flag.push(4 - j);
    }
  });
  return s;
}

async function catalogRows(path: string): Promise<Row[]> {
  const opened = await openHats(path);
  const catalog = opened.kind === 'collection' ? opened.main : opened;
  const out: Row[] = [];
  for (const p of catalog.partitions) out.push(...rowsOf(await catalog.readPartition(p)));
  return out;
}

/** Brute force: for each spec-z, the nearest object closer than 1". */
function oracle(specz: Specz, objects: Row[], ra: string, dec: string, id: string) {
  const pairs = new Map<string, { obj: string; dist: number }>();
  specz.id.forEach((sid, i) => {
    let best: { obj: string; dist: number } | null = null;
    for (const o of objects) {
      const d = sepArcsec(specz.ra[i], specz.dec[i], Number(o[ra]), Number(o[dec]));
      if (d < 1 && (!best || d < best.dist)) best = { obj: String(o[id]), dist: d };
    }
    if (best) pairs.set(sid, best);
  });
  return pairs;
}

const SURVEY = {
  'lsst-dp02': {
    ra: 'coord_ra',
    dec: 'coord_dec',
    id: 'objectId',
    flux: (b: string) => `${b}_cModelFlux`,
    ft: 'cmodel',
    zp: 31.4,
    r: R.lsst,
  },
  'lsst-dp1': {
    ra: 'coord_ra',
    dec: 'coord_dec',
    id: 'objectId',
    flux: (b: string) => `${b}_cModelFlux`,
    ft: 'cmodel',
    zp: 31.4,
    r: R.lsst,
  },
  'des-dr2': {
    ra: 'RA',
    dec: 'DEC',
    id: 'COADD_OBJECT_ID',
    flux: (b: string) => `FLUX_AUTO_${b.toUpperCase()}`,
    ft: 'auto',
    zp: 30,
    r: R.des,
  },
} as const;

describe('runTrainingSet on the survey fixtures', () => {
  let dir: string;
  let catalogs: GeneratedCatalog[];
  let speczFile: string;
  const specz = makeSpecz();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-surveys-'));
    speczFile = join(dir, 'specz.parquet');
    await writeFile(
      speczFile,
      tableToParquetBytes(
        tableFromArrays({
          id: specz.id,
          ra: Float64Array.from(specz.ra),
          dec: Float64Array.from(specz.dec),
          z: Float64Array.from(specz.z),
          z_flag: Int32Array.from(specz.flag),
        }),
      ),
    );
    catalogs = await generateSurveyCatalogs(join(dir, 'catalogs'), {
      seed: 7,
      specz: { raDeg: specz.ra, decDeg: specz.dec },
      rows: 160,
    });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const project = (cat: GeneratedCatalog, folder: string, unique: boolean): Project =>
    parseProject(
      {
        version: 1,
        name: `${cat.survey} ${unique ? 'unique' : 'all'}`,
        specz: { path: speczFile, columns: { id: 'id', zFlag: 'z_flag' } },
        photometry: { location: cat.path, dereddening: { map: CUTOUT } },
        uniqueGalaxies: { enabled: unique },
        split: { seed: 11 },
        output: { folder: join(dir, folder) },
      },
      'test',
    );

  for (const survey of Object.keys(SURVEY) as (keyof typeof SURVEY)[]) {
    it(`${survey}: pairs, columns, magnitudes and E(B-V) are right`, async () => {
      const s = SURVEY[survey];
      const cat = catalogs.find((c) => c.survey === survey)!;
      let objects = await catalogRows(cat.path);
      if (survey === 'lsst-dp02') objects = objects.filter((o) => o.detect_isPrimary === true);
      const expected = oracle(specz, objects, s.ra, s.dec, s.id);
      const result: RunResult = await runTrainingSet(project(cat, `${survey}-all`, false), {
        workers: 0,
      });
      const out = await readParquetFile(result.outputPath);
      const rows = rowsOf(out);
      expect(rows).toHaveLength(expected.size);
      // only partitions overlapping the spec-z footprint are read
      const opened = await openHats(cat.path);
      const main = opened.kind === 'collection' ? opened.main : opened;
      const near = main.partitions.filter((p) => p.order >= 0).length;
      expect(result.pixels).toBeGreaterThan(0);
      expect(result.pixels).toBeLessThan(near);
      expect(result.counts.matchedSpecz).toBe(expected.size);
      expect(result.counts.unmatchedSpecz).toBe(specz.id.length - expected.size);
      for (const r of rows) {
        const e = expected.get(String(r.id))!;
        expect(String(r[s.id])).toBe(e.obj);
        expect(Number(r._dist_arcsec)).toBeCloseTo(e.dist, 6);
      }
      const names = out.schema.fields.map((f) => f.name);
      expect(names.slice(0, 6)).toEqual(['_healpix_29', 'id', 'ra', 'dec', 'z', 'z_flag']);
      expect(names.slice(-3)).toEqual(['ebv', '_dist_arcsec', 'is_training_set']);
      const nondetected: Record<string, number> = {};
      for (const [band, rb] of Object.entries(s.r)) {
        nondetected[band] = rows.filter((r) => !(Number(r[s.flux(band)]) > 0)).length;
        for (const c of [
          `mag_${s.ft}_${band}`,
          `magerr_${s.ft}_${band}`,
          `mag_dered_${s.ft}_${band}`,
        ])
          expect(names).toContain(c);
        for (const r of rows) {
          const f = Number(r[s.flux(band)]);
          const err = Number(r[`${s.flux(band)}Err`] ?? r[`FLUXERR_AUTO_${band.toUpperCase()}`]);
          const mag = Number(r[`mag_${s.ft}_${band}`]);
          if (!(f > 0)) {
            expect(mag).toBeNaN();
            continue;
          }
          expect(mag).toBeCloseTo(s.zp - 2.5 * Math.log10(f), 9);
          expect(Number(r[`magerr_${s.ft}_${band}`])).toBeCloseTo(((2.5 / Math.LN10) * err) / f, 9);
          expect(Number(r[`mag_dered_${s.ft}_${band}`])).toBeCloseTo(mag - rb * Number(r.ebv), 9);
        }
      }
      // run.json counts the non-detections per band: fluxes <= 0, NaN or null among the rows
      const record = JSON.parse(await readFile(result.runJsonPath, 'utf8'));
      expect(record.photometry.nondetections).toEqual(nondetected);
      expect(Object.values(nondetected).some((n) => n > 0)).toBe(true);
      let nedChecked = 0;
      for (const r of rows) {
        const ebv = Number(r.ebv);
        expect(ebv).toBeGreaterThan(0.02);
        expect(ebv).toBeLessThan(0.2);
        const k = String(r.id).startsWith('ned') ? Number(String(r.id)[3]) : -1;
        if (k >= 0) {
          expect(Math.abs(ebv - NED[k].ebv)).toBeLessThan(0.001);
          nedChecked++;
        }
      }
      expect(nedChecked).toBeGreaterThan(0);
    }, 60_000);

    it(`${survey}: unique galaxies keep the best flag per object`, async () => {
      const cat = catalogs.find((c) => c.survey === survey)!;
      const all = rowsOf(
        await readParquetFile(
          (await runTrainingSet(project(cat, `${survey}-u0`, false), { workers: 0 })).outputPath,
        ),
      );
      const result = await runTrainingSet(project(cat, `${survey}-u1`, true), { workers: 0 });
      const kept = rowsOf(await readParquetFile(result.outputPath));
      const s = SURVEY[survey];
      // independent rule for this data: per object, the highest z_flag (no ties by construction)
      const best = new Map<string, Row>();
      for (const r of all) {
        const o = String(r[s.id]);
        const b = best.get(o);
        expect(b === undefined || b.z_flag !== r.z_flag).toBe(true);
        if (!b || Number(r.z_flag) > Number(b.z_flag)) best.set(o, r);
      }
      expect(kept.map((r) => r.id).sort()).toEqual([...best.values()].map((r) => r.id).sort());
      expect(new Set(kept.map((r) => r.tie_result))).toEqual(new Set([1]));
      expect(result.uniqueGalaxies!.dropped).toBe(all.length - kept.length);
      expect(result.uniqueGalaxies!.dropped).toBeGreaterThan(0);
    }, 60_000);
  }

  it('left join: an unmatched spec-z row has null magnitudes and ebv, not NaN (a non-detection)', async () => {
    const cat = catalogs.find((c) => c.survey === 'des-dr2')!;
    const s = SURVEY['des-dr2'];
    const inner = await runTrainingSet(project(cat, 'join-inner', false), { workers: 0 });
    const leftProject = (folder: string): Project => {
      const base = project(cat, folder, false);
      return { ...base, crossmatch: { ...base.crossmatch, join: 'left' } };
    };
    const innerRows = rowsOf(await readParquetFile(inner.outputPath));
    const added = Object.keys(innerRows[0]).filter((c) => /^(mag_|magerr_|ebv$)/.test(c));
    expect(added).toHaveLength(3 * Object.keys(s.r).length + 1);
    for (const workers of [0, 2]) {
      const left = await runTrainingSet(leftProject(`join-left-${workers}`), { workers });
      const rows = rowsOf(await readParquetFile(left.outputPath));
      const unmatched = rows.filter((r) => r._dist_arcsec === null);
      expect(rows).toHaveLength(specz.id.length);
      expect(unmatched).toHaveLength(specz.id.length - innerRows.length);
      for (const c of [...added, s.id, s.flux('g')])
        expect(
          unmatched.map((r) => r[c]),
          c,
        ).toEqual(unmatched.map(() => null));
      // the matched rows carry the inner join's values, non-detections still NaN
      const byId = new Map(rows.map((r) => [String(r.id), r]));
      for (const r of innerRows)
        for (const c of added) expect(byId.get(String(r.id))![c], c).toEqual(r[c]);
      const record = (p: string) => readFile(p, 'utf8').then((t) => JSON.parse(t).photometry);
      expect((await record(left.runJsonPath)).nondetections).toEqual(
        (await record(inner.runJsonPath)).nondetections,
      );
    }
  }, 60_000);

  it('warns about z_flag values and instrument types unique galaxies cannot rank, and a one-sided split', async () => {
    const cat = catalogs.find((c) => c.survey === 'des-dr2')!;
    // three spec-z rows on NED position 0's object: a confidence 0.999 in a column of CRC flags
    // (not on the scale: missing), a flag 3 of type 'spectroscopic' (not s/g/p: unknown) and a
    // flag 3 of type 'p'; and one on NED position 1's object
    const file = join(dir, 'odd-flags.parquet');
    const p = NED[0];
    await writeFile(
      file,
      tableToParquetBytes(
        tableFromArrays({
          id: ['conf', 'spec', 'phot', 'other'],
          ra: Float64Array.from([p.ra, p.ra + 0.01 / 3600, p.ra + 0.02 / 3600, NED[1].ra]),
          dec: Float64Array.from([p.dec, p.dec, p.dec, NED[1].dec]),
          z: Float64Array.from([0.3, 0.3005, 0.31, 0.4]),
          z_flag: Float64Array.from([0.999, 3, 3, 4]),
          type: ['s', 'spectroscopic', 'p', 's'],
        }),
      ),
    );
    const base = project(cat, 'odd-flags', true);
    const result = await runTrainingSet(
      {
        ...base,
        specz: {
          ...base.specz,
          path: file,
          columns: { ...base.specz.columns, instrumentType: 'type' },
        },
        split: { ...base.split, method: 'stratified', zBins: 2 },
      },
      { workers: 0 },
    );
    const rows = rowsOf(await readParquetFile(result.outputPath));
    // CRC: 'conf' has no flag (lowest), 'spec' and 'phot' flag 3; then type: p (1) beats unknown (0)
    expect(rows.map((r) => r.id).sort()).toEqual(['other', 'phot']);
    expect(result.warnings).toEqual([
      'z_flag: 1 row holds a value that is neither a flag of the CRC scale (0-4, 6) nor, as the whole column would need to be, a confidence in [0, 1]; unique galaxies ranked it as missing, the lowest.',
      "instrument type: 1 row holds a value other than s, g or p ('spectroscopic'); unique galaxies ranked it as unknown, below p (photometric).",
      // stratified, 2 bins of 1 group each: round(0.7 x 1) = 1 training group per bin
      'The split put every row in the training set: 2 groups of spec-z rows in 2 redshift bins are too few for a training fraction of 0.7 to give both sides rows; use fewer bins or more rows.',
    ]);
    expect(rows.every((r) => r.is_training_set === 1)).toBe(true);
  }, 60_000);

  it('stratified split: exact train fraction in each redshift bin; one-to-one keeps the nearest', async () => {
    const cat = catalogs.find((c) => c.survey === 'des-dr2')!;
    const base = project(cat, 'strat', false);
    const strat: Project = {
      ...base,
      uniqueGalaxies: { enabled: false, oneToOne: true },
      split: { ...base.split, method: 'stratified', zBins: 4 },
    };
    const result = await runTrainingSet(strat, { workers: 0 });
    const rows = rowsOf(await readParquetFile(result.outputPath));
    const all = rowsOf(
      await readParquetFile(
        (await runTrainingSet(project(cat, 'strat-all', false), { workers: 0 })).outputPath,
      ),
    );
    // one-to-one: each object once, and it is the nearest spec-z of that object
    const nearest = new Map<string, Row>();
    for (const r of all) {
      const b = nearest.get(String(r.COADD_OBJECT_ID));
      if (!b || Number(r._dist_arcsec) < Number(b._dist_arcsec))
        nearest.set(String(r.COADD_OBJECT_ID), r);
    }
    expect(rows.map((r) => r.id).sort()).toEqual([...nearest.values()].map((r) => r.id).sort());
    expect(result.oneToOneDropped).toBe(all.length - rows.length);
    // stratified: equal-count z bins, round(0.7 n) training rows in each
    const byZ = [...rows].sort((a, b) => Number(a.z) - Number(b.z));
    for (let b = 0; b < 4; b++) {
      const bin = byZ.slice(
        Math.floor((b * byZ.length) / 4),
        Math.floor(((b + 1) * byZ.length) / 4),
      );
      expect(bin.filter((r) => r.is_training_set === 1)).toHaveLength(Math.round(0.7 * bin.length));
    }
  }, 60_000);

  it('writes identical rows for the same seed with 0 or 2 workers', async () => {
    const cat = catalogs.find((c) => c.survey === 'lsst-dp1')!;
    const a = await runTrainingSet(project(cat, 'same-a', true), { workers: 0 });
    const b = await runTrainingSet(project(cat, 'same-b', true), { workers: 2 });
    expect(rowsOf(await readParquetFile(b.outputPath))).toEqual(
      rowsOf(await readParquetFile(a.outputPath)),
    );
  }, 60_000);

  // /proc/self/fd lists this process's open files (Linux only; elsewhere there is no such list).
  it.skipIf(process.platform !== 'linux')(
    'leaves no dust-map file open after runs in this thread and in workers',
    async () => {
      const openCutouts = async () => {
        const fds = await readdir('/proc/self/fd');
        const targets = await Promise.all(
          fds.map((fd) => readlink(join('/proc/self/fd', fd)).catch(() => '')),
        );
        return targets.filter((t) => t === CUTOUT).length;
      };
      const cat = catalogs.find((c) => c.survey === 'des-dr2')!;
      const before = await openCutouts();
      const a = await runTrainingSet(project(cat, 'fd-0', false), { workers: 0 });
      const b = await runTrainingSet(project(cat, 'fd-2', false), { workers: 2 });
      // the map was really read: E(B-V) values in the rows
      for (const r of [a, b]) {
        const rows = rowsOf(await readParquetFile(r.outputPath));
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((x) => Number(x.ebv) > 0.02)).toBe(true);
      }
      expect(await openCutouts()).toBe(before);
    },
    60_000,
  );
});
