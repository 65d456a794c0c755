-- hnsw: mode / compression_level (quantized codes) and rescoring
CREATE TABLE q (id int PRIMARY KEY, v vector(24), b bytevector(3), bits bitvector(8));
INSERT INTO q SELECT i, ARRAY(SELECT sin(i * j * 0.37 + j) FROM generate_series(1, 24) j)::real[]::vector,
       '[1,2,3]', '01010101' FROM generate_series(1, 300) i;
CREATE FUNCTION qinfo(regclass) RETURNS TABLE (mode text, level text, encoding text, dims int,
       elements bigint, oversample float8, rescore bool, quantizer_pages bool, element_bytes bigint)
LANGUAGE sql AS $$
  SELECT mode, compression_level, encoding, dimensions, elements, oversample, rescore,
         page_bytes ? 'quantizer', (page_bytes->>'element')::bigint
  FROM vector_ext_index_info($1) $$;

-- every mode x level on a vector column: encoding, defaults, sizes
CREATE INDEX q_default ON q USING hnsw (v vector_l2_ops);
SELECT * FROM qinfo('q_default');
CREATE INDEX q_disk ON q USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk');
SELECT * FROM qinfo('q_disk');
DO $$
DECLARE m text; l text;
BEGIN
  FOREACH m IN ARRAY ARRAY['in_memory', 'on_disk'] LOOP
    FOREACH l IN ARRAY ARRAY['1x', '2x', '4x', '8x', '16x', '32x'] LOOP
      EXECUTE format('CREATE INDEX q_%s_%s ON q USING hnsw (v vector_l2_ops) WITH (mode = %L, compression_level = %L)', m, l, m, l);
    END LOOP;
  END LOOP;
END $$;
SELECT c.relname, i.* FROM pg_class c, qinfo(c.oid) i
WHERE c.relname LIKE 'q\_%\_%x' ORDER BY i.mode, rtrim(i.level, 'x')::int;
DROP INDEX q_in_memory_1x, q_in_memory_2x, q_in_memory_4x, q_in_memory_8x, q_in_memory_16x,
           q_in_memory_32x, q_on_disk_1x, q_on_disk_2x, q_on_disk_4x, q_on_disk_8x, q_on_disk_16x,
           q_on_disk_32x, q_default, q_disk;

-- levels need l2, ip or cosine on a vector column
CREATE INDEX ON q USING hnsw (v vector_ip_ops) WITH (compression_level = '8x');
CREATE INDEX ON q USING hnsw (v vector_cosine_ops) WITH (mode = 'on_disk', compression_level = '16x');
CREATE INDEX ON q USING hnsw (v vector_l1_ops) WITH (compression_level = '4x');
CREATE INDEX ON q USING hnsw (v vector_l1_ops) WITH (mode = 'on_disk');
CREATE INDEX q_l1 ON q USING hnsw (v vector_l1_ops) WITH (mode = 'on_disk', compression_level = '1x');
SELECT * FROM qinfo('q_l1');
CREATE INDEX ON q USING hnsw (b bytevector_l2_ops) WITH (compression_level = '4x');
CREATE INDEX ON q USING hnsw (b bytevector_l2_ops) WITH (mode = 'on_disk');
CREATE INDEX q_b ON q USING hnsw (b bytevector_l2_ops) WITH (mode = 'on_disk', compression_level = '1x');
SELECT * FROM qinfo('q_b');
CREATE INDEX ON q USING hnsw (bits bitvector_hamming_ops) WITH (compression_level = '32x');
CREATE INDEX ON q USING hnsw (bits bitvector_jaccard_ops) WITH (mode = 'on_disk');
CREATE INDEX ON q USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '64x');
CREATE INDEX ON q USING hnsw (v vector_l2_ops) WITH (mode = 'disk');
ALTER INDEX q_l1 SET (compression_level = '5x');
DROP INDEX q_l1, q_b;
SELECT * FROM vector_ext_index_info('q');
CREATE INDEX q_btree ON q (id);
SELECT * FROM vector_ext_index_info('q_btree');
DROP INDEX q_btree;

-- GUCs
SHOW vector_ext.oversample_factor;
SET vector_ext.oversample_factor = 0.5;
SET vector_ext.oversample_factor = 100.5;
SET vector_ext.oversample_factor = 'many';
SET vector_ext.oversample_factor = 1;
SET vector_ext.oversample_factor = 100;
SHOW vector_ext.rescore;
SET vector_ext.rescore = maybe;
SET vector_ext.rescore = on;
SET vector_ext.rescore = false;
SHOW vector_ext.rescore;
RESET ALL;

