#!/bin/bash
# binary access method: code scan throughput and build time against hnsw.
#
#   bench/binary_scan.sh [ROWS] [HNSW_ROWS]      (defaults 500000 and 50000)
#
# Installs this checkout into the system PostgreSQL 15 and runs a throwaway
# pg_virtualenv cluster, holding /tmp/vector_ext-install.lock throughout.
# Data: ROWS random vector(768) rows made in SQL (uniform in [-1, 1]).
#   scan  a 32x binary index (1-bit codes, 96 bytes per row); per query the
#         index scan's time with vector_ext.rescore = off (one pass over all
#         codes plus 100 candidates, no heap) and the end-to-end LIMIT 10
#         query with rescoring (default oversample 3: 300 heap rows);
#         GB/s = code bytes (ROWS * 96) / pass time. One backend, one core.
#   build binary 32x vs hnsw 32x (on_disk) on the first HNSW_ROWS rows.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-500000}
HROWS=${2:-50000}
exec 9>/tmp/vector_ext-install.lock
flock 9
make -s install >/dev/null
pg_virtualenv -v 15 -o shared_buffers=4GB -o maintenance_work_mem=2GB -o max_parallel_maintenance_workers=1 -o jit=off \
  bash -c "
set -e
psql -qX -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION vector_ext;
\\timing on
CREATE TABLE t AS SELECT i AS id, ARRAY(SELECT random() * 2 - 1 FROM generate_series(1, 768) WHERE i > 0)::vector(768) AS v
  FROM generate_series(1, $ROWS) i;
CREATE TABLE q AS SELECT i AS id, ARRAY(SELECT random() * 2 - 1 FROM generate_series(1, 768) WHERE i > 0)::vector(768) AS v
  FROM generate_series(1, 20) i;
VACUUM ANALYZE t;
\\echo == build binary 32x on $ROWS rows
CREATE INDEX t_bin ON t USING \"binary\" (v vector_l2_ops);
SELECT pg_size_pretty(pg_relation_size('t_bin')) AS index_size, (SELECT count(*) FROM t) AS rows;
\\timing off
SET enable_seqscan = off;
SET vector_ext.rescore = off;
-- warm the buffer cache
SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = 1) LIMIT 10) s;
CREATE TEMP TABLE times (id int, ms float8);
DO \\\$\\\$
DECLARE r record; p json; BEGIN
  FOR r IN SELECT id FROM q ORDER BY id LOOP
    EXECUTE format('EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = %s) LIMIT 10', r.id) INTO p;
    INSERT INTO times VALUES (r.id, jsonb_path_query_first(p::jsonb, 'strict \$.**? (@.\"Node Type\" == \"Index Scan\").\"Actual Total Time\"')::float8);
  END LOOP;
END \\\$\\\$;
SELECT count(*) AS queries, round(min(ms)::numeric, 2) AS min_ms, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS median_ms,
       round(($ROWS * 96.0 / 1e9 / (percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) / 1000))::numeric, 2) AS median_gb_per_s,
       round(($ROWS * 96.0 / 1e9 / (min(ms) / 1000))::numeric, 2) AS best_gb_per_s
  FROM times;
RESET vector_ext.rescore;
TRUNCATE times;
DO \\\$\\\$
DECLARE r record; p json; BEGIN
  FOR r IN SELECT id FROM q ORDER BY id LOOP
    EXECUTE format('EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = %s) LIMIT 10', r.id) INTO p;
    INSERT INTO times VALUES (r.id, (p->0->>'Execution Time')::float8);
  END LOOP;
END \\\$\\\$;
SELECT 'rescored LIMIT 10' AS query, round(min(ms)::numeric, 2) AS min_ms, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS median_ms FROM times;
\\timing on
CREATE TABLE h AS SELECT * FROM t WHERE id <= $HROWS;
\\echo == build binary 32x on $HROWS rows
CREATE INDEX h_bin ON h USING \"binary\" (v vector_l2_ops);
\\echo == build hnsw 32x on_disk on $HROWS rows
CREATE INDEX h_hnsw ON h USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk');
SQL
"
