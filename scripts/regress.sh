#!/bin/bash
# Install the built extension and run the pg_regress suite against a throwaway
# PostgreSQL 15 cluster (pg_virtualenv). Extra arguments go to make, e.g.
#   scripts/regress.sh REGRESS="vector_io"
# A lock keeps parallel checkouts on one machine from installing over each other.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install_lock.sh
throwaway_cluster make -s installcheck PG_CONFIG="$PG_CONFIG" "$@"
