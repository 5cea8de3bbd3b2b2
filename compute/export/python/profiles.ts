/**
 * Survey profiles and their detection: a port of compute/photometry/profiles.ts and detect-profile.ts.
 * Python source kept as a string so the bundles carry it (generated job: tsm_job.py).
 */
export const PY_PROFILES = String.raw`# ---------------------------------------------------------------------------------------------
# Survey profiles (port of compute/photometry/profiles.ts and detect-profile.ts)
# ---------------------------------------------------------------------------------------------
LSST_BANDS = ["u", "g", "r", "i", "z", "y"]
DES_BANDS = ["g", "r", "i", "z", "y"]
# R_b = A_b / E(B-V), multiplied by raw SFD98 E(B-V) (dust-photometry.md section 4).
LSST_RAIL_CCM = {"u": 4.81, "g": 3.64, "r": 2.7, "i": 2.06, "z": 1.58, "y": 1.31}
DES_DR2 = {"g": 3.186, "r": 2.14, "i": 1.569, "z": 1.196, "y": 1.048}
ZERO_POINT_NJY = 31.4  # AB for nJy: 80 - 48.6
ZERO_POINT_DES = 30.0  # DES coadd counts
MAG_ERR_FACTOR = 2.5 / math.log(10)
MAG_SENTINEL_LIMIT = 90.0
PARTITION_COLUMNS = ("Norder", "Dir", "Npix")


class ColumnIndex:
    """Case-insensitive lookup of column names (the first spelling wins)."""

    def __init__(self, names):
        self.names = list(names)
        self.by_lower = {}
        for n in self.names:
            self.by_lower.setdefault(n.lower(), n)

    def get(self, name):
        return self.by_lower.get(name.lower())

    def has(self, name):
        return name.lower() in self.by_lower


def _sort_flux_types(types, preferred):
    def rank(t):
        return preferred.index(t["id"]) if t["id"] in preferred else len(preferred)

    return sorted(types, key=lambda t: (rank(t), t["id"]))


def lsst_flux_types(cols):
    models = {}
    for name in cols.names:
        m = re.fullmatch(r"([ugrizy])_(\w+?)Flux", name, re.IGNORECASE)
        if m and m.group(2):
            models[m.group(2).lower()] = m.group(2)
    out = []
    for fid, label in models.items():
        bands = []
        for b in LSST_BANDS:
            flux = cols.get(f"{b}_{label}Flux")
            if flux:
                bands.append({"band": b, "flux": flux, "fluxErr": cols.get(f"{b}_{label}FluxErr")})
        if bands:
            out.append({"id": fid, "label": label, "bands": bands})
    return _sort_flux_types(out, ["cmodel", "gaap1p0", "psf"])


def des_flux_types(cols):
    types = {}
    for name in cols.names:
        m = re.fullmatch(r"(?:WAVG_)?(?:FLUX|MAG)_([A-Z0-9_]+?)_([GRIZY])(?:_DERED)?", name, re.IGNORECASE)
        if m:
            wavg = re.match(r"WAVG_", name, re.IGNORECASE) is not None
            t = ("WAVG_" if wavg else "") + m.group(1).upper()
            types[t.lower()] = t
    out = []
    for fid, label in types.items():
        wavg = label.startswith("WAVG_")
        t = label[5:] if wavg else label
        pre = "WAVG_" if wavg else ""
        bands = []
        for b in DES_BANDS:
            B = b.upper()
            c = {
                "band": b,
                "flux": cols.get(f"{pre}FLUX_{t}_{B}"),
                "fluxErr": cols.get(f"{pre}FLUXERR_{t}_{B}"),
                "mag": cols.get(f"{pre}MAG_{t}_{B}"),
                "magErr": cols.get(f"{pre}MAGERR_{t}_{B}"),
                "magDered": cols.get(f"{pre}MAG_{t}_{B}_DERED"),
            }
            if c["flux"] or c["mag"] or c["magDered"]:
                bands.append(c)
        if bands:
            out.append({"id": fid, "label": label, "bands": bands})
    return _sort_flux_types(out, ["auto", "wavg_psf", "psf"])


def build_profile(survey, cols):
    if survey in ("lsst-dp02", "lsst-dp1"):
        primary = cols.get("detect_isPrimary")
        return {
            "id": survey,
            "label": "LSST DP0.2" if survey == "lsst-dp02" else "LSST DP1",
            "idColumn": cols.get("objectId"),
            "raColumn": cols.get("coord_ra") or "coord_ra",
            "decColumn": cols.get("coord_dec") or "coord_dec",
            "fluxTypes": lsst_flux_types(cols),
            "fluxUnit": "nJy",
            "ebvColumn": cols.get("ebv") if survey == "lsst-dp1" else None,
            "zeroPointMag": ZERO_POINT_NJY,
            "qualityFilter": [primary, True] if (primary and survey == "lsst-dp02") else None,
            "extinction": LSST_RAIL_CCM,
        }
    if survey == "des-dr2":
        return {
            "id": survey,
            "label": "DES DR2",
            "idColumn": cols.get("COADD_OBJECT_ID") or cols.get("id"),
            "raColumn": cols.get("RA") or "RA",
            "decColumn": cols.get("DEC") or "DEC",
            "fluxTypes": des_flux_types(cols),
            "fluxUnit": "count",
            "ebvColumn": cols.get("EBV_SFD98"),
            "zeroPointMag": ZERO_POINT_DES,
            "qualityFilter": None,
            "extinction": DES_DR2,
        }
    return None


def _schema_survey(cols):
    if cols.has("COADD_OBJECT_ID") or any(
        re.match(r"(WAVG_)?(FLUX|MAG)_(AUTO|PSF)_[GRIZY]", n, re.IGNORECASE) for n in cols.names
    ):
        if any(re.fullmatch(r"(FLUX|MAG)_[A-Z0-9_]+_[GRIZY](_DERED)?", n, re.IGNORECASE) for n in cols.names):
            return "des-dr2"
    lsst = any(re.fullmatch(r"[ugrizy]_\w+Flux", n) for n in cols.names)
    if lsst and cols.has("coord_ra") and cols.has("coord_dec"):
        dp02 = ["detect_isPrimary", "u_calibFlux", "g_calibFlux", "i_calibFlux"]
        dp1 = ["ebv", "refBand", "g_sersicFlux", "i_sersicFlux", "parentObjectId"]
        score = lambda names: sum(1 for n in names if cols.has(n))  # noqa: E731
        return "lsst-dp02" if score(dp02) > score(dp1) else "lsst-dp1"
    return None


def _collection_survey(name):
    name = (name or "").lower()
    if re.search(r"dp0[._]?2|dp02", name):
        return "lsst-dp02"
    if re.search(r"dp1(?!\d)", name):
        return "lsst-dp1"
    if re.search(r"des.*dr2", name):
        return "des-dr2"
    return None


def detect_profile(columns, obs_collection, ra_column, dec_column, forced, where):
    """The survey profile: forced by the project, else from obs_collection, else the schema."""
    cols = ColumnIndex(columns)
    if forced == "generic":
        raise UserError(f"{where}: the generic profile needs column choices the project file cannot hold; run it with tsm")
    if forced:
        p = build_profile(forced, cols)
        if p and p["fluxTypes"]:
            return p
        raise UserError(f"{where}: profile '{forced}' was asked for, but none of its flux or magnitude columns are in the schema")
    for survey in (_collection_survey(obs_collection), _schema_survey(cols)):
        p = build_profile(survey, cols) if survey else None
        if p and p["fluxTypes"]:
            return p
    return {
        "id": "generic",
        "label": "generic HATS",
        "idColumn": cols.get("id") or cols.get("objectId"),
        "raColumn": ra_column or cols.get("ra") or "ra",
        "decColumn": dec_column or cols.get("dec") or "dec",
        "fluxTypes": [],
        "fluxUnit": "nJy",
        "ebvColumn": None,
        "zeroPointMag": ZERO_POINT_NJY,
        "qualityFilter": None,
        "extinction": {},
    }


MAGNITUDE_COLUMN = re.compile(r"(mag|magerr|mag_dered)_")


def output_units(profile, degrees, columns):
    """Units of the output's columns (compute/pipeline/output-units.ts): positions in deg, the
    separation in arcsec, magnitudes and E(B-V) in mag, fluxes in the profile's unit."""
    fluxes, mags = set(), {"ebv", "ebv_catalog"}
    if profile["ebvColumn"]:
        mags.add(profile["ebvColumn"])
    for t in profile["fluxTypes"]:
        for b in t["bands"]:
            fluxes.update(b.get(k) for k in ("flux", "fluxErr") if b.get(k))
            mags.update(b.get(k) for k in ("mag", "magErr", "magDered") if b.get(k))
    units = {}
    for name in columns:
        if name in degrees:
            units[name] = "deg"
        elif name == "_dist_arcsec":
            units[name] = "arcsec"
        elif MAGNITUDE_COLUMN.match(name) or name in mags:
            units[name] = "mag"
        elif profile["fluxUnit"] and (name in fluxes or name.startswith("flux_dered_")):
            units[name] = profile["fluxUnit"]
    return units


def find_flux_type(profile, want):
    want = (want or (profile["fluxTypes"][0]["id"] if profile["fluxTypes"] else "")).lower()
    for t in profile["fluxTypes"]:
        if t["id"] == want or t["label"].lower() == want:
            return t
    have = ", ".join(t["id"] for t in profile["fluxTypes"])
    raise UserError(f"photometry.fluxType: '{want}' is not a flux type of this {profile['label']} catalog; choose one of: {have}")


`;
