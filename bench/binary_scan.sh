#!/bin/bash
# binary access method: code scan throughput at 32x and build time against hnsw.
#
#   bench/binary_scan.sh [DATA] [HNSW_ROWS]   (defaults synth-1m-768-l2 and 200000)
#
# DATA is a make_synthetic.py set under bench/data (bench/make_data.sh
# synth-1m-768-l2 makes the 1M x 768 l2 one, 3 GB). Installs this checkout
# into the PostgreSQL under test (a private copy with VX_PG_CONFIG, see
# scripts/private_pg.sh) and runs a throwaway cluster of its own
# (shared_buffers 4GB, maintenance_work_mem 2GB, jit off), holding the
# installation's lock throughout.
#
#   scan   a binary index with the default 32x codes (1-bit, dims / 8 bytes per
#          row). Per query (QUERIES of the set, ROUNDS rounds) the index scan
#          node's time with vector_ext.rescore = off: one pass over every code
#          page plus the 100-entry heap, no heap access; and the backend's CPU
#          time for the whole statement (/proc/self/schedstat, ns), which on a
#          shared machine tells a slow pass from a descheduled one.
#          GB/s = rows * code bytes / time. Then the rescored LIMIT 10 query
#          (default oversample 3, 300 heap rows) with its recall@10 against
#          the set's ground truth.
#   build  binary 32x against hnsw (default m, ef_construction; default mode,
#          and on_disk = the same 32x codes) on the first HNSW_ROWS rows.
#
# COMPARE_SO=path/to/vector_ext.so (an earlier build of the same SQL version):
# the scan is also measured with that library, alternating ROUNDS_AB times
# (cluster restarted with the library swapped), so both see the same data and
# load. SKIP_BUILD=1 skips the build comparison. PERF_DATA=file: perf record
# of the backend during the first scan loop (a profile of the pass).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-synth-1m-768-l2}
HROWS=${2:-200000}
QUERIES=${QUERIES:-20}
ROUNDS=${ROUNDS:-3}
ROUNDS_AB=${ROUNDS_AB:-2}
SET="${BENCH_DATA:-bench/data}/$DATA"
[ -f "$SET/base.fvecs" ] || { echo "no $SET/base.fvecs: run bench/make_data.sh $DATA" >&2; exit 1; }
. scripts/install_lock.sh
bindir=$("$PG_CONFIG" --bindir)
lib="$("$PG_CONFIG" --pkglibdir)/vector_ext.so"
cp "$lib" /tmp/vx_binscan_current.so.$$
dir=$(mktemp -d /tmp/vx_binscan.XXXXXX); chown postgres: "$dir"
port=$(( 20000 + RANDOM % 20000 ))
pgctl() { su postgres -s /bin/sh -c "$bindir/pg_ctl -D $dir/data -w -l $dir/log $*" >/dev/null; }
start() {
  pgctl "-o \"-p $port -k $dir -c listen_addresses='' -c shared_buffers=4GB -c maintenance_work_mem=2GB \
    -c max_parallel_maintenance_workers=1 -c jit=off -c max_wal_size=20GB -c checkpoint_timeout=1h\" start"
}
cleanup() {
  pgctl -m immediate stop || true
  cp /tmp/vx_binscan_current.so.$$ "$lib"; rm -f /tmp/vx_binscan_current.so.$$
  rm -rf "$dir"
}
trap cleanup EXIT
su postgres -s /bin/sh -c "$bindir/initdb -A trust -U postgres -D $dir/data" >/dev/null
start
export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
psql() { command psql -qX -v ON_ERROR_STOP=1 "$@"; }

echo "== $DATA: load"
psql -c "CREATE EXTENSION vector_ext" \
     -c "CREATE TABLE t (id int, v vector($(/usr/bin/python3 -c "import json;print(json.load(open('$SET/info.json'))['dim'])")))" \
     -c "CREATE TABLE q (LIKE t)" -c "CREATE TABLE truth (id int, ids int[])"
PYTHONPATH=bench /usr/bin/python3 bench/copy_vecs.py base "$SET" | psql -c "COPY t FROM STDIN WITH (FORMAT BINARY)"
PYTHONPATH=bench /usr/bin/python3 bench/copy_vecs.py query "$SET" | psql -c "COPY q FROM STDIN WITH (FORMAT BINARY)"
PYTHONPATH=bench /usr/bin/python3 bench/copy_vecs.py truth "$SET" | psql -c "COPY truth FROM STDIN"
psql -c "VACUUM ANALYZE t" -c "CHECKPOINT"

echo "== build binary 32x on all rows"
psql <<SQL
\\timing on
CREATE INDEX t_bin ON t USING "binary" (v vector_l2_ops);
\\timing off
CHECKPOINT;
SELECT count(*) AS rows, pg_size_pretty(pg_relation_size('t_bin')) AS index_size FROM t;
SQL

