#!/bin/bash
# One command for the Benchmarks section of bench/README.md: make the data set,
# start a throwaway PostgreSQL 15 cluster (pg_virtualenv) with benchmark settings,
# run the given profile(s) plus the Faiss references, and write bench/out/NAME.*.
#
#   bench/reproduce.sh [DATASET] [PROFILE ...]
#
# DATASET is a bench/make_data.sh name (default synth-200k-128-l2); PROFILE
# defaults to bench/profiles/vector_ext.json (pgvector: bench/profiles/pgvector.json;
# pgvector and vector_ext cannot share a database, so run one per command).
# The extension(s) must be installed in the system PostgreSQL 15.
# Extra run.py options can be passed in $BENCH_ARGS, e.g. BENCH_ARGS="--all".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATASET="${1:-synth-200k-128-l2}"
shift || true
PROFILES=("$@")
[ ${#PROFILES[@]} -gt 0 ] || PROFILES=("$ROOT/bench/profiles/vector_ext.json")
"$ROOT/bench/make_data.sh" "$DATASET"
ARGS=()
for p in "${PROFILES[@]}"; do ARGS+=(--profile "$p"); done
ARGS+=(--profile "$ROOT/bench/profiles/faiss.json")
tag="$(basename "${PROFILES[0]}" .json)"
# shellcheck disable=SC2086
exec pg_virtualenv -v 15 -o shared_buffers=2GB -o max_parallel_maintenance_workers=1 \
    /usr/bin/python3 "$ROOT/bench/run.py" "${BENCH_DATA:-$ROOT/bench/data}/$DATASET" "${ARGS[@]}" \
    --name "$DATASET-$tag" ${BENCH_ARGS:-}
