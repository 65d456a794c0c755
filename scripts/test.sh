#!/bin/bash
# Runs every test: layering check, unit tests (ctest), pg_regress and TAP
# against throwaway PostgreSQL 15 clusters, and the benchmark harness smoke
# test, and the Debian package (built in /tmp, installed, then removed).
# Installs what is missing first. Exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] && scripts/deps.sh
passed=0; failed=0; failures=()
stage() {  # stage NAME COMMAND...: run one suite, record the outcome
  local name=$1; shift
  echo; echo "======== $name"
  local t0=$SECONDS
  if "$@"; then passed=$((passed + 1)); echo "-------- $name: ok ($((SECONDS - t0)) s)"
  else failed=$((failed + 1)); failures+=("$name"); echo "-------- $name: FAILED ($((SECONDS - t0)) s)"; fi
}
layering() {  # src/core must not include PostgreSQL headers (DESIGN §2)
  ! grep -rnE '#include *[<"](postgres|fmgr|access/|utils/|storage/|catalog/|executor/|nodes/|miscadmin)' src/core
}
stage build scripts/build.sh || true
stage layering layering
stage unit bash -c 'cd build && ctest --output-on-failure --timeout 300'
stage unit-sanitized scripts/unit_sanitized.sh
stage fuzz scripts/fuzz.sh 10
stage regress scripts/regress.sh
stage tap scripts/tap.sh
[ -x test/bench_smoke.sh ] && stage bench-smoke scripts/with_cluster.sh test/bench_smoke.sh
# Last: builds the .deb from a copy in /tmp, installs it into the system and
# puts the previous files back (scripts/deb_install_test.sh).
stage deb bash -c 'scripts/deb_build.sh && scripts/deb_install_test.sh'
echo
[ $failed -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
