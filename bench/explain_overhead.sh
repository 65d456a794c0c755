#!/bin/bash
# Cost of the EXPLAIN counters and hooks on plain queries (no EXPLAIN running):
# hnsw 1x QPS with one client, alternating two builds of vector_ext.so.
#
#   VX_PG_CONFIG=... scripts/with_cluster.sh bench/explain_overhead.sh OLD.so NEW.so [rounds] [seconds]
#
# Loads glove-100 (50,000 x 100, cosine; /work/shared/data or VX_DATA) into a
# table, builds an hnsw index (m = 16, ef_construction = 64) and runs pgbench
# (one client, the 1000 queries in random order, LIMIT 10, hnsw.ef_search =
# 40) for `seconds` per build and round (the order alternates between rounds),
# copying OLD.so and NEW.so in turn over the
# installed library (new connections load it), so both builds share the data,
# the index and the machine's load. Prints each round's QPS and the median
# ratio NEW / OLD.
set -euo pipefail
old=$1 new=$2 rounds=${3:-3} secs=${4:-20}
data=${VX_DATA:-/work/shared/data}/glove-100
PG_CONFIG=${VX_PG_CONFIG:-pg_config}
lib=$("$PG_CONFIG" --pkglibdir)/vector_ext.so
saved=$(mktemp); cp "$lib" "$saved"
trap 'cp "$saved" "$lib"; rm -f "$saved" "$script"' EXIT
script=$(mktemp)
echo '\set q random(0, 999)
SELECT id FROM items ORDER BY v <=> (SELECT v FROM queries WHERE id = :q) LIMIT 10;' > "$script"

tsv() {  # tsv FVECS: id<TAB>[v] lines
  /usr/bin/python3 -c '
import sys, numpy as np
a = np.fromfile(sys.argv[1], dtype=np.int32); d = a[0]
x = a.reshape(-1, d + 1)[:, 1:].view(np.float32)
for i, r in enumerate(x):
    print(i, "[" + ",".join("%.6g" % f for f in r) + "]", sep="\t")' "$1"
}
psql -X -q -v ON_ERROR_STOP=1 <<EOF
CREATE EXTENSION IF NOT EXISTS vector_ext;
DROP TABLE IF EXISTS items, queries;
CREATE TABLE items (id int, v vector(100));
CREATE TABLE queries (id int PRIMARY KEY, v vector(100));
EOF
tsv "$data/base.fvecs" | psql -X -q -c "COPY items FROM STDIN"
tsv "$data/query.fvecs" | psql -X -q -c "COPY queries FROM STDIN"
psql -X -q -c "CREATE INDEX ON items USING hnsw (v vector_cosine_ops)" -c "VACUUM ANALYZE items, queries"

qps() {  # qps SO: one pgbench round with that library
  cp "$1" "$lib"
  PGOPTIONS='-c hnsw.ef_search=40' pgbench -n -c 1 -T "$secs" -f "$script" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
ratios=()
for r in $(seq "$rounds"); do
  if (( r % 2 )); then a=$(qps "$old"); b=$(qps "$new"); else b=$(qps "$new"); a=$(qps "$old"); fi
  ratio=$(/usr/bin/python3 -c "print('%.3f' % ($b / $a))")
  ratios+=("$ratio")
  echo "round $r: old $a QPS, new $b QPS, new/old $ratio"
done
echo "median new/old: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")"
