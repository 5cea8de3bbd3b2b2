"""Agreement check of bench/scale.ts: the matched (spec-z id, photometric objectId) pairs of each
peer's output against the reference (the first entry), before any timing counts.

Usage: scale_check.py '<json list of {"name", "kind", "path"}>'
kind: ours (tsm run Parquet: id, objectId), xmatch (tsm xmatch Parquet: id_left, objectId_right),
lsdb (LSDB to_hats folder: id, objectId), stilts (STILTS FITS: id, objectId).
Prints one JSON object: per name the rows, distinct pairs, and pairs missing/extra vs the reference.
"""

import glob
import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq


def pairs_of(kind, path):
    if kind == "ours":
        t = pq.read_table(path, columns=["id", "objectId"])
        a, b = t["id"], t["objectId"]
    elif kind == "xmatch":
        t = pq.read_table(path, columns=["id_left", "objectId_right"])
        a, b = t["id_left"], t["objectId_right"]
    elif kind == "lsdb":
        files = sorted(glob.glob(os.path.join(path, "**", "Npix=*.parquet"), recursive=True))
        ids, objs = [], []
        for f in files:
            t = pq.read_table(f, columns=["id", "objectId"])
            ids.append(t["id"].to_numpy())
            objs.append(t["objectId"].to_numpy())
        a = np.concatenate(ids) if ids else np.array([], dtype=np.int64)
        b = np.concatenate(objs) if objs else np.array([], dtype=np.int64)
        return a.astype(np.int64), b.astype(np.int64)
    elif kind == "stilts":
        from astropy.io import fits

        with fits.open(path, memmap=True) as hdul:
            data = hdul[1].data
            return np.asarray(data["id"], dtype=np.int64), np.asarray(data["objectId"], dtype=np.int64)
    else:
        raise SystemExit(f"unknown kind {kind}")
    return np.asarray(a.to_numpy(), dtype=np.int64), np.asarray(b.to_numpy(), dtype=np.int64)


def main():
    entries = json.loads(sys.argv[1])
    ref = None
    out = {}
    for e in entries:
        a, b = pairs_of(e["kind"], e["path"])
        keys = set(zip(a.tolist(), b.tolist()))
        info = {"rows": int(len(a)), "pairs": len(keys), "leftRows": len(set(a.tolist()))}
        if ref is None:
            ref = keys
        else:
            info["missing"] = len(ref - keys)
            info["extra"] = len(keys - ref)
        out[e["name"]] = info
    print(json.dumps(out))


main()
