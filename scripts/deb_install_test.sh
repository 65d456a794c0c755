#!/bin/bash
# Installs the package built by scripts/deb_build.sh into the system (dpkg -i,
# so its dependencies must be satisfied), checks that CREATE EXTENSION and the
# update from the previous release work in a throwaway cluster (pg_virtualenv),
# then removes the package and puts back whatever vector_ext files were there
# before (the CI path's `make install`). Holds the system install lock
# meanwhile, like every stage that installs into the system PostgreSQL.
#   scripts/deb_install_test.sh [path/to/postgresql-15-vector-ext_*.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=postgresql-15-vector-ext
deb=${1:-$(ls "${VX_DEB_OUT:-/tmp/vector_ext_deb}"/${pkg}_*.deb)}
version=$(dpkg-deb -f "$deb" Version)
prev=$(sed -n 's/^PREV_VERSION *= *//p' Makefile)
libdir=$(pg_config --pkglibdir); sharedir=$(pg_config --sharedir)/extension
exec 9>/tmp/vector_ext-install.lock
flock 9
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
  echo "$pkg is already installed; remove it first (dpkg -r $pkg)"; exit 1
fi
backup=$(mktemp /tmp/vector_ext_debtest.XXXXXX.tar)
tar -cf "$backup" -P --files-from <(ls -d "$libdir"/vector_ext.so "$sharedir"/vector_ext[.-]* 2>/dev/null || true)
restore() {
  dpkg -r "$pkg" >/dev/null 2>&1 || true
  rm -f "$libdir"/vector_ext.so "$sharedir"/vector_ext[.-]*
  tar -xf "$backup" -P
  rm -f "$backup"
}
trap restore EXIT
rm -f "$libdir"/vector_ext.so "$sharedir"/vector_ext[.-]*   # only the package's files count
dpkg -i "$deb" >/dev/null
dpkg -S "$libdir/vector_ext.so" "$sharedir/vector_ext--$prev--$version.sql" | sed 's/^/owned: /'
pg_virtualenv -v 15 bash -c "set -euo pipefail
  q() { psql -qXAt -v ON_ERROR_STOP=1 \"\$@\"; }
  got=\$(q -c \"CREATE EXTENSION vector_ext;
    CREATE TABLE t (id int, v vector(3));
    INSERT INTO t SELECT i, ARRAY[i, i % 7, i % 5]::real[]::vector FROM generate_series(1, 500) i;
    CREATE INDEX ON t USING hnsw (v vector_l2_ops);
    SELECT extversion FROM pg_extension WHERE extname = 'vector_ext';
    SET enable_seqscan = off;
    SELECT string_agg(id::text, ',') FROM (SELECT id FROM t ORDER BY v <-> '[10,3,0]' LIMIT 3) s;
    SET enable_seqscan = on; SET enable_indexscan = off;
    SELECT string_agg(id::text, ',') FROM (SELECT id FROM t ORDER BY v <-> '[10,3,0]' LIMIT 3) s;\")
  want=\$(sed -n 3p <<<\"\$got\")
  [ \"\$got\" = \"$version
\$want
\$want\" ] && [ -n \"\$want\" ] || { echo \"fresh install: got \$got\"; exit 1; }
  q -c 'CREATE DATABASE old'
  got=\$(q -d old -c \"CREATE EXTENSION vector_ext VERSION '$prev'; ALTER EXTENSION vector_ext UPDATE;
    SELECT extversion FROM pg_extension WHERE extname = 'vector_ext'\")
  [ \"\$got\" = \"$version\" ] || { echo \"update from $prev: got \$got\"; exit 1; }
  echo \"package $version: CREATE EXTENSION and the update from $prev work\""
