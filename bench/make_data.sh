#!/bin/bash
# Make the synthetic scale data sets of the benchmark with make_synthetic.py.
#
#   bench/make_data.sh [NAME ...]      (default: all of them)
#
# Names: synth-200k-128-l2, synth-1m-128-l2, synth-100k-768-cosine,
# synth-100k-1536-cosine, synth-10k-128-l2 (a quick one), synth-1m-768-l2 (the
# binary index's scan benchmark, bench/binary_scan.sh; 3 GB, not in the default set). Output goes to
# bench/data/NAME (git-ignored), or $BENCH_DATA/NAME. The generator is
# ../shared/tools/make_synthetic.py from the repository root, or $SHARED_TOOLS.
# Same arguments give the same bytes; an existing set is kept.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${SHARED_TOOLS:-$ROOT/../shared/tools}"
[ -f "$TOOLS/make_synthetic.py" ] || TOOLS=/work/shared/tools
[ -f "$TOOLS/make_synthetic.py" ] || { echo "make_synthetic.py not found; set SHARED_TOOLS" >&2; exit 1; }
OUT="${BENCH_DATA:-$ROOT/bench/data}"

# name -> make_synthetic.py arguments
args_for() {
    case "$1" in
        synth-10k-128-l2)       echo "--rows 10000 --dim 128 --metric l2" ;;
        synth-200k-128-l2)      echo "--rows 200000 --dim 128 --metric l2" ;;
        synth-1m-128-l2)        echo "--rows 1000000 --dim 128 --metric l2" ;;
        synth-100k-768-cosine)  echo "--rows 100000 --dim 768 --metric cosine" ;;
        synth-100k-1536-cosine) echo "--rows 100000 --dim 1536 --metric cosine" ;;
        synth-1m-768-l2)        echo "--rows 1000000 --dim 768 --metric l2 --queries 100" ;;
        *) echo "unknown data set $1" >&2; return 1 ;;
    esac
}

NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=(synth-200k-128-l2 synth-1m-128-l2 synth-100k-768-cosine synth-100k-1536-cosine)
for name in "${NAMES[@]}"; do
    a="$(args_for "$name")"
    if [ -f "$OUT/$name/info.json" ]; then
        echo "$OUT/$name exists"
        continue
    fi
    echo "making $OUT/$name ($a)"
    # shellcheck disable=SC2086
    /usr/bin/python3 "$TOOLS/make_synthetic.py" $a --out "$OUT/$name"
done
