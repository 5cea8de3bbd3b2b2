"""Proof of `tsm export --target lsdb`: the exported job, run on a local Dask cluster with 2
workers, gives the same training set as our pipeline (tsm run's runTrainingSet).

Usage: bench/.venv/bin/python bench/export_check.py [--out DIR] [--large N [--no-small]] [--only a,b]

1. node bench/export.mjs writes the test catalogs (TSM example spec-z + duplicates, generated
   DP0.2 / DP1 / DES DR2 HATS catalogs), runs our pipeline on 11 projects (bench/export.ts lists them: formats, maps, joins, and a
   training set used again as the photometric catalog, twice) and exports each as an
   LSDB job (with --large N: one N-row spec-z / 3N-row DP0.2 project for timing).
2. Each job is byte-compiled (py_compile) and run: tsm_job.py --workers 2 (LocalCluster).
3. The outputs are compared row by row: same columns in the same order with the same Arrow
   types, the same (spec-z, photometric object) pairs, magnitudes within 1e-6 mag, every other
   column equal (NaN = NaN), the same tie_result and is_training_set (same seed).
Writes <out>/export-results.json and prints one line per case. Not part of npm test.
"""

import argparse
import json
import math
import py_compile
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
MAG_TOLERANCE = 1e-6
PHOT_IDS = ("objectId", "COADD_OBJECT_ID")
TOLERANCES = {"mag": MAG_TOLERANCE, "ebv": 1e-9, "_dist_arcsec": 1e-9}


def run_ours(out, large, only=None):
    cmd = ["node", str(ROOT / "bench" / "export.mjs"), "--out", str(out)]
    if large:
        cmd += ["--large", str(large)]
    if only:
        cmd += ["--only", only]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    sys.stderr.write(res.stderr)
    if res.returncode != 0:
        raise SystemExit(f"bench/export.mjs failed ({res.returncode})")
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_job(case, out_dir, threads):
    script = Path(case["job"]) / "tsm_job.py"
    py_compile.compile(str(script), doraise=True)
    cmd = [sys.executable, str(script), "--workers", "2", "--threads-per-worker", str(threads), "--out", str(out_dir)]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        sys.stderr.write(res.stderr[-4000:])
        raise SystemExit(f"{case['name']}: the exported job failed ({res.returncode})")
    record = json.loads(res.stdout.strip().splitlines()[-1])
    return record, wall


def read_table(path, fmt):
    """The output as an Arrow table; FITS and HDF5 through astropy (masked values -> nulls,
    byte strings decoded), HATS through lsdb.open_catalog (index _healpix_29 back as a column)."""
    if fmt == "parquet":
        return pq.read_table(path)
    if fmt == "csv":
        return pa.Table.from_pandas(pd.read_csv(path, dtype_backend="pyarrow"), preserve_index=False)
    if fmt in ("fits", "hdf5"):
        from astropy.table import Table

        t = Table.read(path) if fmt == "fits" else Table.read(path, path="data")
        arrays, names = [], []
        for name in t.colnames:
            col = t[name]
            data = np.asarray(col)
            if data.dtype.kind == "S":
                data = np.char.decode(data, "utf-8")
            elif data.dtype.byteorder not in ("=", "|"):
                data = data.astype(data.dtype.newbyteorder("="))
            mask = np.asarray(col.mask) if hasattr(col, "mask") else None
            arrays.append(pa.array(data, mask=mask if mask is not None and mask.any() else None))
            names.append(name)
        return pa.Table.from_arrays(arrays, names=names)
    if fmt == "hats":
        import lsdb

        df = lsdb.open_catalog(path, columns="all").compute()
        if df.index.name in df.columns:
            df = df.reset_index(drop=True)
        else:
            df = df.reset_index()
        return pa.Table.from_pandas(df, preserve_index=False)
    raise SystemExit(f"no comparison for format {fmt}")


def read_units(path, fmt):
    """Each column's unit as the output carries it: Parquet fields' 'unit' metadata, FITS TUNIT
    and HDF5 column meta as astropy reads them; CSV carries none, and HATS is not compared (ours
    carries units, the HATS that lsdb writes for the exported job does not)."""
    if fmt == "parquet":
        return {f.name: (f.metadata or {}).get(b"unit", b"").decode() or None for f in pq.read_schema(path)}
    if fmt in ("fits", "hdf5"):
        from astropy.table import Table

        t = Table.read(path) if fmt == "fits" else Table.read(path, path="data")
        return {name: (str(t[name].unit) if t[name].unit is not None else None) for name in t.colnames}
    return {}


