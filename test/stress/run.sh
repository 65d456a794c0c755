#!/bin/bash
# The long concurrency stress: TAP test 160 with SECONDS of pgbench per
# configuration (default 600: ten minutes for each of the six, about 65
# minutes in all), against a private throwaway cluster on a Unix socket.
# Prints one line per configuration (ops/s per operation, VACUUM + check
# rounds, retried serialization failures, recall before -> after).
#   test/stress/run.sh [SECONDS] [CONFIGURATION-REGEX]     e.g. 300 'hnsw|ivf_8x'
# More knobs (environment): VX_STRESS_CLIENTS (6), VX_STRESS_ROWS (5000),
# VX_STRESS_EVERY (1: seconds between retention + VACUUM + check rounds).
set -euo pipefail
cd "$(dirname "$0")/../.."
export VX_STRESS_SECONDS=${1:-600}
export VX_STRESS_ONLY=${2:-${VX_STRESS_ONLY:-}}
exec scripts/tap.sh test/t/160_stress.pl
