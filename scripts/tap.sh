#!/bin/bash
# Runs the TAP tests (test/t/*.pl, PostgreSQL::Test::Cluster) as the postgres
# user, since the server refuses to run as root. Extra arguments: test files.
# Installs this checkout first and holds the install lock for the whole run, so
# parallel checkouts on one machine never test each other's build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install_lock.sh
PGBIN=$("$PG_CONFIG" --bindir)
PGXSDIR=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
PERLLIB=$PGXSDIR/src/test/perl
src=$(pwd)  # VX_SOURCE: tests read constants from the sources (e.g. page.h)
work=$(mktemp -d /tmp/vector_ext_tap.XXXXXX)
cp -r test/t "$work/t"
cp -r test/stress "$work/stress"   # pgbench scripts of 160_stress.pl
# Shared data sets: $VX_SHARED_DIR, else ../shared next to the checkout,
# else /work/shared (worktrees).
for d in ${VX_SHARED_DIR:-} ../shared /work/shared; do
  [ -d "$d" ] && { ln -s "$(cd "$d" && pwd)" "$work/shared"; break; }
done
chown -R postgres: "$work"
tests=()
for a in "$@"; do tests+=("t/$(basename "$a")"); done
[ ${#tests[@]} -gt 0 ] || tests=(t/)
# TAP 140 starts a cluster under the previous release (built once per tag); if
# that cannot be built, 140 fails and says so, the other tests still run.
release_bindir=
if [ "${tests[*]}" = t/ ] || [[ " ${tests[*]} " == *" t/140_upgrade.pl "* ]]; then
  release_pg=$(scripts/release_pg.sh "$(sed -n 's/^PREV_VERSION *= *//p' Makefile)") &&
    release_bindir=$("$release_pg" --bindir) || release_bindir=
fi
cd "$work"
status=0
su postgres -s /bin/bash -c "PATH=$PGBIN:\$PATH TESTDIR=$work VX_SOURCE=$src VX_RELEASE_BINDIR=$release_bindir PG_REGRESS=$PGXSDIR/src/test/regress/pg_regress VX_SHARED=$work/shared \
  prove --ext .pl -I $PERLLIB -I $work/t --timer ${tests[*]}" || status=$?
if [ $status -ne 0 ]; then
  for f in "$work"/tmp_check/log/regress_log_*; do
    [ -f "$f" ] && { echo "== tail of $f"; tail -40 "$f"; }
  done
else
  rm -rf "$work"
fi
exit $status
