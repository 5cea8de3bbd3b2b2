import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSurveyCatalogs,
  readSpeczPositions,
  type GeneratedCatalog,
} from '../../../compute/demo/surveys';
import { openObjectCatalog } from '../../../compute/hats';
import { applyPhotometry, applyQualityFilter } from '../../../compute/photometry/apply-photometry';
import { detectProfile } from '../../../compute/photometry/detect-profile';
import { openDustMap } from '../../../compute/photometry/dust-maps';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../../fixtures';
import { tempDir, testTempDir } from '../../helpers/temp-dir';

let out: string;
let catalogs: GeneratedCatalog[];

async function readAll(path: string) {
  const { catalog, margin } = await openObjectCatalog(path);
  const tables = await Promise.all(catalog.partitions.map((p) => catalog.readPartition(p)));
  const batches = tables.flatMap((t) => t.batches);
  return { catalog, margin, table: new Table(batches) };
}

beforeAll(async () => {
  out = tempDir('tsm-surveys-').dir;
  const specz = await readSpeczPositions(join(TSM_EXAMPLE, 'specz.parquet'));
  catalogs = await generateSurveyCatalogs(out, { seed: 42, specz });
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('generateSurveyCatalogs', () => {
  it('writes three HATS collections with margins, detected as their surveys', async () => {
    expect(catalogs.map((c) => c.survey)).toEqual(['lsst-dp02', 'lsst-dp1', 'des-dr2']);
    for (const c of catalogs) {
      const { catalog, margin, table } = await readAll(c.path);
      expect(table.numRows).toBe(c.rows);
      expect(c.rows).toBeGreaterThanOrEqual(300);
      expect(margin).toBeDefined();
      expect(margin!.properties.marginThresholdArcsec).toBe(10);
      const profile = detectProfile({
        columns: catalog.schema.fields.map((f) => f.name),
        obsCollection: catalog.properties.name,
      });
      expect(profile.id).toBe(c.survey);
      expect(catalog.schema.fields[0].name).toBe('_healpix_29');
    }
  });

  it('puts a counterpart within 0.4 arcsec of most example spec-z positions', async () => {
    const specz = await readSpeczPositions(join(TSM_EXAMPLE, 'specz.parquet'));
    const { table } = await readAll(catalogs[2].path);
    const ra = table.getChild('RA')!.toArray() as Float64Array;
    const dec = table.getChild('DEC')!.toArray() as Float64Array;
    let matched = 0;
    for (let k = 0; k < specz.raDeg.length; k++) {
      for (let i = 0; i < ra.length; i++) {
        const dra = (ra[i] - specz.raDeg[k]) * Math.cos((dec[i] * Math.PI) / 180);
        const sep = Math.hypot(dra, dec[i] - specz.decDeg[k]) * 3600;
        if (sep < 0.4 + 1e-6) {
          matched++;
          break;
        }
      }
    }
    const expectedMatches = Array.from(catalogs[2].counterpartOf).filter((k) => k >= 0).length;
    expect(matched).toBe(expectedMatches);
    expect(matched).toBeGreaterThan(0.8 * specz.raDeg.length);
  });

  it('is deterministic: the same seed gives byte-identical leaf files', async () => {
    const again = testTempDir('tsm-surveys-');
    const specz = await readSpeczPositions(join(TSM_EXAMPLE, 'specz.parquet'));
    await generateSurveyCatalogs(again, { seed: 42, specz });
    const leaf = (root: string) => {
      const dir = join(root, 'des_dr2', 'des_dr2', 'dataset');
      const norder = readdirSync(dir).find((d) => d.startsWith('Norder='))!;
      const sub = join(dir, norder, 'Dir=0');
      const file = readdirSync(sub).sort()[0];
      return readFileSync(join(sub, file));
    };
    expect(leaf(again)).toEqual(leaf(out));
  });

  it('DES: our magnitudes from FLUX_AUTO equal MAG_AUTO, and dereddening with the embedded map equals MAG_AUTO_DERED', async () => {
    const { catalog, table } = await readAll(catalogs[2].path);
    const profile = detectProfile({
      columns: catalog.schema.fields.map((f) => f.name),
      obsCollection: catalog.properties.name,
    });
    const dustMap = await openDustMap('sfd-lowres');
    const res = await applyPhotometry(table, profile, { fluxType: 'auto', dustMap, nondetect: 99 });
    const ours = res.table.getChild('mag_auto_i')!.toArray() as Float64Array;
    const theirs = table.getChild('MAG_AUTO_I')!.toArray() as Float32Array;
    const ourDered = res.table.getChild('mag_dered_auto_i')!.toArray() as Float64Array;
    const theirDered = table.getChild('MAG_AUTO_I_DERED')!.toArray() as Float32Array;
    const ebv = res.table.getChild('ebv')!.toArray() as Float64Array;
    const survey = table.getChild('EBV_SFD98')!.toArray() as Float32Array;
    let detections = 0;
    for (let i = 0; i < ours.length; i++) {
      expect(ebv[i]).toBeCloseTo(survey[i], 6);
      if (theirs[i] === 99) {
        expect(ours[i]).toBe(99);
        expect(ourDered[i]).toBe(99);
        continue;
      }
      detections++;
      expect(Math.abs(ours[i] - theirs[i])).toBeLessThan(1e-5);
      expect(Math.abs(ourDered[i] - theirDered[i])).toBeLessThan(1e-5);
    }
    expect(detections).toBeGreaterThan(200);
    expect(res.nondetectCounts.i).toBe(ours.length - detections);
    // Without a map, the survey's MAG_AUTO_*_DERED are carried (not dereddened again).
    const plain = await applyPhotometry(table, profile, { fluxType: 'auto', nondetect: 99 });
    expect(plain.dereddening).toBe('survey');
    expect(plain.table.getChild('ebv')).toBeNull();
    const carried = plain.table.getChild('mag_dered_auto_i')!.toArray() as Float64Array;
    for (let i = 0; i < carried.length; i++) {
      if (Math.abs(theirDered[i]) < 90) expect(carried[i]).toBeCloseTo(theirDered[i], 5);
      else expect(carried[i]).toBe(99);
    }
  });

  it('DP0.2: the quality filter drops the non-primary rows; DP1 cModel magnitudes have NaN for nulls', async () => {
    const dp02 = await readAll(catalogs[0].path);
    const profile = detectProfile({ columns: dp02.catalog.schema.fields.map((f) => f.name) });
    const kept = applyQualityFilter(dp02.table, profile);
    const primary = dp02.table.getChild('detect_isPrimary')!;
    let nPrimary = 0;
    for (let i = 0; i < primary.length; i++) if (primary.get(i) === true) nPrimary++;
    expect(kept.numRows).toBe(nPrimary);
    expect(kept.numRows).toBeLessThan(dp02.table.numRows);
    const dp1 = await readAll(catalogs[1].path);
    const p1 = detectProfile({ columns: dp1.catalog.schema.fields.map((f) => f.name) });
    const res = await applyPhotometry(dp1.table, p1, { fluxType: 'cmodel' });
    const flux = dp1.table.getChild('u_cModelFlux')!;
    const mag = res.table.getChild('mag_cmodel_u')!.toArray() as Float64Array;
    let nulls = 0;
    for (let i = 0; i < flux.length; i++) {
      const f = flux.get(i);
      if (f === null || !(f > 0)) {
        expect(mag[i]).toBeNaN();
        if (f === null) nulls++;
      } else expect(mag[i]).toBeCloseTo(31.4 - 2.5 * Math.log10(f), 9);
    }
    expect(nulls).toBeGreaterThan(0);
    expect(res.nondetectCounts.u).toBe(Array.from(mag).filter(Number.isNaN).length);
  });

  it('tsm inspect shows the detected profile of each generated catalog', async () => {
    const cli = join(PROJECT_ROOT, 'dist', 'cli.js');
    const run = promisify(execFile);
    const dp02 = await run(process.execPath, [cli, 'inspect', catalogs[0].path]);
    expect(dp02.stdout).toMatch(
      /profile\n\s+survey: LSST DP0\.2 \(lsst-dp02, detected by obs_collection\)/,
    );
    expect(dp02.stdout).toMatch(/quality filter: detect_isPrimary == true/);
    expect(dp02.stdout).toMatch(
      /flux types: cmodel \(cModel\), gaap1p0 \(GAaP 1\.0"\), psf \(PSF\)/,
    );
    const des = await run(process.execPath, [cli, 'inspect', '--json', catalogs[2].path]);
    const parsed = JSON.parse(des.stdout);
    const section = parsed.sections.find((x: { title: string }) => x.title === 'profile');
    expect(section.data.id).toBe('des-dr2');
    expect(section.data.zeroPointMag).toBe(30);
    expect(section.lines).toContain('already dereddened (not dereddened again): auto, wavg_psf');
  });

  it("tsm inspect tells a HATS training set from a survey catalog (its ebv is the run's)", async () => {
    const cli = join(PROJECT_ROOT, 'dist', 'cli.js');
    const run = promisify(execFile);
    const dp1 = catalogs[1].path;
    const survey = await run(process.execPath, [cli, 'inspect', dp1]);
    expect(survey.stdout).toMatch(/survey E\(B-V\) column: ebv/);
    const set = join(out, 'dp1-set');
    await run(process.execPath, [
      cli,
      'run',
      '--specz',
      join(TSM_EXAMPLE, 'specz.parquet'),
      '--photometry',
      dp1,
      '--dereddening',
      'sfd-lowres',
      '--format',
      'hats',
      '--name',
      'dp1 set',
      '--out',
      set,
      '--progress',
      'none',
    ]);
    const inspected = await run(process.execPath, [cli, 'inspect', join(set, 'dp1_set.hats')]);
    expect(inspected.stdout).toMatch(
      /profile\n\s+a training set \(is_training_set column\): its mag_\*, magerr_\*, mag_dered_\* and ebv columns were made by the run/,
    );
    expect(inspected.stdout).not.toMatch(/survey E\(B-V\)/);
  }, 60_000);
});
