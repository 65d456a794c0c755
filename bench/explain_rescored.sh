#!/bin/bash
# EXPLAIN (ANALYZE, BUFFERS) of a rescored on_disk 32x hnsw scan on a realistic
# table: 50,000 x 768 cosine synthetic embeddings (the README's example).
#
#   VX_PG_CONFIG=... scripts/with_cluster.sh bench/explain_rescored.sh [DIR]
#
# DIR holds base.fvecs and query.fvecs; without it they are made in a
# temporary directory with /work/shared/tools/make_synthetic.py. Prints the
# build time, table and index sizes, and the plans: rescored (twice: cold,
# warm), without rescoring, and a filtered query with an iterative scan.
set -euo pipefail
dir=${1:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
  /usr/bin/python3 /work/shared/tools/make_synthetic.py --rows 50000 --dim 768 --metric cosine \
    --queries 20 --k 10 --out "$dir" >/dev/null
fi
tsv() {
  /usr/bin/python3 -c '
import sys, numpy as np
a = np.fromfile(sys.argv[1], dtype=np.int32); d = a[0]
x = a.reshape(-1, d + 1)[:, 1:].view(np.float32)
for i, r in enumerate(x):
    print(i, "[" + ",".join("%.6g" % f for f in r) + "]", sep="\t")' "$1"
}
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION vector_ext" -c "CREATE TABLE items (id int, embedding vector(768))" -c "CREATE TABLE queries (id int, v vector(768))"
tsv "$dir"/base.fvecs | psql -X -q -c "COPY items FROM STDIN"
tsv "$dir"/query.fvecs | psql -X -q -c "COPY queries FROM STDIN"
psql -X -q -c "VACUUM ANALYZE items, queries"
t0=$SECONDS
psql -X -q -c "SET maintenance_work_mem = '1GB'" -c "CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_cosine_ops) WITH (mode = on_disk, compression_level = '32x')"
echo "build $((SECONDS - t0)) s"
psql -X <<'SQL'
SELECT pg_size_pretty(pg_total_relation_size('items') - pg_indexes_size('items')) AS table_size, pg_size_pretty(pg_relation_size('items_embedding_idx')) AS index_size;
SELECT v AS q FROM queries WHERE id = 3 \gset
PREPARE knn(vector) AS SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 10;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE knn(:'q');
EXPLAIN (ANALYZE, BUFFERS) EXECUTE knn(:'q');
SET vector_ext.rescore = off;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE knn(:'q');
RESET vector_ext.rescore;
SET hnsw.iterative_scan = relaxed_order;
EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM items WHERE id % 100 = 7 ORDER BY embedding <=> (SELECT v FROM queries WHERE id = 3) LIMIT 10;
SQL
