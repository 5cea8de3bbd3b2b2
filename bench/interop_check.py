"""Opens each output of bench/interop-write.ts the way a scientist would and compares the values
with the reference Arrow file (source.arrow). Prints one OK/FAIL line per check; exit code 1 on
any failure. Usage: interop_check.py <folder>"""
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.ipc as ipc

out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/data/interop")
ref = ipc.open_file(out / "source.arrow").read_all().to_pydict()
N = len(ref["id"])
failures = 0


def check(label, ok, detail=""):
    global failures
    print(f"{'OK  ' if ok else 'FAIL'} {label}{(': ' + detail) if detail and not ok else ''}")
    if not ok:
        failures += 1


def missing(v):
    """None, NaN, pandas NA and masked values all count as missing."""
    if v is None or v is np.ma.masked or v is pd.NA:
        return True
    try:
        return bool(isinstance(v, (float, np.floating)) and math.isnan(v))
    except TypeError:
        return False


def same_floats(got, want, f32=False):
    for g, w in zip(got, want):
        if missing(w):
            if not missing(g):
                return False
        elif missing(g):
            return False
        elif (np.float32(g) if f32 else float(g)) != (np.float32(w) if f32 else w):
            return False
    return len(got) == len(want)


def text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return v


def core(fmt, cols, null_name, null_flag):
    check(f"{fmt}: {N} rows", len(cols["id"]) == N, str(len(cols["id"])))
    check(f"{fmt}: int64 id exact (beyond 2^53)", [int(v) for v in cols["id"]] == ref["id"])
    check(f"{fmt}: ra float64 exact", same_floats(list(cols["ra"]), ref["ra"]))
    check(f"{fmt}: z NaN kept", same_floats(list(cols["z"]), ref["z"]))
    check(f"{fmt}: mag float32 exact", same_floats(list(cols["mag"]), ref["mag"], f32=True))
    check(f"{fmt}: n int32", [int(v) for v in cols["n"]] == ref["n"])
    want_flag = [null_flag if v is None else v for v in ref["flag"]]
    got_flag = [None if missing(v) else bool(v) for v in cols["flag"]]
    check(f"{fmt}: booleans", got_flag == want_flag, f"{got_flag[:14]} vs {want_flag[:14]}")
    want_name = [null_name if v is None else v for v in ref["name"]]
    got_name = [None if missing(v) else text(v) for v in cols["name"]]
    if null_name == "":  # fixed-width formats: empty and null are the same blank field
        got_name = [None if g in ("", None) else g for g in got_name]
        want_name = [None if w in ("", None) else w for w in want_name]
    bad = [(i, g, w) for i, (g, w) in enumerate(zip(got_name, want_name)) if g != w]
    check(f"{fmt}: strings (comma, quote, newline, unicode, 200 chars)", not bad, str(bad[:3]))


# ---- Parquet: pandas.read_parquet

df = pd.read_parquet(out / "ts.parquet")
check("parquet: mag dtype float32", str(df["mag"].dtype) == "float32", str(df["mag"].dtype))
check("parquet: id dtype int64", str(df["id"].dtype) == "int64", str(df["id"].dtype))
core("parquet (pandas)", {c: df[c].tolist() for c in df.columns}, None, None)
import pyarrow.parquet as pq

md = pq.read_metadata(out / "ts.parquet")
check("parquet: footer metadata radius_arcsec", md.metadata.get(b"radius_arcsec") == b"1.0")
check("parquet: column statistics present", md.row_group(0).column(1).statistics is not None)
# Each column's unit as its field's metadata in the footer's Arrow schema (README: Output formats)
units = {f.name: (f.metadata or {}).get(b"unit") for f in pq.read_schema(out / "ts.parquet")}
want_units = {name: (b"deg" if name in ("ra", "dec") else None) for name in ref}
check("parquet (pyarrow): field metadata unit (ra, dec deg; others none)", units == want_units, str(units))
t = pq.read_table(out / "ts.parquet")
check("parquet (pyarrow): read_table keeps the unit", t.schema.field("ra").metadata == {b"unit": b"deg"})
core("parquet (pyarrow)", t.to_pydict(), None, None)
from astropy.table import Table

