#!/bin/bash
# Builds src/core and its unit tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (CMake option VX_SANITIZE) in build-asan/ and runs
# them; any report fails the run (-fno-sanitize-recover=all).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DVX_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-asan -j"$(nproc)" >/dev/null
cd build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 ctest --output-on-failure --timeout 600
