#!/usr/bin/env bash
# Write throughput and peak memory per output format: our writers next to pyarrow (Parquet, CSV)
# and astropy (FITS, HDF5) writing the same 40-column table. Usage: bench/io-bench.sh [rows]
# (default 10 000 000). Heavy: run it on a quiet machine. Needs bench/.venv (see interop.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000000}
# CSV is text: ~10x slower to write than the binary formats, so it gets its own row count
CSV_ROWS=${CSV_ROWS:-$ROWS}
DIR=bench/data/io
mkdir -p "$DIR"
RESULTS="$DIR/results.jsonl"
: > "$RESULTS"
npx esbuild bench/io-write-bench.ts --bundle --platform=node --format=esm --packages=external \
  --log-level=warning --outfile=bench/data/io-write-bench.mjs
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg), node $(node -v), rows $ROWS x 40 columns"
for fmt in parquet csv fits hdf5 hats; do
  n=$ROWS; [ "$fmt" = csv ] && n=$CSV_ROWS
  node --max-old-space-size=8192 bench/data/io-write-bench.mjs "$fmt" "$n" "$DIR" | tee -a "$RESULTS"
done
for pair in pyarrow:parquet pyarrow:csv astropy:fits astropy:hdf5; do
  n=$ROWS; [ "${pair##*:}" = csv ] && n=$CSV_ROWS
  bench/.venv/bin/python bench/io_write_bench.py "${pair%%:*}" "${pair##*:}" "$n" "$DIR" | tee -a "$RESULTS"
done
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const pad = (s, n) => String(s).padStart(n);
console.log("\n" + ["format", "tool", "rows", "rows/s", "seconds", "peak RSS MB", "MB on disk"].map((h, i) => (i < 2 ? h.padEnd(9) : pad(h, 12))).join(""));
for (const r of rows.sort((a, b) => a.format.localeCompare(b.format) || a.tool.localeCompare(b.tool)))
  console.log(r.format.padEnd(9) + r.tool.padEnd(9) + pad(r.rows.toLocaleString("en"), 12) + pad(r.rowsPerSecond.toLocaleString("en"), 12) + pad(r.seconds, 12) + pad(r.peakRssMB, 12) + pad((r.bytes / 1e6).toFixed(0), 12));
' "$RESULTS"
