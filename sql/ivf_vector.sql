SET enable_seqscan = off;

CREATE TABLE t (id int, val vector(3));
INSERT INTO t VALUES (1, '[0,0,0]'), (2, '[1,2,3]'), (3, '[1,1,1]'), (4, NULL);
CREATE INDEX t_l2 ON t USING ivf (val vector_l2_ops) WITH (lists = 2);
INSERT INTO t VALUES (5, '[1,2,4]'), (6, '[-1,-1,-1]');
SET ivf.probes = 2;

EXPLAIN (COSTS OFF) SELECT id FROM t ORDER BY val <-> '[3,3,3]' LIMIT 5;
SELECT id, round((val <-> '[3,3,3]')::numeric, 4) FROM t ORDER BY val <-> '[3,3,3]' LIMIT 5;
SELECT count(*) FROM (SELECT * FROM t ORDER BY val <-> '[0,0,0]') s;
SELECT id FROM t ORDER BY val <-> (SELECT NULL::vector) LIMIT 3;
SELECT id FROM t ORDER BY val <-> '[1,2]' LIMIT 3;
DROP INDEX t_l2;

CREATE INDEX t_ip ON t USING ivf (val vector_ip_ops) WITH (lists = 2);
SELECT id, val <#> '[1,1,1]' AS d FROM t ORDER BY val <#> '[1,1,1]' LIMIT 5;
DROP INDEX t_ip;

CREATE INDEX t_cos ON t USING ivf (val vector_cosine_ops) WITH (lists = 2);
SELECT id, round((val <=> '[1,1,1]')::numeric, 4) AS d FROM t ORDER BY val <=> '[1,1,1]' LIMIT 6;
DROP INDEX t_cos;

CREATE INDEX t_l1 ON t USING ivf (val vector_l1_ops) WITH (lists = 2);
SELECT id, val <+> '[1,1,1]' AS d FROM t ORDER BY val <+> '[1,1,1]' LIMIT 5;
DROP INDEX t_l1;
RESET ivf.probes;

-- plans: the index only for ORDER BY distance
RESET enable_seqscan;
CREATE TABLE big (id int, val vector(3));
INSERT INTO big SELECT i, ARRAY[i % 97, i % 89, i % 83]::real[]::vector FROM generate_series(1, 5000) i;
CREATE INDEX big_idx ON big USING ivf (val vector_l2_ops);
ANALYZE big;
EXPLAIN (COSTS OFF) SELECT id FROM big ORDER BY val <-> '[1,1,1]' LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM big WHERE id = 3;
EXPLAIN (COSTS OFF) SELECT count(*) FROM big;
SELECT id FROM big ORDER BY val <-> '[1,1,1]' LIMIT 3;
-- results are in exact distance order
SELECT bool_and(d >= prev) FROM (
  SELECT d, lag(d, 1, 0::float8) OVER () AS prev FROM (
    SELECT val <-> '[40,40,40]' AS d FROM big ORDER BY val <-> '[40,40,40]' LIMIT 200) s) s2;
-- iterative scan: a filter that the probed lists cannot satisfy
SET enable_seqscan = off;
SET ivf.probes = 1;
SELECT count(*) FROM (SELECT id FROM big WHERE id % 100 = 7 ORDER BY val <-> '[1,1,1]' LIMIT 20) s;
SET ivf.iterative_scan = relaxed_order;
SELECT count(*) FROM (SELECT id FROM big WHERE id % 100 = 7 ORDER BY val <-> '[1,1,1]' LIMIT 20) s;
SET ivf.iterative_scan = strict_order;
SELECT count(*) FROM (SELECT id FROM big WHERE id % 100 = 7 ORDER BY val <-> '[1,1,1]' LIMIT 20) s;
SET ivf.max_probes = 2;
SELECT count(*) <= 20 FROM (SELECT id FROM big WHERE id % 100 = 7 ORDER BY val <-> '[1,1,1]' LIMIT 20) s;
RESET ivf.iterative_scan;
RESET ivf.max_probes;
RESET ivf.probes;
DROP TABLE big;

-- empty table, then inserts
CREATE TABLE e (val vector(2));
CREATE INDEX ON e USING ivf (val vector_l2_ops) WITH (lists = 10);
SET enable_seqscan = off;
SELECT * FROM e ORDER BY val <-> '[0,0]' LIMIT 1;
INSERT INTO e SELECT ARRAY[i, i]::real[]::vector FROM generate_series(1, 100) i;
SELECT * FROM e ORDER BY val <-> '[50.2,50.2]' LIMIT 3;
INSERT INTO e SELECT '[7,7]' FROM generate_series(1, 3000);
SELECT count(*) FROM (SELECT * FROM e ORDER BY val <-> '[7,7]' LIMIT 3000) s WHERE val = '[7,7]';
SELECT pg_relation_size('e_val_idx') AS size_before \gset
DELETE FROM e WHERE val = '[7,7]';
VACUUM e;
SELECT * FROM e ORDER BY val <-> '[7,7]' LIMIT 3;
INSERT INTO e SELECT '[7,7]' FROM generate_series(1, 3000);
SELECT count(*) FROM (SELECT * FROM e ORDER BY val <-> '[7,7]' LIMIT 3000) s WHERE val = '[7,7]';
-- room freed by VACUUM is reused
SELECT pg_relation_size('e_val_idx') <= :size_before AS reused;
SELECT vector_ext_index_check('e_val_idx', heapallindexed => true);
SELECT am, mode, compression_level, encoding, dimensions, elements, page_bytes FROM vector_ext_index_info('e_val_idx');
DROP TABLE e;

-- fewer rows than lists
CREATE TABLE few (val vector(2));
INSERT INTO few VALUES ('[1,1]'), ('[5,5]'), ('[9,9]');
CREATE INDEX ON few USING ivf (val vector_l2_ops) WITH (lists = 100);
SET ivf.probes = 3;
SELECT * FROM few ORDER BY val <-> '[6,6]';
RESET ivf.probes;
DROP TABLE few;

-- unlogged
CREATE UNLOGGED TABLE u (val vector(2));
CREATE INDEX ON u USING ivf (val vector_l2_ops);
INSERT INTO u VALUES ('[1,1]'), ('[2,2]');
SELECT * FROM u ORDER BY val <-> '[2,2]' LIMIT 1;
DROP TABLE u;

DROP TABLE t;
