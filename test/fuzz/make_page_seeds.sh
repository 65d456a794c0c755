#!/bin/bash
# Regenerates the page seeds of the fuzz targets (test/fuzz/corpus/*_pages/)
# from small real indexes: each seed is the metapage followed by two data
# pages of one index (hnsw: an element page and an upper page; ivf: the first
# list page and a posting page; binary: two code pages), as
# pageinspect's get_raw_page returns them. Needs a server:
#   scripts/with_cluster.sh test/fuzz/make_page_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
psql -qX -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION IF NOT EXISTS vector_ext;
CREATE EXTENSION IF NOT EXISTS pageinspect;
DROP TABLE IF EXISTS seed_v, seed_b, seed_i;
CREATE TABLE seed_v (v vector(4));
INSERT INTO seed_v SELECT ARRAY[sin(i), cos(i), sin(2 * i), i % 7]::real[]::vector FROM generate_series(1, 300) i;
CREATE TABLE seed_b (b bitvector(20));
INSERT INTO seed_b SELECT (i * 7919 % 1048576)::bit(20)::bitvector FROM generate_series(1, 300) i;
CREATE TABLE seed_i (v bytevector(4));
INSERT INTO seed_i SELECT ARRAY[i % 100 - 50, i % 13, -(i % 7), 3]::int[]::bytevector FROM generate_series(1, 300) i;
CREATE INDEX hnsw_l2 ON seed_v USING hnsw (v vector_l2_ops) WITH (m = 4);
CREATE INDEX hnsw_4x ON seed_v USING hnsw (v vector_cosine_ops) WITH (m = 4, mode = 'on_disk', compression_level = '4x');
CREATE INDEX hnsw_bits ON seed_b USING hnsw (b bitvector_hamming_ops) WITH (m = 4);
CREATE INDEX ivf_l2 ON seed_v USING ivf (v vector_l2_ops) WITH (lists = 3);
CREATE INDEX ivf_32x ON seed_v USING ivf (v vector_ip_ops) WITH (lists = 2, mode = 'on_disk');
CREATE INDEX ivf_i8 ON seed_i USING ivf (v bytevector_l2_ops) WITH (lists = 2);
CREATE INDEX bin_32x ON seed_v USING "binary" (v vector_l2_ops);
CREATE INDEX bin_bits ON seed_b USING "binary" (b bitvector_jaccard_ops);
CREATE INDEX bin_1x ON seed_i USING "binary" (v bytevector_cosine_ops);
-- page type of a block: the uint16 at `off` bytes into the 16-byte special area
CREATE FUNCTION pg_temp.ptype(idx text, blk int, off int) RETURNS int LANGUAGE sql AS
  $$ SELECT get_byte(p, 8176 + off) + 256 * get_byte(p, 8177 + off) FROM get_raw_page(idx, blk) p $$;
CREATE FUNCTION pg_temp.first_of(idx text, off int, t int) RETURNS int LANGUAGE sql AS
  $$ SELECT coalesce(min(b), 0) FROM generate_series(1, (pg_relation_size(idx::regclass) / 8192 - 1)::int) b
     WHERE pg_temp.ptype(idx, b, off) = t $$;
CREATE FUNCTION pg_temp.nth_of(idx text, off int, t int, n int) RETURNS int LANGUAGE sql AS
  $$ SELECT coalesce((SELECT b FROM generate_series(1, (pg_relation_size(idx::regclass) / 8192 - 1)::int) b
     WHERE pg_temp.ptype(idx, b, off) = t ORDER BY b OFFSET n LIMIT 1), 0) $$;
CREATE TEMP TABLE seeds (dir text, name text, hex text);
INSERT INTO seeds SELECT 'hnsw_pages', i, encode(get_raw_page(i, 0) || get_raw_page(i, pg_temp.first_of(i, 0, 2))
                                                 || get_raw_page(i, pg_temp.first_of(i, 0, 3)), 'hex')
  FROM unnest(ARRAY['hnsw_l2', 'hnsw_4x', 'hnsw_bits']) i;
INSERT INTO seeds SELECT 'ivf_pages', i, encode(get_raw_page(i, 0) || get_raw_page(i, 1)
                                                || get_raw_page(i, pg_temp.first_of(i, 4, 3)), 'hex')
  FROM unnest(ARRAY['ivf_l2', 'ivf_32x', 'ivf_i8']) i;
INSERT INTO seeds SELECT 'binary_pages', i, encode(get_raw_page(i, 0) || get_raw_page(i, pg_temp.nth_of(i, 0, 2, 0))
                                                   || get_raw_page(i, pg_temp.nth_of(i, 0, 2, 1)), 'hex')
  FROM unnest(ARRAY['bin_32x', 'bin_bits', 'bin_1x']) i;
\copy (SELECT dir, name, hex FROM seeds) TO '/tmp/vx_page_seeds.tsv'
DROP TABLE seed_v, seed_b, seed_i;
SQL
/usr/bin/python3 - <<'PY'
import os
for line in open('/tmp/vx_page_seeds.tsv'):
    d, name, hexdata = line.rstrip('\n').split('\t')
    os.makedirs(f'test/fuzz/corpus/{d}', exist_ok=True)
    # Trailing zero bytes are dropped: the harness pads short input with zeros.
    with open(f'test/fuzz/corpus/{d}/{name}', 'wb') as f:
        f.write(bytes.fromhex(hexdata).rstrip(b'\0'))
PY
rm -f /tmp/vx_page_seeds.tsv
