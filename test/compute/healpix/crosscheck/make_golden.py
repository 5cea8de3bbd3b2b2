"""Cross-check data for the TypeScript HEALPix library, computed by cdshealpix and healpy.

Not needed by `npm test` (which reads the committed JSON). To regenerate:

    python3 -m venv /tmp/hpx && . /tmp/hpx/bin/activate
    pip install cdshealpix healpy astropy numpy
    python test/compute/healpix/crosscheck/make_golden.py > test/compute/healpix/crosscheck/golden.json

ang2pix is computed as hats does (`hats.pixel_math.healpix_shim.radec2pix`):
cdshealpix.nested.lonlat_to_healpix(Longitude(ra, deg), Latitude(dec, deg), order).
"""

import json
import sys

import astropy.units as u
import cdshealpix
import cdshealpix.nested as cn
import healpy as hp
import numpy as np
from astropy.coordinates import Latitude, Longitude

rng = np.random.default_rng(20261125)


def radec2pix(order, ra, dec):
    return cn.lonlat_to_healpix(
        Longitude(ra, unit="deg"), Latitude(dec, unit="deg"), order
    ).astype(np.int64)


def points():
    ra, dec = [], []
    n = 1000  # uniform on the sphere
    ra += list(rng.uniform(0, 360, n))
    dec += list(np.degrees(np.arcsin(rng.uniform(-1, 1, n))))
    for sign in (1, -1):  # poles, down to 1e-9 deg away, and exactly
        k = 200
        ra += list(rng.uniform(0, 360, k))
        dec += list(sign * (90 - 10 ** rng.uniform(-9, 0, k)))
        ra += [0.0, 45.0, 123.4]
        dec += [sign * 90.0] * 3
    k = 200  # RA next to 0 / 360
    ra += list(10 ** rng.uniform(-12, -1, k)) + list(360 - 10 ** rng.uniform(-12, -1, k))
    dec += list(rng.uniform(-89, 89, 2 * k))
    zt = np.degrees(np.arcsin(2 / 3))  # polar cap / belt transition
    k = 200
    ra += list(rng.uniform(0, 360, 2 * k))
    dec += list(zt + 10 ** rng.uniform(-13, -3, k) * rng.choice([-1, 1], k))
    dec += list(-zt + 10 ** rng.uniform(-13, -3, k) * rng.choice([-1, 1], k))
    # Vertices and centres of coarse pixels: on the edges of order-29 cells.
    for order in range(0, 11):
        nside = 2**order
        pix = rng.integers(0, 12 * nside * nside, 25)
        lon, lat = cn.vertices(pix, order)
        ra += list(lon.to_value(u.deg).ravel())
        dec += list(lat.to_value(u.deg).ravel())
        lon, lat = cn.healpix_to_lonlat(pix, order)
        ra += list(lon.to_value(u.deg))
        dec += list(lat.to_value(u.deg))
    ra = np.array(ra, dtype=np.float64)
    dec = np.clip(np.array(dec, dtype=np.float64), -90, 90)
    return ra, dec


def main():
    ra, dec = points()
    out = {
        "source": f"cdshealpix {cdshealpix.__version__}, healpy {hp.__version__}",
        "ra": [float(x) for x in ra],
        "dec": [float(x) for x in dec],
        "h29": [str(int(x)) for x in radec2pix(29, ra, dec)],
        "h13": [int(x) for x in radec2pix(13, ra, dec)],
    }
    nb = []
    for order in list(range(0, 25)):
        nside = 2**order
        npix = 12 * nside * nside
        pix = set(int(x) for x in rng.integers(0, npix, 12))
        for f in range(12):  # the four corner cells of every face
            last = nside * nside - 1
            pix.update(f * nside * nside + c for c in (0, last, int(0x5555555555555 & last), int(0xAAAAAAAAAAAA & last)))
        pix = sorted(pix)
        res = hp.get_all_neighbours(nside, np.array(pix), nest=True)
        for i, p in enumerate(pix):
            nb.append([order, p, [int(x) for x in res[:, i]]])
    out["neighbours"] = nb
    ext = []
    for order, delta in [(0, 1), (0, 4), (1, 3), (2, 5), (3, 2), (5, 6), (7, 3), (10, 6), (16, 5), (20, 4)]:
        nside = 2**order
        pix = np.unique(
            np.concatenate([rng.integers(0, 12 * nside * nside, 6), [0, 12 * nside * nside - 1]])
        ).astype(np.uint64)
        border, corner = cn.external_neighbours(pix, order, delta)
        for i, p in enumerate(pix):
            cells = np.concatenate([border[i], corner[i]]).astype(np.int64)
            cells = sorted(set(int(c) for c in cells if c >= 0))
            ext.append([order, int(p), delta, cells])
    out["externalNeighbours"] = ext
    bnd = []
    for order in [0, 1, 4, 9, 15, 22, 29]:
        nside = 2**order
        for p in rng.integers(0, 12 * nside * nside, 6):
            v = hp.boundaries(nside, int(p), step=3, nest=True)
            bnd.append([order, str(int(p)), [[float(x) for x in row] for row in v]])
    out["boundaries"] = bnd
    json.dump(out, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