-- rescoring returns exact distances in exact order (every level)
CREATE TABLE exact AS
  SELECT q1.id AS qid, q2.id, q2.v <-> q1.v AS d,
         rank() OVER (PARTITION BY q1.id ORDER BY q2.v <-> q1.v, q2.id) AS r
  FROM q q1, q q2 WHERE q1.id IN (3, 77, 150);
CREATE FUNCTION knn(int, int) RETURNS TABLE (id int, d float8) LANGUAGE sql AS
  $$ SELECT id, v <-> (SELECT v FROM q WHERE id = $1) FROM q
     ORDER BY v <-> (SELECT v FROM q WHERE id = $1) LIMIT $2 $$;
SET enable_seqscan = off;
SET vector_ext.oversample_factor = 100;
DO $$
DECLARE l text; bad int;
BEGIN
  FOREACH l IN ARRAY ARRAY['2x', '4x', '8x', '16x', '32x'] LOOP
    EXECUTE format('CREATE INDEX q_x ON q USING hnsw (v vector_l2_ops) WITH (mode = ''on_disk'', compression_level = %L)', l);
    SELECT count(*) INTO bad FROM (SELECT qid, k.id, k.d, row_number() OVER (PARTITION BY qid) AS r
                                   FROM (VALUES (3), (77), (150)) qs(qid), knn(qid, 10) k) got
      LEFT JOIN exact e USING (qid, r)
      WHERE e.id IS DISTINCT FROM got.id OR abs(e.d - got.d) > 1e-12;
    RAISE NOTICE '% with rescoring: % rows differ from the exact top 10', l, bad;
    DROP INDEX q_x;
  END LOOP;
END $$;
RESET vector_ext.oversample_factor;

-- default oversample (32x: 3.0 x ef_search, at least 100 candidates): order is exact
CREATE INDEX q_32 ON q USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk');
EXPLAIN (COSTS OFF) SELECT id FROM q ORDER BY v <-> '[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]' LIMIT 5;
SELECT count(*) FILTER (WHERE d < lag) AS out_of_order, count(*)
FROM (SELECT d, lag(d) OVER () FROM knn(77, 50)) s;
-- without rescoring: code order, at most ef_search rows (as at 1x)
SET vector_ext.rescore = off;
SELECT count(*) FROM knn(77, 50);
RESET vector_ext.rescore;

-- rows the scan's snapshot cannot see are skipped
BEGIN;
DELETE FROM q WHERE id IN (SELECT id FROM knn(77, 3) WHERE id <> 77);
SELECT count(*) FROM knn(77, 3) k JOIN exact e ON e.qid = 77 AND e.id = k.id AND e.r <= 3;
ROLLBACK;

-- iterative scans go on rescoring batch after batch
SET hnsw.iterative_scan = relaxed_order;
SET hnsw.ef_search = 10;
SELECT count(*) FROM (SELECT id FROM q WHERE id % 7 = 0
                      ORDER BY v <-> (SELECT v FROM q WHERE id = 77) LIMIT 30) s;
SET hnsw.iterative_scan = strict_order;
SELECT count(*) FILTER (WHERE d < lag) AS out_of_order, count(*) > 5 AS some_rows
FROM (SELECT d, lag(d) OVER () FROM (SELECT v <-> (SELECT v FROM q WHERE id = 77) AS d FROM q
      WHERE id % 7 = 0 ORDER BY v <-> (SELECT v FROM q WHERE id = 77) LIMIT 30) s) t;
RESET hnsw.iterative_scan;
RESET hnsw.ef_search;

-- inserts after the build use the trained parameters
INSERT INTO q SELECT i, ARRAY(SELECT sin(i * j * 0.37 + j) FROM generate_series(1, 24) j)::real[]::vector
  FROM generate_series(301, 400) i;
SELECT id FROM knn(350, 1);
SELECT elements FROM qinfo('q_32');
DROP INDEX q_32;

