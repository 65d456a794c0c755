SET enable_seqscan = off;

CREATE TABLE t (id int, val vector(3));
INSERT INTO t VALUES (1, '[0,0,0]'), (2, '[1,2,3]'), (3, '[1,1,1]'), (4, NULL);
CREATE INDEX t_l2 ON t USING hnsw (val vector_l2_ops);
INSERT INTO t VALUES (5, '[1,2,4]'), (6, '[-1,-1,-1]');

EXPLAIN (COSTS OFF) SELECT id FROM t ORDER BY val <-> '[3,3,3]' LIMIT 5;
SELECT id, round((val <-> '[3,3,3]')::numeric, 4) FROM t ORDER BY val <-> '[3,3,3]' LIMIT 5;
SELECT count(*) FROM (SELECT * FROM t ORDER BY val <-> '[0,0,0]') s;
SELECT id FROM t ORDER BY val <-> (SELECT NULL::vector) LIMIT 3;
SELECT id FROM t ORDER BY val <-> '[1,2]' LIMIT 3;
DROP INDEX t_l2;

CREATE INDEX t_ip ON t USING hnsw (val vector_ip_ops);
SELECT id, val <#> '[1,1,1]' AS d FROM t ORDER BY val <#> '[1,1,1]' LIMIT 5;
DROP INDEX t_ip;

CREATE INDEX t_cos ON t USING hnsw (val vector_cosine_ops);
SELECT id, round((val <=> '[1,1,1]')::numeric, 4) AS d FROM t ORDER BY val <=> '[1,1,1]' LIMIT 6;
DROP INDEX t_cos;

CREATE INDEX t_l1 ON t USING hnsw (val vector_l1_ops);
SELECT id, val <+> '[1,1,1]' AS d FROM t ORDER BY val <+> '[1,1,1]' LIMIT 5;
DROP INDEX t_l1;

-- plans: the index only for ORDER BY distance
RESET enable_seqscan;
CREATE TABLE big (id int, val vector(3));
INSERT INTO big SELECT i, ARRAY[i % 97, i % 89, i % 83]::real[]::vector FROM generate_series(1, 5000) i;
CREATE INDEX ON big USING hnsw (val vector_l2_ops);
ANALYZE big;
EXPLAIN (COSTS OFF) SELECT id FROM big ORDER BY val <-> '[1,1,1]' LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM big WHERE id = 3;
EXPLAIN (COSTS OFF) SELECT count(*) FROM big;
SELECT id FROM big ORDER BY val <-> '[1,1,1]' LIMIT 3;
DROP TABLE big;

-- empty table, then inserts
CREATE TABLE e (val vector(2));
CREATE INDEX ON e USING hnsw (val vector_l2_ops);
SET enable_seqscan = off;
SELECT * FROM e ORDER BY val <-> '[0,0]' LIMIT 1;
INSERT INTO e SELECT ARRAY[i, i]::real[]::vector FROM generate_series(1, 100) i;
SELECT * FROM e ORDER BY val <-> '[50.2,50.2]' LIMIT 3;
-- many identical vectors
INSERT INTO e SELECT '[7,7]' FROM generate_series(1, 300);
SET hnsw.iterative_scan = relaxed_order;
SELECT count(*) FROM (SELECT * FROM e ORDER BY val <-> '[7,7]' LIMIT 300) s WHERE val = '[7,7]';
RESET hnsw.iterative_scan;
SELECT pg_relation_size('e_val_idx') AS size_before \gset
DELETE FROM e WHERE val = '[7,7]';
VACUUM e;
SELECT * FROM e ORDER BY val <-> '[7,7]' LIMIT 3;
INSERT INTO e SELECT '[7,7]' FROM generate_series(1, 300);
SET hnsw.iterative_scan = strict_order;
SELECT count(*) FROM (SELECT * FROM e ORDER BY val <-> '[7,7]' LIMIT 300) s WHERE val = '[7,7]';
RESET hnsw.iterative_scan;
-- slots freed by VACUUM are reused
SELECT pg_relation_size('e_val_idx') <= :size_before + 8192 AS reused;
DROP TABLE e;

-- unlogged
CREATE UNLOGGED TABLE u (val vector(2));
CREATE INDEX ON u USING hnsw (val vector_l2_ops);
INSERT INTO u VALUES ('[1,1]'), ('[2,2]');
SELECT * FROM u ORDER BY val <-> '[2,2]' LIMIT 1;
DROP TABLE u;

DROP TABLE t;
