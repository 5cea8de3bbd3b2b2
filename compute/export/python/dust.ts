/**
 * Dust maps (SFD ZEA hemispheres, HEALPix maps): a port of compute/photometry/sfd-map.ts and healpix-map.ts.
 * Python source kept as a string so the bundles carry it (generated job: tsm_job.py).
 */
export const PY_DUST = String.raw`# ---------------------------------------------------------------------------------------------
# Dust maps (port of compute/photometry/sfd-map.ts and healpix-map.ts): E(B-V) at ICRS positions
# ---------------------------------------------------------------------------------------------
HEALPIX_COLUMNS = ["EBV", "T", "I", "E(B-V)", "EBV_SFD"]
HEALPIX_SCALES = {"EBV": 1.0, "TAU353": 1.49e4, "RADIANCE": 5.4e5}
UNSEEN = -1.6375e30
DUST_FILES = {
    "sfd": ("sfd", ["SFD_dust_4096_ngp.fits", "SFD_dust_4096_sgp.fits"]),
    "csfd": ("csfd", ["csfd_ebv.fits"]),
    "planck": ("planck", ["HFI_CompMap_ThermalDustModel_2048_R1.20.fits"]),
    "sfd-lowres": ("", ["sfd-lowres-healpix64.fits"]),
}


def _galactic_rad(ra_deg, dec_deg):
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    g = SkyCoord(ra=ra_deg * u.deg, dec=dec_deg * u.deg, frame="icrs").galactic
    return g.l.rad, g.b.rad


class SfdMap:
    """SFD98 ZEA hemispheres: x = CRPIX1-1 + S*sqrt(1-n sin b) cos l, y = CRPIX2-1 - n S ... sin l;
    bilinear with clamp-to-edge (dustmaps: map_coordinates(order=1, mode='nearest'))."""

    def __init__(self, ngp_path, sgp_path):
        from astropy.io import fits

        self.hemis = []
        self.north_only = sgp_path is None
        for path in (ngp_path, sgp_path or ngp_path):
            with fits.open(path, memmap=True) as f:
                h = f[0].header
                self.hemis.append(
                    (np.asarray(f[0].data, dtype=np.float64), h["CRPIX1"] - 1, h["CRPIX2"] - 1, h["LAM_SCAL"], h["LAM_NSGP"])
                )

    def ebv(self, ra, dec):
        out = np.full(len(ra), np.nan)
        ok = np.isfinite(ra) & np.isfinite(dec)
        l, b = _galactic_rad(ra[ok], dec[ok])
        if self.north_only and (b < 0).any():
            raise UserError("positions south of the Galactic plane need the SFD south map SFD_dust_4096_sgp.fits next to the north one")
        vals = np.full(len(l), np.nan)
        for k, sel in enumerate((b >= 0, b < 0)):
            data, x0, y0, scale, nsgp = self.hemis[k]
            ny, nx = data.shape
            rho = np.sqrt(1 - nsgp * np.sin(b[sel]))
            x = x0 + scale * rho * np.cos(l[sel])
            y = y0 - nsgp * scale * rho * np.sin(l[sel])
            fx, fy = np.floor(x), np.floor(y)
            wx, wy = x - fx, y - fy
            xa = np.clip(fx, 0, nx - 1).astype(np.int64)
            xb = np.clip(fx + 1, 0, nx - 1).astype(np.int64)
            ya = np.clip(fy, 0, ny - 1).astype(np.int64)
            yb = np.clip(fy + 1, 0, ny - 1).astype(np.int64)
            v = (1 - wx) * (1 - wy) * data[ya, xa]
            v = v + wx * (1 - wy) * data[ya, xb]
            v = v + (1 - wx) * wy * data[yb, xa]
            vals[sel] = v + wx * wy * data[yb, xb]
        out[ok] = vals
        return out


class HealpixMap:
    """HEALPix E(B-V) map in a FITS BINTABLE (RING or NESTED, Galactic or equatorial), bilinear
    (healpy get_interp_val) or, for csfd and planck as dustmaps reads them, the nearest pixel;
    as compute/photometry/healpix-map.ts."""

    def __init__(self, path, nearest=False):
        self.nearest = nearest
        from astropy.io import fits

        with fits.open(path, memmap=True) as f:
            hdu = next(h for h in f if isinstance(h, fits.BinTableHDU))
            names = [c.name for c in hdu.columns]
            upper = [n.upper() for n in names]
            col = next((names[upper.index(p)] for p in HEALPIX_COLUMNS if p in upper), names[0])
            self.values = np.asarray(hdu.data[col], dtype=np.float64).ravel()
            ordering = str(hdu.header.get("ORDERING", "RING")).strip().upper()
            if ordering not in ("RING", "NESTED"):
                raise UserError(f"{path}: ORDERING = '{ordering}'; RING or NESTED expected.")
            self.nest = ordering == "NESTED"
            c = str(hdu.header.get("COORDSYS", "G")).strip().upper()
            self.galactic = c == "G" or c.startswith("GAL")
            equatorial = c in ("C", "Q", "ICRS") or c.startswith(("CEL", "EQU"))
            if not self.galactic and not equatorial:
                raise UserError(f"{path}: COORDSYS = '{c}' is not supported (Galactic 'G' or equatorial 'C' expected).")
            self.scale = HEALPIX_SCALES.get(col.upper(), 1.0)

    def ebv(self, ra, dec):
        import healpy as hp

        out = np.full(len(ra), np.nan)
        ok = np.isfinite(ra) & np.isfinite(dec)
        if self.galactic:
            lon, lat = _galactic_rad(ra[ok], dec[ok])
        else:
            lon, lat = np.radians(np.mod(ra[ok], 360.0)), np.radians(dec[ok])
        nside = hp.npix2nside(len(self.values))
        if self.nearest:
            v = self.values[hp.ang2pix(nside, np.pi / 2 - lat, lon, nest=self.nest)]
        else:
            pix, w = hp.get_interp_weights(nside, np.pi / 2 - lat, lon, nest=self.nest)
            v = self.values[pix[0]] * w[0]
            for k in range(1, 4):
                v = v + np.where(w[k] != 0, self.values[pix[k]] * w[k], 0.0)
        v = v * self.scale
        v[v < UNSEEN * 1e-10 * self.scale] = np.nan
        out[ok] = v
        return out


def _named(dust, name, files):
    """The map with the name and files its warnings give, as compute/photometry's DustMapInfo."""
    dust.name, dust.files = name, [str(f) for f in files]
    return dust


def open_dust_map(name, folder):
    """Opens a dust map by name from the dust-map folder (files directly in it or in dustmaps'
    sub-folders sfd/, csfd/, planck/), or a FITS file given by path (an SFD hemisphere, paired
    with its partner when named SFD_dust_4096_ngp/sgp.fits, or any HEALPix map)."""
    if re.search(r"[.]fits?$", name, re.IGNORECASE):
        from astropy.io import fits

        if not Path(name).exists():
            raise UserError(f"photometry.dereddening.map: {name} not found; copy the map where the job runs")
        with fits.open(name) as f:
            is_sfd = "LAM_NSGP" in f[0].header
        if not is_sfd:
            return _named(HealpixMap(name), Path(name).name, [name])
        m = re.search(r"SFD_dust_4096_(ngp|sgp)[.]fits$", name, re.IGNORECASE)
        if not m:
            return _named(SfdMap(name, None), "sfd", [name])
        ngp = re.sub(r"_sgp[.]fits$", "_ngp.fits", name, flags=re.IGNORECASE)
        sgp = re.sub(r"_ngp[.]fits$", "_sgp.fits", name, flags=re.IGNORECASE)
        return _named(SfdMap(ngp, sgp), "sfd", [ngp, sgp])
    if name not in DUST_FILES:
        raise UserError(f"photometry.dereddening.map: unknown map '{name}'")
    sub, files = DUST_FILES[name]
    found = []
    for fname in files:
        hits = [p for p in (Path(folder) / fname, Path(folder) / sub / fname) if p.exists()]
        if not hits:
            raise UserError(
                f"dust map '{name}' needs {fname} in the dust-map folder {folder} (or its {sub or '.'}/ sub-folder); "
                "give --dust-maps DIR (see README.md for where to download it)"
            )
        found.append(str(hits[0]))
    dust = SfdMap(*found) if name == "sfd" else HealpixMap(found[0], nearest=name in ("csfd", "planck"))
    return _named(dust, name, found)


def ebv_values_warning(dust, ebv):
    """As compute/photometry/ebv-values.ts ebvValuesWarning: the matched positions where the map
    gave NaN or a negative E(B-V) (a map of another quantity, a wrong column, blank pixels), or
    None when every one got 0 or more."""
    nan = int(np.isnan(ebv).sum())
    negative = int((ebv < 0).sum())
    if nan == 0 and negative == 0:
        return None
    where = f"'{dust.name}'" + (f" ({', '.join(dust.files)})" if dust.files else "")
    got, effects = [], []
    if nan:
        got.append(f"no value (NaN) at {nan:,}")
        effects.append("NaN E(B-V) gives NaN dereddened magnitudes (or fluxes)")
    if negative:
        got.append(f"a negative E(B-V) at {negative:,}")
        effects.append("a negative E(B-V) makes dereddened magnitudes fainter than the observed ones")
    return f"the dust map {where} gave {' and '.join(got)} of {len(ebv):,} matched positions: {'; '.join(effects)}. Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map."


`;