def tolerance(name):
    if name.startswith(("mag_", "magerr_")):
        return TOLERANCES["mag"], "abs"
    if name.startswith(("flux_dered_", "fluxerr_dered_")):
        return 1e-12, "rel"
    return TOLERANCES.get(name, 0.0), "abs"


def compare(case, ours_path, lsdb_path):
    fmt = case["format"]
    report = {"case": case["name"], "format": fmt, "problems": []}
    problems = report["problems"]
    if fmt == "csv":
        a = Path(ours_path).read_bytes().decode("utf-8").split("\r\n")
        b = Path(lsdb_path).read_bytes().decode("utf-8").split("\r\n")
        report["csvHeaderEqual"] = a[0] == b[0]
        if not report["csvHeaderEqual"]:
            problems.append("CSV header differs")
        # Text equality of every cell except the columns computed with floating-point maths
        # (magnitudes, ebv, _dist_arcsec: checked below with their tolerances).
        header = a[0].split(",")
        free = [i for i, name in enumerate(header) if tolerance(name)[0] == 0.0]

        def text_rows(lines):
            return sorted(tuple(line.split(",")[i] for i in free) for line in lines[1:] if line)

        report["csvSameText"] = text_rows(a) == text_rows(b)
        report["csvIdenticalLines"] = sorted(a[1:]) == sorted(b[1:])
        # Not a problem by itself: our CSV writer prints one float32 with 7 or 9 digits in a batch
        # with nulls and with 7, 8 or 9 digits in a batch without; both read back to the same
        # float32, which the value comparison below checks.
    ta, tb = read_table(ours_path, fmt), read_table(lsdb_path, fmt)
    report["rows"] = [ta.num_rows, tb.num_rows]
    report["columnsEqual"] = ta.column_names == tb.column_names
    if not report["columnsEqual"]:
        problems.append(f"columns differ: ours only {sorted(set(ta.column_names) - set(tb.column_names))}, lsdb only {sorted(set(tb.column_names) - set(ta.column_names))}, order equal={sorted(ta.column_names) == sorted(tb.column_names)}")
    ua, ub = read_units(ours_path, fmt), read_units(lsdb_path, fmt)
    report["unitDifferences"] = {n: (ua.get(n), ub.get(n)) for n in ua if ua.get(n) != ub.get(n)}
    report["units"] = sum(1 for u in ua.values() if u)
    if report["unitDifferences"]:
        problems.append(f"units differ (ours, lsdb) in {len(report['unitDifferences'])} columns: {dict(list(report['unitDifferences'].items())[:4])}")
    types = {n: (str(ta.schema.field(n).type), str(tb.schema.field(n).type)) for n in ta.column_names if n in tb.column_names}
    report["typeDifferences"] = {n: t for n, t in types.items() if t[0] != t[1]}
    if report["typeDifferences"]:
        problems.append(f"Arrow types differ: {report['typeDifferences']}")
    if ta.num_rows != tb.num_rows:
        problems.append(f"row counts differ: ours {ta.num_rows}, lsdb {tb.num_rows}")
        return report
    da, db = ta.to_pandas(), tb.to_pandas()
    specz_id = "id_specz" if "id_specz" in da.columns else "id"
    phot = next((c for c in PHOT_IDS if c in da.columns), None)
    keys = [k for k in ("_healpix_29", specz_id, phot, "_dist_arcsec") if k and k in da.columns]
    da = da.sort_values(keys, na_position="last", kind="mergesort").reset_index(drop=True)
    db = db.sort_values(keys, na_position="last", kind="mergesort").reset_index(drop=True)
    pair_keys = [k for k in (specz_id, phot) if k in da.columns]
    pairs_a = list(map(tuple, da[pair_keys].astype(object).where(da[pair_keys].notna(), None).values))
    pairs_b = list(map(tuple, db[pair_keys].astype(object).where(db[pair_keys].notna(), None).values))
    report["samePairs"] = pairs_a == pairs_b
    report["pairs"] = len(pairs_a)
    if not report["samePairs"]:
        problems.append("the (spec-z id, photometric id) pairs differ")
        return report
    max_diff = {}
    for name in ta.column_names:
        if name not in db.columns:
            continue
        a, b = da[name], db[name]
        if pd.api.types.is_float_dtype(a.dtype) and pd.api.types.is_float_dtype(b.dtype):
            x = a.to_numpy(dtype=np.float64, na_value=np.nan)
            y = b.to_numpy(dtype=np.float64, na_value=np.nan)
            nan_a, nan_b = np.isnan(x), np.isnan(y)
            if (nan_a != nan_b).any():
                problems.append(f"{name}: NaN/null in {int((nan_a != nan_b).sum())} rows on one side only")
            ok = ~nan_a & ~nan_b
            tol, kind = tolerance(name)
            if fmt == "csv" and tol == 0.0:
                # CSV text of float32 columns: equal when they read back to the same float32
                same32 = np.float32(x[ok]) == np.float32(y[ok])
                if same32.all() and (x[ok] != y[ok]).any():
                    report.setdefault("csvFloat32TextDiffs", {})[name] = int((x[ok] != y[ok]).sum())
                    y = x.copy()
            d = np.abs(x[ok] - y[ok])
            if kind == "rel":
                d = d / np.maximum(np.abs(x[ok]), 1e-300)
            m = float(d.max()) if d.size else 0.0
            max_diff[name] = m
            if m > tol:
                problems.append(f"{name}: max {'relative ' if kind == 'rel' else ''}difference {m:.3g} > {tol:g}")
            nulls = (a.isna().to_numpy() != b.isna().to_numpy()).sum()
            if nulls:
                report.setdefault("nullVsNaN", {})[name] = int(nulls)
        else:
            va = a.astype(object).where(a.notna(), None).tolist()
            vb = b.astype(object).where(b.notna(), None).tolist()
            bad = sum(1 for p, q in zip(va, vb) if p != q)
            if bad:
                problems.append(f"{name}: {bad} rows differ")
    mags = [v for k, v in max_diff.items() if k.startswith(("mag_", "magerr_"))]
    report["maxMagDifference"] = max(mags) if mags else None
    report["maxEbvDifference"] = max_diff.get("ebv")
    report["maxDistDifference"] = max_diff.get("_dist_arcsec")
    for flag in ("is_training_set", "tie_result"):
        if flag in da.columns:
            report[f"{flag}Equal"] = da[flag].tolist() == db[flag].tolist()
    if "is_training_set" in da.columns:
        report["train"] = int(da["is_training_set"].sum())
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "out" / "export-bench"))
    ap.add_argument("--large", type=int, default=0, help="also run one N-row spec-z project for timing")
    ap.add_argument("--threads", type=int, default=1, help="threads per LocalCluster worker")
    ap.add_argument("--only", help="comma-separated case names of the small suite")
    ap.add_argument("--no-small", action="store_true", help="skip the small suite (with --large)")
    args = ap.parse_args()
    out = Path(args.out)
    cases = [] if args.no_small else run_ours(out, 0, args.only)
    if args.large:
        cases += run_ours(out / "large", args.large)
    results = []
    for case in cases:
        lsdb_dir = Path(case["job"]).parent.parent / "lsdb" / case["name"]
        record, wall = run_job(case, lsdb_dir, args.threads)
        if case.get("oursError"):
            t = read_table(record["output"]["path"], case["format"])
            rep = {"case": case["name"], "format": case["format"], "rows": [None, t.num_rows],
                   "problems": [f"our pipeline failed: {case['oursError']} (the LSDB job wrote {t.num_rows} rows, readable)"]}
        else:
            rep = compare(case, case["ours"], record["output"]["path"])
        rep.update(
            {
                "oursSeconds": round(case["oursSeconds"], 2),
                "lsdbWallSeconds": round(wall, 2),
                "lsdbComputeSeconds": record["computeSeconds"],
                "lsdbJobSeconds": record["elapsedSeconds"],
            }
        )
        results.append(rep)
        status = "OK" if not rep["problems"] else "DIFF: " + "; ".join(rep["problems"])
        print(
            f"{case['name']:>14}: {rep['rows'][0]} rows, ours {rep['oursSeconds']} s, lsdb job {rep['lsdbWallSeconds']} s "
            f"(compute {rep['lsdbComputeSeconds']} s), max |dmag| {rep.get('maxMagDifference')}, "
            f"split equal {rep.get('is_training_setEqual')}, tie_result equal {rep.get('tie_resultEqual')} -> {status}",
            flush=True,
        )
    (out / "export-results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    failed = [r["case"] for r in results if r["problems"]]
    print(f"{len(results) - len(failed)}/{len(results)} cases identical" + (f"; differences in {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
