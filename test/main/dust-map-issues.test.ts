import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHatsCatalog } from '../../compute/io/hats-writer';
import { genericChoicesSchema } from '../../compute/photometry/detect-profile';
import { tableToParquetBytes } from '../../compute/io/parquet-file';
import { defaultProject, type Project } from '../../compute/pipeline/project';
import { planRun } from '../../compute/pipeline/run-plan';
import { dustMapIssues, dustMapNeeded } from '../../main/dust-map-issues';
import { describeHats } from '../../main/engine/describe-hats';
import type { CatalogSummary } from '../../preload/api';

const folder = mkdtempSync(join(tmpdir(), 'tsm-dustmaps-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const location = '/data/des_dr2';
// DES DR2's columns (tsm-domain.md): AUTO with fluxes, WAVG_PSF with magnitudes only
const desColumns = ['COADD_OBJECT_ID', 'RA', 'DEC'].concat(
  ...['G', 'R', 'I', 'Z', 'Y'].map((b) => [
    `FLUX_AUTO_${b}`,
    `FLUXERR_AUTO_${b}`,
    `MAG_AUTO_${b}`,
    `MAGERR_AUTO_${b}`,
    `MAG_AUTO_${b}_DERED`,
    `WAVG_MAG_PSF_${b}`,
    `WAVG_MAGERR_PSF_${b}`,
    `WAVG_MAG_PSF_${b}_DERED`,
  ]),
);
const des: CatalogSummary = {
  id: 'des',
  kind: 'photometric',
  name: 'des_dr2',
  location,
  addedAt: '2026-11-27T00:00:00Z',
  rowCount: 320,
  columns: desColumns.map((name) => ({ name, type: 'Float32' })),
  partitions: 5,
  coverage: { points: [], skyFraction: 0.2 },
};

function project(fluxType: string, convertToMagnitudes: boolean, at = location): Project {
  const p = defaultProject();
  return { ...p, photometry: { ...p.photometry, location: at, fluxType, convertToMagnitudes } };
}

describe('dustMapNeeded', () => {
  it("is false where the run writes the survey's dereddened magnitudes as they are, true where it applies the map", () => {
    // WAVG_PSF has no fluxes: its *_DERED magnitudes are written, the map never opened
    expect(dustMapNeeded(project('wavg_psf', true), [des])).toBe(false);
    // AUTO converted from fluxes is dereddened with the map; unconverted, its _DERED are kept
    expect(dustMapNeeded(project('auto', true), [des])).toBe(true);
    expect(dustMapNeeded(project('auto', false), [des])).toBe(false);
  });

  it('is true when the catalog is not registered or its flux type is not there (the run says what it finds)', () => {
    expect(dustMapNeeded(project('wavg_psf', true, '/elsewhere'), [des])).toBe(true);
    expect(dustMapNeeded(project('psf', true), [des])).toBe(true);
  });
});

describe('dustMapIssues', () => {
  it("names SFD's missing files only when the run would open the map", () => {
    expect(project('wavg_psf', true).photometry.dereddening.map).toBe('sfd');
    expect(dustMapIssues(project('wavg_psf', true), folder, [des])).toEqual([]);
    const issues = dustMapIssues(project('auto', true), folder, [des]);
    expect(issues.map((i) => i.path)).toEqual(['photometry.dereddening.map']);
    expect(issues[0].message).toMatch(
      /^the SFD map needs SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits in the dust-map folder /,
    );
  });
});

describe('a photometric catalog without flux columns a profile knows', () => {
  let dir: string;
  let catalog: CatalogSummary;
  let speczFile: string;
  const N = 20;
  const ra = Float64Array.from({ length: N }, (_, i) => 40 + 0.05 * i);
  const dec = Float64Array.from({ length: N }, (_, i) => -10 + 0.05 * i);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-dust-generic-'));
    // no survey's columns: the user's own magnitudes under names no profile knows
    const location = (
      await writeHatsCatalog(
        join(dir, 'own_mags'),
        tableFromArrays({
          oid: Int32Array.from({ length: N }, (_, i) => i),
          ra,
          dec,
          my_g: Float64Array.from({ length: N }, (_, i) => 20 + i / 10),
        }),
        { name: 'own_mags' },
      )
    ).path;
    catalog = {
      ...(await describeHats(location, { dustMapDir: folder, withProfile: true })),
      id: 'own',
      kind: 'photometric',
      addedAt: '2026-11-28T00:00:00Z',
    };
    speczFile = join(dir, 'specz.parquet');
    await writeFile(
      speczFile,
      tableToParquetBytes(
        tableFromArrays({
          id: Int32Array.from({ length: N }, (_, i) => 100 + i),
          ra,
          dec,
          z: Float64Array.from({ length: N }, (_, i) => 0.1 + i / 100),
        }),
      ),
    );
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The default project (dust map SFD, flux type auto) on the catalog, as the run reads it. */
  function onCatalog(generic: Project['photometry']['generic'] = null): Project {
    const p = defaultProject();
    return {
      ...p,
      name: 'own',
      specz: { ...p.specz, path: speczFile, columns: { ...p.specz.columns, id: 'id' } },
      photometry: { ...p.photometry, location: catalog.location, generic },
    };
  }

  it('offers None only, says nothing of SFD and plans the run without opening the map', async () => {
    expect(catalog.profile?.id).toBe('generic');
    expect(catalog.profile?.dustMaps.map((d) => d.name)).toEqual(['none']);
    const project = onCatalog();
    expect(project.photometry.dereddening.map).toBe('sfd');
    expect(dustMapNeeded(project, [catalog])).toBe(false);
    expect(dustMapIssues(project, folder, [catalog])).toEqual([]);
    // the run agrees: SFD's files are not in `folder`, and the plan neither opens nor records it
    const plan = await planRun(project, { dustMapFolder: folder });
    expect(plan.taskPhotometry.fluxType).toBeNull();
    expect(plan.dustMap).toBeNull();
  });

  it("names SFD's files once the user's columns are named, as the run then refuses without them", async () => {
    const generic = genericChoicesSchema.parse({
      bands: [{ band: 'g', mag: 'my_g' }],
      extinction: { g: 3.2 },
    });
    // the catalog's choices stored on the Catalogs page, the project's carried by the wizard
    const named = { ...catalog, generic };
    const project = onCatalog(generic);
    expect(dustMapNeeded(project, [named])).toBe(true);
    expect(dustMapIssues(project, folder, [named])[0].message).toMatch(
      /^the SFD map needs SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits in the dust-map folder /,
    );
    await expect(planRun(project, { dustMapFolder: folder })).rejects.toThrow(
      /SFD_dust_4096_ngp.fits/,
    );
    // choices on the catalog that the project does not carry: the run detects no photometry
    expect(dustMapNeeded(onCatalog(), [named])).toBe(false);
    const plan = await planRun(onCatalog(), { dustMapFolder: folder });
    expect(plan.dustMap).toBeNull();
  });
});
