#!/bin/bash
# Builds the Debian package postgresql-15-vector-ext (debian/, pg_buildext) from
# a copy of this checkout's tracked files in /tmp, so nothing is left in the
# checkout, and checks that the package holds the library, the control file,
# every install script and the upgrade script. The .deb files end up in
# $VX_DEB_OUT (default /tmp/vector_ext_deb); prints the path of the main one.
# Extra arguments go to dpkg-buildpackage (default: -us -uc -b).
#   DEB_BUILD_OPTIONS=nocheck scripts/deb_build.sh   # without the package's installcheck
set -euo pipefail
cd "$(dirname "$0")/.."
out=${VX_DEB_OUT:-/tmp/vector_ext_deb}
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" vector_ext.control)
work=$(mktemp -d /tmp/vector_ext_debbuild.XXXXXX)
# The package's installcheck runs the server as another user, which must read
# the staged files (else it silently falls back to a system-installed copy).
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
# Tracked files as they are in the working tree (uncommitted edits included).
tree=$(git stash create)
git archive --prefix="vector-ext-$version/" "${tree:-HEAD}" | tar -x -C "$work"
[ $# -gt 0 ] || set -- -us -uc -b
(cd "$work/vector-ext-$version" &&
  DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage "$@" >"$work/build.log" 2>&1) || {
  tail -60 "$work/build.log"; echo "dpkg-buildpackage failed (log: $out/build.log)"; mkdir -p "$out"; cp "$work/build.log" "$out/"; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.deb
cp "$work"/*.deb "$work/build.log" "$out"/
deb=$(ls "$out"/postgresql-15-vector-ext_"$version"_*.deb)
# The package must hold what CREATE EXTENSION and ALTER EXTENSION UPDATE need.
prev=$(sed -n 's/^PREV_VERSION *= *//p' Makefile)
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
status=0
for f in ./usr/lib/postgresql/15/lib/vector_ext.so \
         ./usr/share/postgresql/15/extension/vector_ext.control \
         ./usr/share/postgresql/15/extension/vector_ext--"$prev".sql \
         ./usr/share/postgresql/15/extension/vector_ext--"$version".sql \
         ./usr/share/postgresql/15/extension/vector_ext--"$prev"--"$version".sql; do
  grep -qxF "$f" <<<"$files" || { echo "missing from $deb: $f"; status=1; }
done
[ $status -eq 0 ] || exit 1
dpkg-deb -f "$deb" Package Version Depends
echo "$deb"
