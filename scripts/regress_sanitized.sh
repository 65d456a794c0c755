#!/bin/bash
# The pg_regress suite against vector_ext.so built with AddressSanitizer and
# UndefinedBehaviorSanitizer (make VX_SANITIZE=1), in a server that has the
# sanitizer runtimes preloaded (LD_PRELOAD into the postmaster, inherited by
# every backend). Builds from a copy of the checkout in build-asan-pg/ (the
# normal objects stay as they are) and installs into a private copy of the
# PostgreSQL installation (scripts/private_pg.sh NAME, default "asan"), so the
# regular installation never gets the sanitized build. Any sanitizer report
# fails the run, also one that did not crash a test (reports go to files).
# Extra arguments go to make, e.g. REGRESS="vector_input hostile".
#   ASAN_OPTIONS: detect_leaks=0 (memory contexts free at reset, not by free(),
#   which LeakSanitizer would take for leaks); abort_on_error=1, so a report
#   ends the backend and its test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
pgc=$(scripts/private_pg.sh "${VX_ASAN_PG_NAME:-asan}")
copy=$top/build-asan-pg
mkdir -p "$copy"
# The checkout's files (tracked and new, not ignored) into the copy.
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$copy"
make -C "$copy" -s -j"$(nproc)" VX_SANITIZE=1 PG_CONFIG="$pgc" >/dev/null
make -C "$copy" -s install VX_SANITIZE=1 PG_CONFIG="$pgc" >/dev/null
libasan=$(g++ -print-file-name=libasan.so)
libubsan=$(g++ -print-file-name=libubsan.so)
bindir=$("$pgc" --bindir)
dir=$(mktemp -d /tmp/vx_asan.XXXXXX)
# Without this shim the ASan runtime corrupts a glibc lock at server start
# (see the file's comment).
shim=$dir/asan_init_shim.so
gcc -shared -fPIC -O2 -o "$shim" test/sanitize/asan_init_shim.c
chown -R postgres: "$dir"
port=$(( 20000 + RANDOM % 20000 ))
san_env="LD_PRELOAD=$libasan:$libubsan:$shim \
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:disable_coredump=1:log_path=$dir/san \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$dir/san"
su postgres -s /bin/sh -c "$bindir/initdb -A trust -U postgres -D $dir/data >/dev/null &&
  env $san_env $bindir/pg_ctl -D $dir/data -w -t 120 -l $dir/log \
    -o \"-p $port -k $dir -c listen_addresses=''\" start >/dev/null"
status=0
PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres \
  make -C "$copy" -s installcheck PG_CONFIG="$pgc" "$@" || status=$?
su postgres -s /bin/sh -c "$bindir/pg_ctl -D $dir/data -m fast stop >/dev/null" || status=1
if ls "$dir"/san.* >/dev/null 2>&1; then
  echo "== sanitizer reports:"; cat "$dir"/san.*; status=1
fi
if [ $status -ne 0 ]; then
  [ -f "$copy/regression.diffs" ] && head -60 "$copy/regression.diffs"
  grep -n -B2 -A8 'terminated by signal\|runtime error\|AddressSanitizer' "$dir/log" | head -60
  echo "== kept for inspection: $dir (server log: $dir/log)"
else
  echo "== pg_regress under ASan+UBSan: no sanitizer report"
  rm -rf "$dir"
fi
exit $status
