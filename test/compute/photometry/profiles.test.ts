import { describe, expect, it } from 'vitest';
import { detectProfile, genericChoicesSchema } from '../../../compute/photometry/detect-profile';

const LSST_FLUX = (models: string[], bands = ['u', 'g', 'r', 'i', 'z', 'y']) =>
  bands.flatMap((b) => models.flatMap((m) => [`${b}_${m}Flux`, `${b}_${m}FluxErr`]));

const DP02 = [
  'objectId',
  'coord_ra',
  'coord_dec',
  'detect_isPrimary',
  'refExtendedness',
  'tract',
  'patch',
  ...LSST_FLUX(['cModel', 'gaap1p0', 'psf', 'calib', 'free_cModel']),
];
const DP1 = [
  'objectId',
  'coord_ra',
  'coord_dec',
  'ebv',
  'refBand',
  'detect_isIsolated',
  'parentObjectId',
  ...LSST_FLUX(['psf', 'cModel', 'gaap1p0', 'sersic']),
];
const DES = [
  'COADD_OBJECT_ID',
  'RA',
  'DEC',
  'EBV_SFD98',
  ...['G', 'R', 'I', 'Z', 'Y'].flatMap((B) => [
    `MAG_AUTO_${B}_DERED`,
    `MAGERR_AUTO_${B}`,
    `WAVG_MAG_PSF_${B}`,
    `WAVG_MAGERR_PSF_${B}`,
  ]),
];

describe('detectProfile', () => {
  it('recognises LSST DP0.2 from the schema: flux types, quality filter, RAIL R_b', () => {
    const p = detectProfile({ columns: DP02 });
    expect(p.id).toBe('lsst-dp02');
    expect(p.detectedBy).toBe('schema');
    expect(p.fluxTypes.map((t) => t.id).slice(0, 3)).toEqual(['cmodel', 'gaap1p0', 'psf']);
    expect(p.fluxTypes.map((t) => t.id)).toContain('free_cmodel');
    expect(p.fluxTypes.map((t) => t.label).slice(0, 3)).toEqual(['cModel', 'GAaP 1.0"', 'PSF']);
    expect(p.fluxTypes.find((t) => t.id === 'free_cmodel')!.label).toBe('free cModel');
    expect(p.qualityFilter).toEqual({ column: 'detect_isPrimary', equals: true });
    expect([p.idColumn, p.raColumn, p.decColumn]).toEqual(['objectId', 'coord_ra', 'coord_dec']);
    expect(p.zeroPointMag).toBe(31.4);
    expect(p.fluxUnit).toBe('nJy');
    expect(p.extinction.coefficients).toEqual({
      u: 4.81,
      g: 3.64,
      r: 2.7,
      i: 2.06,
      z: 1.58,
      y: 1.31,
    });
    const g = p.fluxTypes[0].bands.find((b) => b.band === 'g');
    expect(g).toEqual({ band: 'g', flux: 'g_cModelFlux', fluxErr: 'g_cModelFluxErr' });
  });

  it('recognises LSST DP1 (no quality filter, its own ebv column)', () => {
    const p = detectProfile({ columns: DP1 });
    expect(p.id).toBe('lsst-dp1');
    expect(p.qualityFilter).toBeNull();
    expect(p.ebvColumn).toBe('ebv');
    expect(p.fluxTypes[0].id).toBe('cmodel');
  });

  it('recognises DES DR2 magnitudes that are already dereddened, with DES R_b and zero point 30', () => {
    const p = detectProfile({ columns: DES });
    expect(p.id).toBe('des-dr2');
    expect(p.zeroPointMag).toBe(30);
    expect(p.fluxTypes.map((t) => t.id)).toEqual(['auto', 'wavg_psf']);
    const g = p.fluxTypes[0].bands[0];
    expect(g).toEqual({
      band: 'g',
      magDered: 'MAG_AUTO_G_DERED',
      magErr: 'MAGERR_AUTO_G',
      flux: undefined,
      fluxErr: undefined,
      mag: undefined,
    });
    expect(p.extinction.coefficients).toEqual({ g: 3.186, r: 2.14, i: 1.569, z: 1.196, y: 1.048 });
    expect(p.ebvColumn).toBe('EBV_SFD98');
  });

  it('matches DES columns case-insensitively (lower-case HATS copies)', () => {
    const p = detectProfile({ columns: DES.map((c) => c.toLowerCase()) });
    expect(p.id).toBe('des-dr2');
    expect(p.fluxTypes[0].bands[0].magDered).toBe('mag_auto_g_dered');
    expect(p.raColumn).toBe('ra');
  });

  it('lets obs_collection decide between DP0.2 and DP1 when the schema is ambiguous', () => {
    const cols = ['objectId', 'coord_ra', 'coord_dec', ...LSST_FLUX(['cModel'])];
    expect(detectProfile({ columns: cols, obsCollection: 'dp02_object' }).id).toBe('lsst-dp02');
    expect(detectProfile({ columns: cols, obsCollection: 'dp1_object' }).detectedBy).toBe(
      'obs_collection',
    );
  });

  it('obeys an override and refuses one whose columns are absent', () => {
    expect(detectProfile({ columns: DP02 }, { survey: 'lsst-dp1' }).id).toBe('lsst-dp1');
    expect(() => detectProfile({ columns: DES, location: 'x' }, { survey: 'lsst-dp02' })).toThrow(
      /x: profile 'lsst-dp02' was asked for/,
    );
  });

  it('falls back to an empty generic profile for an unknown catalog (the example DES-like one)', () => {
    const p = detectProfile({
      columns: ['_healpix_29', 'ra', 'dec', 'id'],
      raColumn: 'ra',
      decColumn: 'dec',
    });
    expect(p.id).toBe('generic');
    expect(p.fluxTypes).toEqual([]);
  });

  it('builds the generic profile from the user columns and names a missing column', () => {
    const columns = ['id', 'ra', 'dec', 'flux_g', 'fluxerr_g', 'mag_r'];
    const p = detectProfile(
      { columns, raColumn: 'ra', decColumn: 'dec' },
      {
        generic: {
          idColumn: 'id',
          fluxTypeId: 'Aper',
          bands: [
            { band: 'g', flux: 'flux_g', fluxErr: 'fluxerr_g' },
            { band: 'r', mag: 'mag_r' },
          ],
          zeroPointMag: 23.9,
          extinction: { g: 3.3, r: 2.3 },
        },
      },
    );
    expect(p.id).toBe('generic');
    expect(p.fluxTypes[0].id).toBe('aper');
    expect(p.zeroPointMag).toBe(23.9);
    expect(p.bands).toEqual(['g', 'r']);
    expect(() =>
      detectProfile(
        { columns, location: 'cat' },
        { generic: { raColumn: 'ra', decColumn: 'dec', bands: [{ band: 'i', flux: 'flux_i' }] } },
      ),
    ).toThrow(
      /cat: column 'flux_i' \(generic profile field bands\[0\]\.flux\) is not in the catalog/,
    );
  });

  it('refuses a text column as flux or coordinate, and takes a text id', () => {
    const columns = ['id', 'ra', 'dec', 'flux_g', 'band_name'];
    const columnTypes = {
      id: 'Utf8',
      ra: 'Float64',
      dec: 'Float64',
      flux_g: 'Float32',
      band_name: 'Utf8',
    };
    const choose = (flux: string, ra = 'ra') =>
      detectProfile(
        { columns, columnTypes, location: 'cat' },
        {
          generic: { idColumn: 'id', raColumn: ra, decColumn: 'dec', bands: [{ band: 'g', flux }] },
        },
      );
    expect(choose('flux_g').idColumn).toBe('id');
    expect(() => choose('band_name')).toThrow(
      "cat: column 'band_name' (generic profile field bands[0].flux) holds Utf8 values, not numbers. Pick a numeric column.",
    );
    expect(() => choose('flux_g', 'band_name')).toThrow(
      "cat: column 'band_name' (generic profile field raColumn) holds Utf8 values, not numbers.",
    );
  });
});