# One scan measurement: per query and round, the index scan time (EXPLAIN
# ANALYZE) and the statement's backend CPU time, rescoring off; then the
# rescored query and its recall.
measure() {
  psql -v label="$1" -v queries="$QUERIES" -v rounds="$ROUNDS" <<'SQL'
CREATE OR REPLACE FUNCTION pg_temp.cpu_ns() RETURNS bigint LANGUAGE sql
  AS $$ SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint $$;
SELECT count(*) AS nrows, (pg_relation_size('t_bin') / current_setting('block_size')::int) AS nblocks,
       (SELECT vector_dims(v) FROM t LIMIT 1) / 8 AS code_bytes FROM t \gset
SET enable_seqscan = off;
SET vector_ext.rescore = off;
-- warm the buffer cache
SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = 0) LIMIT 10) s \g /dev/null
CREATE TEMP TABLE times (id int, ms float8, cpu_ms float8);
SELECT pg_backend_pid() AS pid \gset
\setenv BACKEND_PID :pid
\! [ -z "$PERF_DATA" ] || { perf record -F 1000 -p $BACKEND_PID -o "$PERF_DATA" >/dev/null 2>&1 & echo $! > "$PERF_DATA.pid"; sleep 2; }
DO $$
DECLARE r record; p json; c0 bigint; c1 bigint; BEGIN
  FOR k IN 1 .. current_setting('bench.rounds')::int LOOP
    FOR r IN SELECT id FROM q WHERE id < current_setting('bench.queries')::int ORDER BY id LOOP
      c0 := pg_temp.cpu_ns();
      EXECUTE format('EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = %s) LIMIT 10', r.id) INTO p;
      c1 := pg_temp.cpu_ns();
      INSERT INTO times VALUES (r.id, jsonb_path_query_first(p::jsonb, 'strict $.**? (@."Node Type" == "Index Scan")."Actual Total Time"')::float8,
                                (c1 - c0) / 1e6);
    END LOOP;
  END LOOP;
END $$;
\! [ -z "$PERF_DATA" ] || { kill -INT $(cat "$PERF_DATA.pid"); sleep 3; rm -f "$PERF_DATA.pid"; }
SELECT :'label' AS so, count(*) AS scans,
       round(min(ms)::numeric, 2) AS best_ms, round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 2) AS median_ms,
       round(min(cpu_ms)::numeric, 2) AS best_cpu_ms, round((percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms))::numeric, 2) AS median_cpu_ms,
       round((:nrows::numeric * :code_bytes / 1e9 / (min(ms) / 1000))::numeric, 2) AS best_gb_s,
       round((:nrows::numeric * :code_bytes / 1e9 / ((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)) / 1000))::numeric, 2) AS median_gb_s,
       round((:nrows::numeric * :code_bytes / 1e9 / (min(cpu_ms) / 1000))::numeric, 2) AS best_cpu_gb_s
  FROM times;
RESET vector_ext.rescore;
TRUNCATE times;
DO $$
DECLARE r record; p json; BEGIN
  FOR r IN SELECT id FROM q WHERE id < current_setting('bench.queries')::int ORDER BY id LOOP
    EXECUTE format('EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = %s) LIMIT 10', r.id) INTO p;
    INSERT INTO times VALUES (r.id, (p->0->>'Execution Time')::float8);
  END LOOP;
END $$;
SELECT :'label' AS so, 'rescored LIMIT 10' AS query, round(min(ms)::numeric, 2) AS best_ms,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 2) AS median_ms,
       (SELECT round(avg((SELECT count(*) FROM unnest(tr.ids) g WHERE g IN
               (SELECT id FROM t ORDER BY v <-> qq.v LIMIT 10)))::numeric / 10, 3)
          FROM q qq JOIN truth tr USING (id) WHERE qq.id < current_setting('bench.queries')::int) AS recall_at_10
  FROM times;
SQL
}
export PGOPTIONS="-c bench.queries=$QUERIES -c bench.rounds=$ROUNDS"

echo "== scan (rescore off: one pass over the codes; then rescored LIMIT 10)"
if [ -n "${COMPARE_SO:-}" ]; then
  for r in $(seq "$ROUNDS_AB"); do
    cp "$COMPARE_SO" "$lib"; pgctl -t 900 -m fast stop; start
    measure "compare ($COMPARE_SO)"
    cp /tmp/vx_binscan_current.so.$$ "$lib"; pgctl -t 900 -m fast stop; start
    measure current
  done
else
  measure current
fi

[ -n "${SKIP_BUILD:-}" ] && exit 0
echo "== build on the first $HROWS rows: binary 32x, hnsw (defaults), hnsw on_disk (32x)"
psql <<SQL
CREATE TABLE h AS SELECT * FROM t WHERE id < $HROWS;
VACUUM ANALYZE h;
CHECKPOINT;
\\timing on
CREATE INDEX h_bin ON h USING "binary" (v vector_l2_ops);
CREATE INDEX h_hnsw ON h USING hnsw (v vector_l2_ops);
CREATE INDEX h_hnsw32 ON h USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk');
SQL