-- cosine and inner product, 4x and 8x
CREATE INDEX q_cos ON q USING hnsw (v vector_cosine_ops) WITH (mode = 'on_disk', compression_level = '8x');
SELECT id FROM q ORDER BY v <=> (SELECT v FROM q WHERE id = 5) LIMIT 3;
SELECT id FROM q ORDER BY v <=> (SELECT v FROM q WHERE id = 5), id LIMIT 3;
DROP INDEX q_cos;
CREATE INDEX q_ip ON q USING hnsw (v vector_ip_ops) WITH (mode = 'on_disk', compression_level = '4x');
SELECT array_agg(id) = (SELECT array_agg(id) FROM (SELECT id FROM q ORDER BY v <#> '[1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0]', id LIMIT 5) e)
FROM (SELECT id FROM q ORDER BY v <#> '[1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0]' LIMIT 5) s;
DROP INDEX q_ip;

-- expression index: the expression is evaluated on each fetched row
CREATE INDEX q_expr ON q USING hnsw ((l2_normalize(v)::vector(24)) vector_l2_ops) WITH (mode = 'on_disk');
EXPLAIN (COSTS OFF) SELECT id FROM q ORDER BY l2_normalize(v)::vector(24) <-> l2_normalize((SELECT v FROM q WHERE id = 9)) LIMIT 3;
SELECT id, round((l2_normalize(v)::vector(24) <-> l2_normalize((SELECT v FROM q WHERE id = 9)))::numeric, 6) FROM q
ORDER BY l2_normalize(v)::vector(24) <-> l2_normalize((SELECT v FROM q WHERE id = 9)) LIMIT 3;
DROP INDEX q_expr;
RESET enable_seqscan;
SELECT id, round((l2_normalize(v)::vector(24) <-> l2_normalize((SELECT v FROM q WHERE id = 9)))::numeric, 6) FROM q
ORDER BY l2_normalize(v)::vector(24) <-> l2_normalize((SELECT v FROM q WHERE id = 9)) LIMIT 3;

-- VACUUM repairs a quantized graph (pair distances of decoded codes); slots are reused
CREATE INDEX q_v ON q USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '16x');
DELETE FROM q WHERE id % 3 = 0 AND id <> 77;
VACUUM q;
SELECT elements FROM qinfo('q_v');
SET enable_indexscan = off;
CREATE TEMP TABLE ex AS SELECT id FROM q ORDER BY v <-> (SELECT v FROM q WHERE id = 77), id LIMIT 10;
RESET enable_indexscan;
SET enable_seqscan = off;
SET vector_ext.oversample_factor = 100;
SELECT count(*) FROM knn(77, 10) k JOIN ex USING (id);
INSERT INTO q SELECT i, ARRAY(SELECT sin(i * j * 0.37 + j) FROM generate_series(1, 24) j)::real[]::vector
  FROM generate_series(1, 400) i WHERE i % 3 = 0 AND i <> 77;
SELECT elements, element_bytes FROM qinfo('q_v');
RESET vector_ext.oversample_factor;
SELECT id FROM knn(150, 1);
RESET enable_seqscan;
DROP INDEX q_v;

-- a graph larger than maintenance_work_mem: the rest is inserted with the trained quantizer
CREATE TABLE big (id int, v vector(64));
INSERT INTO big SELECT i, ARRAY(SELECT sin(i * j * 0.011 + j) FROM generate_series(1, 64) j)::real[]::vector
  FROM generate_series(1, 4000) i;
SET maintenance_work_mem = '1MB';
SET client_min_messages = warning;
CREATE INDEX big_idx ON big USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '8x');
RESET client_min_messages;
RESET maintenance_work_mem;
SELECT elements, quantizer_pages FROM qinfo('big_idx');
SET enable_seqscan = off;
SELECT count(*) FROM (SELECT b.id, (SELECT id FROM big ORDER BY v <-> b.v LIMIT 1) AS nn
                      FROM big b WHERE b.id % 400 = 0) s WHERE nn = id;
RESET enable_seqscan;
DROP TABLE big;

-- empty table: default parameters until REINDEX; unlogged index (init fork)
CREATE TABLE e (v vector(4));
CREATE INDEX e_idx ON e USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '4x');
SELECT * FROM qinfo('e_idx');
INSERT INTO e VALUES ('[0.1,0.2,0.3,0.4]'), ('[-0.5,0.5,-0.5,0.5]'), ('[0.9,0.9,0.9,0.9]');
SET enable_seqscan = off;
SELECT v FROM e ORDER BY v <-> '[1,1,1,1]' LIMIT 3;
REINDEX INDEX e_idx;
SELECT quantizer_pages FROM qinfo('e_idx');
SELECT v FROM e ORDER BY v <-> '[1,1,1,1]' LIMIT 3;
CREATE UNLOGGED TABLE u (v vector(4));
CREATE INDEX ON u USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk');
INSERT INTO u VALUES ('[1,2,3,4]'), ('[4,3,2,1]');
SELECT v FROM u ORDER BY v <-> '[1,2,3,5]' LIMIT 1;
RESET enable_seqscan;
DROP TABLE e, u, exact, q;
DROP FUNCTION qinfo(regclass);
