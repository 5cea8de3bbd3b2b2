"""LSDB side of bench/scale.ts: open the spec-z and photometric HATS catalogs, crossmatch, write.

Usage: scale_lsdb.py SPECZ_HATS PHOT_COLLECTION OUT_DIR RADIUS_ARCSEC MODE
MODE "default": LSDB's default Dask settings (the threaded scheduler, one thread per core);
MODE "workers2": a dask.distributed LocalCluster of 2 worker processes with 1 thread each.
The output is written with Catalog.to_hats (LSDB's Parquet writer: one file per partition plus
metadata). Prints one JSON line: rows, seconds (inside Python, after imports), versions.
"""

import json
import sys
import time
import warnings


def main():
    specz, phot, out_dir, radius, mode = sys.argv[1:6]
    t_start = time.perf_counter()
    client = None
    if mode == "workers2":
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    elif mode != "default":
        sys.exit(f"MODE must be default or workers2 (got {mode})")

    import dask  # noqa: E402
    import lsdb  # noqa: E402

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    left = lsdb.open_catalog(specz)
    right = lsdb.open_catalog(phot)
    matched = left.crossmatch(
        right,
        radius_arcsec=float(radius),
        n_neighbors=1,
        suffix_method="overlapping_columns",
    )
    matched.to_hats(out_dir, catalog_name="xmatch", progress_bar=False, overwrite=True)
    elapsed = time.perf_counter() - t0
    written = lsdb.open_catalog(out_dir)
    rows = int(written.hc_structure.catalog_info.total_rows or 0)
    if client is not None:
        client.close()
    print(
        json.dumps(
            {
                "lsdb": lsdb.__version__,
                "dask": dask.__version__,
                "mode": mode,
                "rows": rows,
                "seconds": round(elapsed, 3),
                "seconds_with_cluster": round(time.perf_counter() - t_start, 3),
            }
        )
    )


# The guard matters: dask.distributed starts its worker processes by re-importing this module.
if __name__ == "__main__":
    main()
