"""Peer write throughput for bench/io-bench.sh: `io_write_bench.py <tool> <format> <rows> <dir>`
with tool pyarrow (parquet, csv: streamed in 100 000-row batches) or astropy (fits, hdf5:
Table.write of the whole table, astropy's only way). Same 40 columns as bench/io-write-bench.ts:
int64 id, float64 ra/dec, 36 float32 flux/error columns, int32 flag. Prints one JSON line; the
time counts the write only (generation excluded), peak RSS is the whole process."""
import json
import os
import resource
import sys
import time

import numpy as np
import pyarrow as pa

tool, fmt, rows, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
BATCH = 100_000
rng = np.random.default_rng(7)
os.makedirs(out, exist_ok=True)
path = os.path.join(out, f"peer.{fmt}")


def batch(start, n):
    cols = {
        "id": np.arange(start, start + n, dtype=np.int64) + 1_000_000_000_000,
        "ra": rng.random(n) * 360,
        "dec": np.degrees(np.arcsin(2 * rng.random(n) - 1)),
    }
    for b in range(18):
        cols[f"flux_{b}"] = (rng.random(n) * 1e4).astype(np.float32)
        cols[f"flux_err_{b}"] = (rng.random(n) * 10).astype(np.float32)
    cols["flag"] = rng.integers(0, 4, n, dtype=np.int32)
    return cols


seconds = 0.0
if tool == "pyarrow":
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    writer = None
    for s in range(0, rows, BATCH):
        table = pa.table(batch(s, min(BATCH, rows - s)))
        t0 = time.perf_counter()
        if writer is None:
            writer = (
                pq.ParquetWriter(path, table.schema, compression="snappy", use_dictionary=False)
                if fmt == "parquet"
                else pacsv.CSVWriter(path, table.schema)
            )
        writer.write_table(table) if fmt == "parquet" else writer.write_table(table)
        seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    writer.close()
    seconds += time.perf_counter() - t0
else:
    from astropy.table import Table

    parts = [batch(s, min(BATCH, rows - s)) for s in range(0, rows, BATCH)]
    table = Table({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    del parts
    t0 = time.perf_counter()
    if fmt == "fits":
        table.write(path, overwrite=True)
    else:
        table.write(path, path="data", serialize_meta=True, overwrite=True)
    seconds = time.perf_counter() - t0
size = os.path.getsize(path)
os.remove(path)
print(
    json.dumps(
        {
            "tool": tool,
            "format": fmt,
            "rows": rows,
            "columns": 40,
            "seconds": round(seconds, 2),
            "rowsPerSecond": round(rows / seconds),
            "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "bytes": size,
        }
    )
)
