#!/bin/bash
# One command for the Benchmarks section of bench/README.md: make the data set,
# start a throwaway PostgreSQL 15 cluster (pg_virtualenv) with benchmark settings,
# run the given profiles (each in its own database, since pgvector and vector_ext
# cannot share one) plus the Faiss references, and write bench/out/DATASET.*.
#
#   bench/reproduce.sh [DATASET] [PROFILE ...]
#
# DATASET is a bench/make_data.sh name (default synth-200k-128-l2); PROFILEs
# default to bench/profiles/vector_ext.json and bench/profiles/pgvector.json. The
# extensions must be installed in the system PostgreSQL 15. Extra run.py options
# go in $BENCH_ARGS (default "--runs 3"), e.g. BENCH_ARGS="--runs 3 --all".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATASET="${1:-synth-200k-128-l2}"
shift || true
PROFILES=("$@")
[ ${#PROFILES[@]} -gt 0 ] || PROFILES=("$ROOT/bench/profiles/vector_ext.json" "$ROOT/bench/profiles/pgvector.json")
"$ROOT/bench/make_data.sh" "$DATASET"
DBS=()
ARGS=()
i=0
for p in "${PROFILES[@]}"; do
    i=$((i + 1))
    DBS+=("bench$i")
    ARGS+=(--profile "$p@dbname=bench$i")
done
ARGS+=(--profile "$ROOT/bench/profiles/faiss.json")
# shellcheck disable=SC2016
exec pg_virtualenv -v 15 -o shared_buffers=2GB -o max_parallel_maintenance_workers=1 \
    sh -c 'for db in $1; do createdb "$db" || exit 1; done; shift; exec "$@"' sh "${DBS[*]}" \
    /usr/bin/python3 "$ROOT/bench/run.py" "${BENCH_DATA:-$ROOT/bench/data}/$DATASET" "${ARGS[@]}" \
    --name "$DATASET" ${BENCH_ARGS:---runs 3}