# astropy's Parquet reader (through pyarrow). It fails on a string column with nulls in any
# Parquet file it did not write itself (pyarrow's own too: len(None) in astropy 8.0), so the
# column 'name' is left out; it ignores the fields' unit metadata (units only from its own YAML).
t = Table.read(out / "ts.parquet", include_names=[c for c in ref if c != "name"])
check("parquet (astropy): int64 id exact", [int(v) for v in t["id"]] == ref["id"])
check("parquet (astropy): ra, z float64 exact", same_floats(list(t["ra"]), ref["ra"]) and same_floats(list(t["z"]), ref["z"]))
check("parquet (astropy): mag float32 exact", same_floats(list(t["mag"]), ref["mag"], f32=True))
check("parquet (astropy): n int32, booleans with nulls", [int(v) for v in t["n"]] == ref["n"] and list(t["flag"]) == ref["flag"])

# ---- CSV: pandas.read_csv (empty field = NaN, the documented choice)
df = pd.read_csv(out / "ts.csv")
check("csv: id dtype int64", str(df["id"].dtype) == "int64", str(df["id"].dtype))
cols = {c: df[c].tolist() for c in df.columns}
# pandas reads both an empty field (null) and "" (empty string) as NaN: compare '' as missing
ref_name = ref["name"]
ref["name"] = [None if v == "" else v for v in ref_name]
core("csv (pandas)", cols, None, None)
ref["name"] = ref_name

# ---- FITS: astropy
from astropy.io import fits
from astropy.table import Table

with fits.open(out / "ts.fits") as hdul:
    try:
        hdul.verify("exception")
        check("fits: astropy verify('exception')", True)
    except Exception as e:  # noqa: BLE001
        check("fits: astropy verify('exception')", False, str(e))
t = Table.read(out / "ts.fits")
check("fits: ra unit deg", str(t["ra"].unit) == "deg", str(t["ra"].unit))
check("fits: id is int64", t["id"].dtype.kind == "i" and t["id"].dtype.itemsize == 8, str(t["id"].dtype))
check("fits: meta RADIUS_ARCSEC", t.meta.get("RADIUS_ARCSEC") == "1.0", str(t.meta.get("RADIUS_ARCSEC")))
check("fits: long-string card (CONTINUE)", t.meta.get("PHOTOMETRIC_CATALOG", "").endswith("dp1") and len(t.meta.get("PHOTOMETRIC_CATALOG", "")) > 68)
core("fits (astropy)", {c: list(t[c]) for c in t.colnames}, "", False)

# ---- HDF5: astropy Table.read and h5py
t = Table.read(out / "ts.hdf5", path="data")
check("hdf5: ra unit deg (astropy meta)", str(t["ra"].unit) == "deg", str(t["ra"].unit))
check("hdf5: meta radius_arcsec", t.meta.get("radius_arcsec") == "1.0", str(dict(t.meta)))
# nulls of integer, boolean and string columns kept as astropy's <name>.mask columns (README)
core("hdf5 (astropy)", {c: list(t[c]) for c in t.colnames}, None, None)
import h5py

# a column with nulls is followed by its mask column (1 = null)
with_nulls = [name for name, values in ref.items() if any(v is None for v in values)]
want_names = tuple(n for name in ref for n in ((name, f"{name}.mask") if name in with_nulls else (name,)))
with h5py.File(out / "ts.hdf5", "r") as f:
    ds = f["data"]
    check("hdf5 (h5py): compound dataset", ds.dtype.names == want_names, str(ds.dtype.names))
    for name in with_nulls:
        got_mask = [int(v) for v in ds[f"{name}.mask"]]
        check(f"hdf5 (h5py): {name}.mask marks the nulls", got_mask == [int(v is None) for v in ref[name]])
    check("hdf5 (h5py): attribute radius_arcsec", text(ds.attrs["radius_arcsec"]) == "1.0")
    check("hdf5 (h5py): id <i8 exact", [int(v) for v in ds["id"]] == ref["id"])

# ---- HATS: lsdb
import lsdb

cat = lsdb.open_catalog(out / "ts.hats")
df = cat.compute().sort_values("id")
check("hats (lsdb): margin loaded", cat.margin is not None)
check("hats (lsdb): partitions", len(cat.get_healpix_pixels()) >= 1, str(cat.get_healpix_pixels()))
core("hats (lsdb)", {c: df[c].tolist() for c in ref.keys()}, None, None)
if cat.margin is not None:
    m = cat.margin.compute()
    check("hats (lsdb): margin rows are catalog rows", set(m["id"]).issubset(set(ref["id"])), str(len(m)))

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
