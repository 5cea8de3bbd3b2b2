/**
 * A run's warnings started with a project field path (`photometry.dereddening.map: ...`), which
 * read as developer text in the app and in tsm run's summary; they are said after what they are
 * about ("Dereddening: ..."), the field kept for the wizard's step. The warnings are the engine's
 * own (ebvValuesWarning, noPositionWarnings) and the texts run.json holds (older runs' too).
 */
import { describe, expect, it } from 'vitest';
import { noPositionWarnings } from '../../../compute/pipeline/run';
import { warningLine, warningWords } from '../../../compute/pipeline/warning-words';
import { ebvValuesWarning } from '../../../compute/photometry/ebv-values';

const EBV = ebvValuesWarning(
  { name: 'sfd-lowres', files: ['sfd-lowres-healpix64.fits'] },
  { positions: 300, nan: 12, negative: 0 },
)!;

describe('warningWords', () => {
  it("says a dust map's warning under Dereddening, the field for the wizard's step", () => {
    // as compute/pipeline/run.ts (and the exported LSDB job) store it in run.json
    expect(warningWords(`photometry.dereddening.map: ${EBV}`)).toEqual({
      topic: 'Dereddening',
      field: 'photometry.dereddening',
      text: EBV,
    });
    expect(warningLine(`photometry.dereddening.map: ${EBV}`)).toBe(
      "Dereddening: the dust map 'sfd-lowres' (sfd-lowres-healpix64.fits) gave no value (NaN) at 12 of 300 matched positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes). Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.",
    );
  });

  it('says the catalogs of rows without a position by their names in the wizard', () => {
    const [specz, photometry] = noPositionWarnings(
      {
        specz: { catalog: { location: '/data/sz', raColumn: 'ra', decColumn: 'dec' } },
        photometry: { location: '/cats/dp1', raColumn: 'coord_ra', decColumn: 'coord_dec' },
      } as Parameters<typeof noPositionWarnings>[0],
      'inner',
      2,
      new Map([['Norder=2/Npix=7', 3]]),
    );
    expect(warningLine(specz)).toBe(
      'Redshift catalog: 2 rows of the spec-z catalog /data/sz have no position (ra or dec NaN or infinite), so they match nothing: the inner join leaves them out of the training set. Fix or remove those rows.',
    );
    expect(warningWords(photometry)).toMatchObject({
      topic: 'Photometric catalog',
      field: 'photometry.location',
    });
    expect(warningLine(photometry)).toMatch(
      /^Photometric catalog: 3 rows of the photometric catalog \/cats\/dp1 \(in 1 of the 1 partition the run read\) have no position/,
    );
  });

  it('says the other prefixes the engine writes by what they are about', () => {
    const cases: [string, string, string][] = [
      [
        "photometry.dereddening: the dust map 'sfd' was not applied: the LSST DP1 magnitudes are already dereddened",
        'Dereddening',
        'photometry.dereddening',
      ],
      [
        'photometry.generic.zeroPointMag: 31.4 is not the AB zero point of the flux unit Jy (8.9)',
        'Magnitudes (zero point)',
        'photometry.generic.zeroPointMag',
      ],
      [
        'z_flag: 2 rows hold a value that is neither a flag of the CRC scale',
        'Unique galaxies (z_flag)',
        'uniqueGalaxies',
      ],
      [
        "instrument type: 1 row holds a value other than s, g or p ('x')",
        'Unique galaxies (instrument type)',
        'uniqueGalaxies',
      ],
    ];
    for (const [warning, topic, field] of cases) {
      const words = warningWords(warning);
      expect([words.topic, words.field]).toEqual([topic, field]);
      expect(warning.endsWith(words.text)).toBe(true);
      expect(words.text).not.toMatch(/^(photometry|z_flag|instrument type)/);
    }
  });

  it('leaves a warning that names no field as it is (a file path before it is the file)', () => {
    for (const warning of [
      'No cross matches were found: no spec-z row of /data/sz has a photometric object within 1 arcsec.',
      '/data/specz.csv: ra/dec were read as radians and are written in degrees',
      "specz.csv: 2 rows repeat an id of column 'id' used by an earlier row",
    ]) {
      expect(warningWords(warning)).toEqual({ topic: null, field: null, text: warning });
      expect(warningLine(warning)).toBe(warning);
    }
  });
});