describe('genericChoicesSchema', () => {
  const band = (name: string) => ({ band: name, flux: `${name}_flux` });
  const messages = (choices: unknown) => {
    const r = genericChoicesSchema.safeParse(choices);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses what would write wrong columns: a band twice, a band name that is not a name', () => {
    // the second 'g' wrote the same columns as the first, and the run dropped it without a word
    expect(messages({ bands: [band('g'), band('G')] })).toEqual([
      'bands: each band once: two bands of one name would write the same columns',
    ]);
    expect(messages({ bands: [band('r r/ü')] })).toEqual([
      'bands.0.band: a band name is letters and digits (it names columns: mag_custom_g)',
    ]);
    expect(messages({ bands: [band(' ')] })).toEqual(['bands.0.band: give the band a name']);
    expect(messages({ bands: [band('g')], fluxUnit: '' })).toEqual([
      'fluxUnit: give the flux unit (e.g. nJy)',
    ]);
    expect(messages({ bands: [band('g')], extinction: { g: -1 } })).toEqual([
      'extinction.g: R_b is the extinction per E(B-V): 0 or more',
    ]);
  });

  it("takes the flux unit's AB zero point when none is given (uJy gave 31.4, nJy's)", () => {
    const zp = (choices: object) =>
      genericChoicesSchema.parse({ bands: [band('g')], ...choices }).zeroPointMag;
    // AB: m = -2.5 log10(f / 1 erg s-1 cm-2 Hz-1) - 48.6 (tsm-domain.md §2.4)
    expect(zp({ fluxUnit: 'Jy' })).toBe(8.9);
    expect(zp({ fluxUnit: 'mJy' })).toBe(16.4);
    expect(zp({ fluxUnit: 'uJy' })).toBe(23.9);
    expect(zp({ fluxUnit: 'µJy' })).toBe(23.9);
    expect(zp({ fluxUnit: 'nJy' })).toBe(31.4);
    expect(zp({})).toBe(31.4);
    expect(zp({ fluxUnit: 'counts' })).toBe(31.4);
    expect(zp({ fluxUnit: 'uJy', zeroPointMag: 25 })).toBe(25);
  });

  it('accepts the usual choices', () => {
    expect(messages({ bands: [band('g'), band('r')], extinction: { g: 3.64, r: 0 } })).toEqual([]);
  });
});
