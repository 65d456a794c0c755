#!/bin/bash
# Quick start: installs dependencies (apt), builds and installs vector_ext,
# starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:${VX_PORT:-54329}
# and runs a small nearest-neighbour demo. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${VX_PORT:-54329}
DATA=${VX_DEMO_DIR:-/tmp/vector_ext_demo}
scripts/deps.sh
make -s -j"$(nproc)" >/dev/null
make -s install >/dev/null
echo "== installed vector_ext into $(pg_config --pkglibdir)"

PGBIN=$(pg_config --bindir)
as_pg() { su postgres -s /bin/bash -c "$*"; }
if [ -f "$DATA/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl -D $DATA -m fast stop" >/dev/null || true; fi
rm -rf "$DATA"; mkdir -p "$DATA"; chown postgres: "$DATA"
as_pg "$PGBIN/initdb -D $DATA -A trust -U postgres" >/dev/null
as_pg "$PGBIN/pg_ctl -D $DATA -l $DATA/server.log -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1' -w start" >/dev/null
echo "== throwaway cluster running on 127.0.0.1:$PORT (data in $DATA)"

psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres postgres <<'SQL'
CREATE EXTENSION vector_ext;
CREATE TABLE items (id bigserial PRIMARY KEY, label text, embedding vector(3));
INSERT INTO items (label, embedding) VALUES
  ('red',    '[1, 0, 0]'), ('orange', '[1, 0.5, 0]'), ('yellow', '[1, 1, 0]'),
  ('green',  '[0, 1, 0]'), ('cyan',   '[0, 1, 1]'),   ('blue',   '[0, 0, 1]'),
  ('purple', '[0.5, 0, 1]'), ('white', '[1, 1, 1]'),  ('black',  '[0, 0, 0]');
-- 10,000 random points around the colours, to make the table less tiny
SELECT setseed(0.42);
INSERT INTO items (label, embedding)
SELECT 'noise', ARRAY[random(), random(), random()]::real[]::vector(3)
FROM generate_series(1, 10000);
\echo '== an hnsw index for L2 distance, and the plan that uses it'
CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64);
ANALYZE items;
EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY embedding <-> '[1, 0.2, 0]' LIMIT 5;
\echo '== 5 nearest neighbours of [1, 0.2, 0] by L2 distance (<->), through the index'
SELECT id, label, embedding, round((embedding <-> '[1, 0.2, 0]')::numeric, 4) AS l2
FROM items ORDER BY embedding <-> '[1, 0.2, 0]' LIMIT 5;
\echo '== 3 named colours most similar to [0.1, 0.1, 0.9] by cosine distance (<=>)'
SELECT label, round((embedding <=> '[0.1, 0.1, 0.9]')::numeric, 4) AS cosine
FROM items WHERE label <> 'noise' ORDER BY embedding <=> '[0.1, 0.1, 0.9]' LIMIT 3;
SQL
cat <<EOF
== demo done. Connect:  psql -h 127.0.0.1 -p $PORT -U postgres postgres
   Stop:     su postgres -c "$PGBIN/pg_ctl -D $DATA stop"
EOF
