#!/bin/sh
# Fetch the CoIL 2000 "Caravan" insurance data into datasets/external/Caravan.csv (git-ignored).
# The CSV ships inside the PyPI wheel islp==0.6.0 as ISLP/data/Caravan.csv; we download the wheel
# (no dependencies), take that one file out and throw the wheel away. Safe to run again: it does
# nothing when the file is already there. Works from any working directory.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
external="$here/../external"
target="$external/Caravan.csv"

if [ ! -f "$target" ]; then
    mkdir -p "$external"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT INT TERM
    python3 -m pip download --quiet --no-deps islp==0.6.0 -d "$tmp"
    # `unzip` may be missing; Python's zipfile is always there. Write to a temporary name, then rename.
    python3 - "$tmp" "$target" <<'PY'
import glob, os, sys, zipfile
tmp, target = sys.argv[1], sys.argv[2]
wheels = glob.glob(os.path.join(tmp, "islp-0.6.0-*.whl"))
if len(wheels) != 1:
    sys.exit(f"fetch.sh: expected one islp-0.6.0 wheel in {tmp}, found {wheels}")
with zipfile.ZipFile(wheels[0]) as z:
    data = z.read("ISLP/data/Caravan.csv")
with open(target + ".tmp", "wb") as f:
    f.write(data)
os.replace(target + ".tmp", target)
PY
fi

echo "Caravan data: $(CDPATH= cd -- "$external" && pwd)/Caravan.csv"
