#!/bin/bash
# Builds the extension (PGXS) and the src/core library with its unit tests (CMake).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j"$(nproc)" >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "== built vector_ext.so and build/ (unit tests, kernel benchmark)"
