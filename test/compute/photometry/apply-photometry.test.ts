import { Bool, Float64, Table, makeVector, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { applyPhotometry, applyQualityFilter } from '../../../compute/photometry/apply-photometry';
import { photometryRecord } from '../../../compute/photometry/photometry-record';
import type { DustMap } from '../../../compute/photometry/dust-map';
import { detectProfile } from '../../../compute/photometry/detect-profile';

/** A map that returns a fixed E(B-V), so expected magnitudes follow from the formulas alone. */
const constantMap = (value: number): DustMap => ({
  info: {
    name: 'constant',
    kind: 'healpix',
    files: [],
    resolution: 'test',
    pixelArcmin: 0,
    interpolation: 'nearest',
    coordsys: 'galactic',
    valueScale: 1,
  },
  ebv: async (ra) => new Float64Array(ra.length).fill(value),
});

function lsstTable() {
  return new Table({
    objectId: makeVector(new BigInt64Array([1n, 2n, 3n, 4n, 5n])),
    coord_ra: makeVector(new Float64Array([10, 11, 12, 13, 14])),
    coord_dec: makeVector(new Float64Array([-30, -30, -30, -30, -30])),
    detect_isPrimary: vectorFromArray([true, false, true, null, true], new Bool()),
    g_cModelFlux: vectorFromArray([1, 1e4, 1000, -3, null], new Float64()),
    g_cModelFluxErr: vectorFromArray([0.1, 100, 100, 1, null], new Float64()),
    r_cModelFlux: vectorFromArray([1e4, Number.NaN, 0, 1e4, 1e4], new Float64()),
    r_cModelFluxErr: vectorFromArray([100, 1, 1, 100, 100], new Float64()),
  });
}

describe('applyPhotometry', () => {
  const profile = detectProfile({
    columns: lsstTable().schema.fields.map((f) => f.name),
    obsCollection: 'dp02_object',
  });

  it('adds mag/magerr columns with the reference values and counts non-detections per band', async () => {
    const { table, nondetectCounts, addedColumns, dereddening } = await applyPhotometry(
      lsstTable(),
      profile,
      { fluxType: 'cmodel' },
    );
    expect(addedColumns).toEqual([
      'mag_cmodel_g',
      'magerr_cmodel_g',
      'mag_cmodel_r',
      'magerr_cmodel_r',
    ]);
    const g = table.getChild('mag_cmodel_g')!.toArray() as Float64Array;
    const ge = table.getChild('magerr_cmodel_g')!.toArray() as Float64Array;
    expect(g[0]).toBeCloseTo(31.4, 12);
    expect(g[1]).toBeCloseTo(21.4, 12);
    expect(g[2]).toBeCloseTo(23.9, 12);
    expect(ge[2]).toBeCloseTo(0.10857362, 8);
    expect(g[3]).toBeNaN();
    expect(g[4]).toBeNaN(); // null flux
    expect(nondetectCounts).toEqual({ g: 2, r: 2 });
    expect(dereddening).toBe('none');
    expect(table.numCols).toBe(8 + 4);
    expect(table.getChild('objectId')!.get(0)).toBe(1n);
  });

  it('dereddens with m0 = m - R_b E(B-V), writes ebv (x 0.86 when asked) and never dereddens 99', async () => {
    const { table, dereddening } = await applyPhotometry(lsstTable(), profile, {
      dustMap: constantMap(0.1),
      ebvScale: 0.86,
      nondetect: 99,
    });
    expect(dereddening).toBe('map');
    const ebv = table.getChild('ebv')!.toArray() as Float64Array;
    expect(ebv[0]).toBeCloseTo(0.086, 12);
    const g = table.getChild('mag_cmodel_g')!.toArray() as Float64Array;
    const g0 = table.getChild('mag_dered_cmodel_g')!.toArray() as Float64Array;
    expect(g0[1]).toBeCloseTo(21.4 - 3.64 * 0.086, 12);
    expect(g[3]).toBe(99);
    expect(g0[3]).toBe(99);
    const r0 = table.getChild('mag_dered_cmodel_r')!.toArray() as Float64Array;
    expect(r0[0]).toBeCloseTo(21.4 - 2.7 * 0.086, 12);
    expect(r0[2]).toBe(99);
    const meta = table.schema.fields.find((f) => f.name === 'ebv')!.metadata;
    expect(meta.get('tsm.ebv_scale')).toBe('0.86');
    expect(meta.get('tsm.dust_map')).toBe('constant');
    const rMeta = table.schema.fields.find((f) => f.name === 'mag_dered_cmodel_g')!.metadata;
    expect(rMeta.get('tsm.r_band')).toBe('3.64');
  });

  it("keeps an input 'ebv' column (DP1 has one) as ebv_catalog, in place, beside the E(B-V) used", async () => {
    const withEbv = lsstTable().assign(
      new Table({ ebv: makeVector(new Float32Array([9, 8, 7, 6, 5])) }),
    );
    const names = withEbv.schema.fields.map((f) => f.name);
    const { table } = await applyPhotometry(withEbv, profile, { dustMap: constantMap(0.02) });
    expect(table.schema.fields.filter((f) => f.name === 'ebv')).toHaveLength(1);
    expect(table.getChild('ebv')!.get(0)).toBeCloseTo(0.02, 12);
    expect([...table.getChild('ebv_catalog')!]).toEqual([9, 8, 7, 6, 5]);
    const out = table.schema.fields.map((f) => f.name);
    expect(out.slice(0, names.length)).toEqual(names.map((n) => (n === 'ebv' ? 'ebv_catalog' : n)));
    expect(String(table.schema.fields.find((f) => f.name === 'ebv_catalog')!.type)).toBe('Float32');
  });

  it('keeps an input ebv as ebv_catalog_catalog where ebv_catalog is taken (a training set made from DP1 has both; one of them was lost)', async () => {
    const both = lsstTable().assign(
      new Table({
        ebv_catalog: makeVector(new Float32Array([9, 8, 7, 6, 5])),
        ebv: makeVector(new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5])),
      }),
    );
    const { table } = await applyPhotometry(both, profile, { dustMap: constantMap(0.02) });
    const out = table.schema.fields.map((f) => f.name);
    expect(new Set(out).size).toBe(out.length);
    expect(out.filter((n) => n.startsWith('ebv'))).toEqual([
      'ebv_catalog',
      'ebv_catalog_catalog',
      'ebv',
    ]);
    expect([...table.getChild('ebv_catalog')!]).toEqual([9, 8, 7, 6, 5]);
    expect([...table.getChild('ebv_catalog_catalog')!]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(table.getChild('ebv')!.get(0)).toBeCloseTo(0.02, 12);
  });

  it('looks E(B-V) up at the position columns given in the options', async () => {
    const seen: number[] = [];
    const spy: DustMap = {
      ...constantMap(0),
      ebv: async (ra) => {
        seen.push(...Array.from(ra));
        return new Float64Array(ra.length);
      },
    };
    const t = lsstTable().assign(
      new Table({ ra_specz: makeVector(new Float64Array([100, 101, 102, 103, 104])) }),
    );
    await applyPhotometry(t, profile, { dustMap: spy, raColumn: 'ra_specz' });
    expect(seen).toEqual([100, 101, 102, 103, 104]);
    await expect(applyPhotometry(t, profile, { dustMap: spy, raColumn: 'nope' })).rejects.toThrow(
      /column 'nope' is not in the catalog/,
    );
  });

  it('makes the added columns null where the presence column is null (rows without an object)', async () => {
    // a distance column in two chunks, the second a slice (offset 1), nulls in both
    const d1 = vectorFromArray([0.1, null], new Float64());
    const d2 = vectorFromArray([9, null, 0.2, 0.3], new Float64()).slice(1);
    const t = lsstTable().assign(new Table({ dist: d1.concat(d2) }));
    const { table } = await applyPhotometry(t, profile, {
      dustMap: constantMap(0.1),
      presenceColumn: 'dist',
    });
    for (const name of ['mag_cmodel_g', 'magerr_cmodel_r', 'mag_dered_cmodel_r', 'ebv']) {
      const v = table.getChild(name)!;
      expect(
        [0, 1, 2, 3, 4].map((i) => v.isValid(i)),
        name,
      ).toEqual([true, false, false, true, true]);
      expect(v.nullCount).toBe(2);
      expect(table.schema.fields.find((f) => f.name === name)!.nullable).toBe(true);
    }
    const g = table.getChild('mag_cmodel_g')!;
    expect(g.get(0)).toBeCloseTo(31.4, 12);
    expect(g.get(3)).toBeNaN(); // a non-detection of a present object stays NaN
    // without nulls in the presence column, nothing changes
    const all = await applyPhotometry(lsstTable(), profile, { presenceColumn: 'coord_ra' });
    expect(all.table.getChild('mag_cmodel_g')!.nullCount).toBe(0);
  });

  it('keeps fluxes and writes dereddened fluxes when toMagnitudes is off', async () => {
    const { table, nondetectCounts } = await applyPhotometry(lsstTable(), profile, {
      toMagnitudes: false,
      dustMap: constantMap(0.05),
    });
    const fd = table.getChild('flux_dered_cmodel_r')!.toArray() as Float64Array;
    expect(fd[0] / 1e4).toBeCloseTo(10 ** (0.4 * 2.7 * 0.05), 12);
    expect(table.getChild('mag_cmodel_r')).toBeNull();
    expect(nondetectCounts.r).toBe(2);
  });

  it('does not deredden DES *_DERED magnitudes twice and maps their sentinels', async () => {
    const des = new Table({
      RA: makeVector(new Float64Array([1, 2, 3])),
      DEC: makeVector(new Float64Array([0, 0, 0])),
      MAG_AUTO_G_DERED: makeVector(new Float32Array([21.5, 98.84, 22])),
      MAGERR_AUTO_G: makeVector(new Float32Array([0.05, 99, 0.1])),
    });
    const p = detectProfile({ columns: des.schema.fields.map((f) => f.name) });
    const res = await applyPhotometry(des, p, { dustMap: constantMap(1), nondetect: 99 });
    expect(res.dereddening).toBe('survey');
    expect(res.table.getChild('ebv')).toBeNull();
    const m = res.table.getChild('mag_dered_auto_g')!.toArray() as Float64Array;
    expect(m[0]).toBeCloseTo(21.5, 5);
    expect(m[1]).toBe(99);
    expect(res.nondetectCounts).toEqual({ g: 1 });
  });

  it('dereddens catalog magnitudes without *_DERED columns from the map (generic profile)', async () => {
    const t = new Table({
      ra: makeVector(new Float64Array([1, 2])),
      dec: makeVector(new Float64Array([0, 0])),
      mag_r: makeVector(new Float64Array([20, 99])),
      err_r: makeVector(new Float64Array([0.02, 99])),
    });
    const p = detectProfile(
      { columns: ['ra', 'dec', 'mag_r', 'err_r'] },
      {
        generic: {
          raColumn: 'ra',
          decColumn: 'dec',
          fluxTypeId: 'petro',
          bands: [{ band: 'r', mag: 'mag_r', magErr: 'err_r' }],
          extinction: { r: 2.285 },
        },
      },
    );
    const res = await applyPhotometry(t, p, { dustMap: constantMap(0.1), nondetect: 99 });
    const m0 = res.table.getChild('mag_dered_petro_r')!.toArray() as Float64Array;
    expect(m0[0]).toBeCloseTo(20 - 0.2285, 12);
    expect(m0[1]).toBe(99);
    expect(res.dereddening).toBe('map');
    expect(res.nondetectCounts).toEqual({ r: 1 });
    const noR = detectProfile(
      { columns: ['ra', 'dec', 'mag_r'] },
      { generic: { raColumn: 'ra', decColumn: 'dec', bands: [{ band: 'r', mag: 'mag_r' }] } },
    );
    await expect(applyPhotometry(t, noR, { dustMap: constantMap(0.1) })).rejects.toThrow(
      /no extinction coefficient R_r for band 'r'/,
    );
  });

  it('handles an empty batch (no rows) without touching the map', async () => {
    const empty = lsstTable().slice(0, 0);
    const res = await applyPhotometry(empty, profile, { dustMap: constantMap(0.1) });
    expect(res.table.numRows).toBe(0);
    expect(res.table.getChild('mag_dered_cmodel_g')).not.toBeNull();
    expect(res.nondetectCounts).toEqual({ g: 0, r: 0 });
  });

  it('names the flux types available when the one asked for is absent', async () => {
    await expect(applyPhotometry(lsstTable(), profile, { fluxType: 'kron' })).rejects.toThrow(
      /photometry.fluxType: 'kron' is not a flux type of this LSST DP0.2 catalog; choose one of: cmodel/,
    );
  });

  it('records profile, map, scale and coefficients for the run record', () => {
    const rec = photometryRecord(profile, { dustMap: constantMap(0), ebvScale: 0.86 });
    expect(rec.profile).toBe('lsst-dp02');
    expect(rec.ebvScale).toBe(0.86);
    expect(rec.dustMap?.name).toBe('constant');
    expect(rec.extinction?.coefficients.u).toBe(4.81);
    expect(rec.qualityFilter).toBe('detect_isPrimary == true');
  });

  it('records no coefficients nor scale where no dust map was applied', () => {
    const rec = photometryRecord(profile, { dustMap: null, ebvScale: 0.86 });
    expect(rec.dustMap).toBeNull();
    expect(rec.extinction).toBeNull();
    expect(rec.ebvScale).toBeNull();
    expect(rec.fluxType).toBe('cmodel');
  });
});

describe('applyQualityFilter', () => {
  it('keeps detect_isPrimary == true rows only (null counts as false)', () => {
    const profile = detectProfile({ columns: lsstTable().schema.fields.map((f) => f.name) });
    const kept = applyQualityFilter(lsstTable(), profile);
    expect(Array.from(kept.getChild('objectId')!.toArray() as BigInt64Array)).toEqual([1n, 3n, 5n]);
  });
});
