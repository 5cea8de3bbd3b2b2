/**
 * Flux to magnitude and dereddening: a port of compute/photometry/apply-photometry.ts and magnitudes.ts.
 * Python source kept as a string so the bundles carry it (generated job: tsm_job.py).
 */
export const PY_PHOTOMETRY = String.raw`# ---------------------------------------------------------------------------------------------
# Photometry (port of compute/photometry/apply-photometry.ts and magnitudes.ts)
# ---------------------------------------------------------------------------------------------
def _float(df, name):
    return pd.to_numeric(df[name], errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)


def _flux_to_mag(flux, flux_err, zp):
    bad = ~(flux > 0) | (flux == np.inf)
    with np.errstate(all="ignore"):
        mag = np.where(bad, np.nan, zp - 2.5 * np.log10(flux))
        err = None
        if flux_err is not None:
            e = np.abs(flux_err)
            err = np.where(bad, np.nan, np.where(e < np.inf, MAG_ERR_FACTOR * e / flux, np.nan))
    return mag, err


def _clean_mags(mag_in, err_in):
    bad = ~(np.abs(mag_in) < MAG_SENTINEL_LIMIT)
    mag = np.where(bad, np.nan, mag_in)
    err = None
    if err_in is not None:
        err = np.where(bad, np.nan, np.where(np.abs(err_in) < MAG_SENTINEL_LIMIT, err_in, np.nan))
    return mag, err


def _dered_mag(mag, ebv, r):
    return np.where(np.abs(mag) < MAG_SENTINEL_LIMIT, mag - r * ebv, mag)


def _dered_flux(flux, ebv, r):
    return flux * np.exp(0.4 * r * math.log(10) * ebv)


def _coefficient(profile, band):
    r = profile["extinction"].get(band)
    if r is None:
        raise UserError(f"{profile['label']}: no extinction coefficient R_{band} for band '{band}'; choose no dust map")
    return r


CATALOG_SUFFIX = "_catalog"


def _uses_flux(b, to_mag):
    return bool(b.get("flux")) and (to_mag or not (b.get("mag") or b.get("magDered")))


def needs_dust_map(ft, to_mag):
    """Whether a dust map gives the flux type's dereddened values (and the ebv column): not when
    every band has survey-dereddened magnitudes that are written as they are."""
    return any(_uses_flux(b, to_mag) or not b.get("magDered") for b in ft["bands"])


def apply_photometry(df, profile, ft, to_mag, dust, ebv_scale, positions):
    """Adds mag_<ft>_<b>, magerr_<ft>_<b>, mag_dered_<ft>_<b> (or flux_dered_/fluxerr_dered_ when
    to_mag is off) and ebv to one partition, exactly as the app does. positions: the photometric
    RA and Dec columns as the crossmatch output names them."""
    def uses_flux(b):
        return _uses_flux(b, to_mag)

    needs_map = needs_dust_map(ft, to_mag)
    ebv = None
    if dust is not None and needs_map:
        ebv = dust.ebv(_float(df, positions[0]), _float(df, positions[1]))
        if ebv_scale != 1:
            ebv = ebv * ebv_scale
    added = {}
    fid = ft["id"]
    for b in ft["bands"]:
        s = f"{fid}_{b['band']}"
        err_col = b.get("fluxErr")
        if uses_flux(b):
            flux = _float(df, b["flux"])
            flux_err = _float(df, err_col) if err_col else None
            if to_mag:
                mag, err = _flux_to_mag(flux, flux_err, profile["zeroPointMag"])
                added[f"mag_{s}"] = mag
                if err is not None:
                    added[f"magerr_{s}"] = err
                if ebv is not None:
                    added[f"mag_dered_{s}"] = _dered_mag(mag, ebv, _coefficient(profile, b["band"]))
            elif ebv is not None:
                r = _coefficient(profile, b["band"])
                added[f"flux_dered_{s}"] = _dered_flux(flux, ebv, r)
                if flux_err is not None:
                    added[f"fluxerr_dered_{s}"] = _dered_flux(flux_err, ebv, r)
            continue
        err_in = _float(df, b["magErr"]) if b.get("magErr") else None
        mag = None
        if b.get("mag"):
            mag, err = _clean_mags(_float(df, b["mag"]), err_in)
            added[f"mag_{s}"] = mag
            if err is not None:
                added[f"magerr_{s}"] = err
        if b.get("magDered"):
            dered, err = _clean_mags(_float(df, b["magDered"]), err_in)
            added[f"mag_dered_{s}"] = dered
            if not b.get("mag") and err is not None:
                added[f"magerr_{s}"] = err
        elif mag is not None and ebv is not None:
            added[f"mag_dered_{s}"] = _dered_mag(mag, ebv, _coefficient(profile, b["band"]))
    if ebv is not None:
        added["ebv"] = ebv
    # Column order of the app: input columns (one named like an added column, DP1's own "ebv",
    # kept as "<name>_catalog" in its place, the suffix again while that name is taken: a
    # training set made from DP1 has both), the added columns, then _dist_arcsec.
    taken = set(df.columns) | set(added)
    renamed = {}
    for c in df.columns:
        if c in added:
            new = c + CATALOG_SUFFIX
            while new in taken:
                new += CATALOG_SUFFIX
            taken.add(new)
            renamed[c] = new
    df = df.rename(columns=renamed)
    keep = [c for c in df.columns if c != "_dist_arcsec"]
    out = df[keep].copy()
    # a left join's unmatched spec-z rows (no distance) get nulls, as their photometric columns
    absent = df["_dist_arcsec"].isna().to_numpy() if "_dist_arcsec" in df.columns else None
    mask = absent if absent is not None and absent.any() else None
    for name, values in added.items():
        out[name] = pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.float64(), mask=mask))
    if "_dist_arcsec" in df.columns:
        out["_dist_arcsec"] = df["_dist_arcsec"]
    return out
`;
