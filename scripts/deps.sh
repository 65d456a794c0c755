#!/bin/bash
# Installs everything vector_ext needs to build, test and benchmark, from
# Debian 12's archive only (idempotent; run as root).
set -euo pipefail
PKGS=(
  build-essential g++ cmake make git
  postgresql-15 postgresql-server-dev-15 postgresql-contrib postgresql-common
  libfaiss-dev libopenblas-dev libopenblas-openmp-dev liblapack-dev libsimde-dev
  googletest libgtest-dev libbenchmark-dev
  libipc-run-perl perl
  clang libclang-rt-14-dev
  debhelper postgresql-server-dev-all dpkg-dev fakeroot
  python3 python3-numpy python3-psycopg2 python3-matplotlib python3-faiss
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "== dependencies present"
