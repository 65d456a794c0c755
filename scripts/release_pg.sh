#!/bin/bash
# Prints the pg_config of a private PostgreSQL 15 copy (/opt/vx-pg/release-VERSION,
# made like scripts/private_pg.sh) with the released vector_ext VERSION (git tag
# vVERSION) built and installed, for tests of what that release wrote (TAP
# 142_upgrade_binary.pl). Built once per tag commit, then reused.
#   scripts/release_pg.sh 0.1.0
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: release_pg.sh VERSION}
# The release commits, for clones that lack the tags (a tag is used when present).
case $version in
  0.1.0) known=c8e581766644bced924624c906f7db570252e60d ;;
  *) known= ;;
esac
commit=$(git rev-parse --verify -q "v$version^{commit}") ||
  commit=$(git rev-parse --verify -q "${known:-none}^{commit}") || {
  echo "release_pg.sh: neither git tag v$version nor its commit ${known:-(unknown)} is in this clone" \
       "(git fetch --tags, or a clone with full history)" >&2; exit 1; }
root=/opt/vx-pg/release-$version
pg_config=$root/lib/postgresql/15/bin/pg_config
mkdir -p "$root"
exec 8>"$root/.build.lock"
flock 8
if [ "$(cat "$root/.vector_ext-commit" 2>/dev/null)" != "$commit" ]; then
  scripts/private_pg.sh "release-$version" >/dev/null
  # Only the release's files: drop whatever vector_ext the system copy had.
  rm -f "$root"/lib/postgresql/15/lib/vector_ext.so "$root"/share/postgresql/15/extension/vector_ext[.-]*
  work=$(mktemp -d /tmp/vector_ext_release.XXXXXX)
  git archive "$commit" | tar -x -C "$work"
  make -C "$work" -s -j2 install PG_CONFIG="$pg_config" >"$work.log" 2>&1 || {
    tail -30 "$work.log" >&2; echo "release_pg.sh: building v$version failed" >&2; exit 1; }
  rm -rf "$work" "$work.log"
  echo "$commit" >"$root/.vector_ext-commit"
fi
echo "$pg_config"
