#!/usr/bin/env bash
# Interoperability proof: our writers' outputs opened by pandas, astropy, h5py, lsdb and STILTS.
# Needs the venv: python3 -m venv bench/.venv && bench/.venv/bin/pip install pyarrow pandas astropy h5py lsdb
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/data/interop
mkdir -p bench/data
npx esbuild bench/interop-write.ts --bundle --platform=node --format=esm --packages=external \
  --log-level=warning --outfile=bench/data/interop-write.mjs
node bench/data/interop-write.mjs "$OUT"
bench/.venv/bin/python bench/interop_check.py "$OUT"
if command -v stilts >/dev/null; then
  for f in ts.csv ts.fits; do
    echo "--- stilts tpipe $f"
    fmt=${f##*.}
    stilts tpipe in="$OUT/$f" ifmt="$fmt" omode=stats | head -20
    rows=$(stilts tpipe in="$OUT/$f" ifmt="$fmt" omode=count)
    echo "stilts count: $rows"
    case "$rows" in *"rows: 3000"*) echo "OK stilts $f rows";; *) echo "FAIL stilts $f rows"; exit 1;; esac
  done
  echo "--- stilts: id column exact in FITS"
  stilts tpipe in="$OUT/ts.fits" cmd='keepcols "id name"' cmd='head 3' omode=out ofmt=csv
else
  echo "stilts not installed: skipped"
fi
