import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultProject, type Project } from '../../compute/pipeline/project';
import { dustMapIssues, dustMapNeeded } from '../../main/dust-map-issues';
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
