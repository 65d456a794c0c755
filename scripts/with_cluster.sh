#!/bin/bash
# Runs a command against a throwaway PostgreSQL 15 cluster with vector_ext
# installed (PGHOST/PGPORT/PGDATABASE/PGUSER set by pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/vector_ext-install.lock
flock 9
make -s install >/dev/null
exec pg_virtualenv -v 15 "$@"
