#!/bin/bash
# Builds the libFuzzer targets (clang, ASan+UBSan; CMake option VX_FUZZ) in
# build-fuzz/ and runs each for SECONDS (default 10) from its seed corpus in
# test/fuzz/corpus/<target>/ (new inputs go to build-fuzz/corpus/, not the
# repository). Any crash, sanitizer report, timeout or unclear error fails the
# run and leaves the reproducer in build-fuzz/artifacts/. Prints the
# executions per target.
#   scripts/fuzz.sh               # CI: 10 s per target
#   scripts/fuzz.sh 300           # longer: 5 min per target
#   scripts/fuzz.sh 60 vector_in  # some targets only
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
shift || true
mkdir -p build-fuzz
if ! { CC=clang CXX=clang++ cmake -S . -B build-fuzz -DVX_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
         -DVX_PG_CONFIG="${VX_PG_CONFIG:-pg_config}" && cmake --build build-fuzz -j"$(nproc)"; } >build-fuzz/build.log 2>&1; then
  grep -E 'error|undefined' build-fuzz/build.log | head -20; echo "fuzz build failed (build-fuzz/build.log)"; exit 1
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls test/fuzz/corpus))
mkdir -p build-fuzz/artifacts build-fuzz/logs
status=0
printf '%-18s %12s %8s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  bin=build-fuzz/test/fuzz/fuzz_$t
  work=build-fuzz/corpus/$t
  mkdir -p "$work"
  log=build-fuzz/logs/$t.log
  # -timeout: one input taking over 10 s is a finding (a hang); rss limit 2 GB.
  if UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
     "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix=build-fuzz/artifacts/"$t"- "$work" "test/fuzz/corpus/$t" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"; status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  printf '%-18s %12s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$result"
done
exit $status
