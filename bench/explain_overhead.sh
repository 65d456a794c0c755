#!/bin/bash
# Cost of the EXPLAIN counters and hooks on plain queries (no EXPLAIN running):
# hnsw 1x queries per second of backend CPU time, alternating two builds of
# vector_ext.so.
#
#   VX_PG_CONFIG=... scripts/with_cluster.sh bench/explain_overhead.sh OLD.so NEW.so [rounds] [passes]
#
# Loads glove-100 (50,000 x 100, cosine; /work/shared/data or VX_DATA) into a
# table and builds an hnsw index (m = 16, ef_construction = 64). Each round
# runs, once per build (the order alternates between rounds), a fresh session
# that answers the 1000 queries `passes` times (LIMIT 10, hnsw.ef_search = 40,
# one PL/pgSQL loop) and reads its own CPU time (utime + stime from
# /proc/self/stat): on a shared machine that is much steadier than wall time.
# The builds are renamed in turn over the installed library (new sessions load
# it; sessions still running keep the file they mapped). Prints each round's
# figures and the median ratio NEW / OLD.
set -euo pipefail
old=$1 new=$2 rounds=${3:-6} passes=${4:-3}
data=${VX_DATA:-/work/shared/data}/glove-100
PG_CONFIG=${VX_PG_CONFIG:-pg_config}
lib=$("$PG_CONFIG" --pkglibdir)/vector_ext.so
saved=$(mktemp); cp "$lib" "$saved"
trap 'cp "$saved" "$lib.new" && mv "$lib.new" "$lib"; rm -f "$saved"' EXIT

tsv() {  # tsv FVECS: id<TAB>[v] lines
  /usr/bin/python3 -c '
import sys, numpy as np
a = np.fromfile(sys.argv[1], dtype=np.int32); d = a[0]
x = a.reshape(-1, d + 1)[:, 1:].view(np.float32)
for i, r in enumerate(x):
    print(i, "[" + ",".join("%.6g" % f for f in r) + "]", sep="\t")' "$1"
}
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION IF NOT EXISTS vector_ext;
DROP TABLE IF EXISTS items, queries;
CREATE TABLE items (id int, v vector(100));
CREATE TABLE queries (id int PRIMARY KEY, v vector(100));
SQL
tsv "$data/base.fvecs" | psql -X -q -c "COPY items FROM STDIN"
tsv "$data/query.fvecs" | psql -X -q -c "COPY queries FROM STDIN"
psql -X -q -c "CREATE INDEX ON items USING hnsw (v vector_cosine_ops)" -c "VACUUM ANALYZE items, queries"

qps() {  # qps SO: queries per CPU second of one session with that library
  cp "$1" "$lib.new" && mv "$lib.new" "$lib"
  psql -X -q -At -v ON_ERROR_STOP=1 <<SQL
SET hnsw.ef_search = 40;
CREATE TEMP TABLE cpu AS SELECT pg_read_file('/proc/self/stat') AS s;
DO \$\$
DECLARE r record; x record;
BEGIN
  FOR p IN 1..$passes LOOP
    FOR r IN SELECT v FROM queries LOOP
      FOR x IN SELECT id FROM items ORDER BY items.v <=> r.v LIMIT 10 LOOP END LOOP;
    END LOOP;
  END LOOP;
END \$\$;
WITH t(s) AS (SELECT s FROM cpu UNION ALL SELECT pg_read_file('/proc/self/stat')),
     f AS (SELECT (string_to_array(split_part(s, ') ', 2), ' '))[12:13] AS a FROM t)
SELECT round($passes * 1000 / ((max(a[1]::int + a[2]::int) - min(a[1]::int + a[2]::int))
       / 100.0), 1) FROM f;  -- 100 clock ticks per second
SQL
}
ratios=()
for r in $(seq "$rounds"); do
  if (( r % 2 )); then a=$(qps "$old"); b=$(qps "$new"); else b=$(qps "$new"); a=$(qps "$old"); fi
  ratio=$(/usr/bin/python3 -c "print('%.3f' % ($b / $a))")
  ratios+=("$ratio")
  echo "round $r: old $a, new $b queries per CPU second, new/old $ratio"
done
echo "median new/old: $(/usr/bin/python3 -c 'import statistics, sys; print("%.3f" % statistics.median(map(float, sys.argv[1:])))' "${ratios[@]}")"
