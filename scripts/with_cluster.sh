#!/bin/bash
# Runs a command against a throwaway PostgreSQL 15 cluster with vector_ext
# installed (PGHOST/PGPORT/PGDATABASE/PGUSER set by pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install_lock.sh
throwaway_cluster "$@"
