"""LSDB side of bench/remote-crossmatch: open catalogs by URL, crossmatch, print one JSON line.

Usage: remote_lsdb.py LEFT_URL RIGHT_URL MARGIN_URL RADIUS_ARCSEC N_NEIGHBORS
The bench's HTTP server counts the requests and bytes; this script reports rows and seconds.
"""

import json
import sys
import time

import lsdb

left_url, right_url, margin_url, radius, n = sys.argv[1:6]
t0 = time.perf_counter()
left = lsdb.open_catalog(left_url)
right = lsdb.open_catalog(right_url, margin_cache=margin_url)
t_open = time.perf_counter() - t0
result = left.crossmatch(right, radius_arcsec=float(radius), n_neighbors=int(n)).compute()
elapsed = time.perf_counter() - t0
print(
    json.dumps(
        {
            "lsdb": lsdb.__version__,
            "rows": len(result),
            "open_seconds": round(t_open, 3),
            "seconds": round(elapsed, 3),
        }
    )
)
