-- ivf with quantized lists (2x..32x) and product quantization (pq_m)
SET enable_seqscan = off;
CREATE TABLE t (id int, val vector(8));
INSERT INTO t SELECT i, ARRAY(SELECT sin(i * 0.37 + j) * (1 + (i % 7)) FROM generate_series(1, 8) j)::real[]::vector
  FROM generate_series(1, 3000) i;
CREATE TABLE q AS SELECT val FROM t WHERE id = 42;

-- exact order after rescoring (on_disk) at every level, all lists probed
SET ivf.probes = 16;
DO $$
DECLARE lvl text; ok boolean;
BEGIN
  FOREACH lvl IN ARRAY ARRAY['2x', '4x', '8x', '16x', '32x'] LOOP
    EXECUTE format('CREATE INDEX t_q ON t USING ivf (val vector_l2_ops) WITH (lists = 16, mode = on_disk, compression_level = %L)', lvl);
    SELECT array(SELECT id FROM t ORDER BY val <-> (SELECT val FROM q) LIMIT 10) =
           array(SELECT id FROM (SELECT id, val <-> (SELECT val FROM q) AS d FROM t) s ORDER BY d LIMIT 10) INTO ok;
    RAISE NOTICE 'level % exact top 10: %', lvl, ok;
    DROP INDEX t_q;
  END LOOP;
END $$;

CREATE INDEX t_q ON t USING ivf (val vector_l2_ops) WITH (lists = 16, mode = on_disk);
SELECT am, mode, compression_level, encoding, dimensions, elements, oversample, rescore,
       page_bytes ? 'quantizer' AS has_quantizer_pages FROM vector_ext_index_info('t_q');
-- distances are exact (the operator's) after rescoring, in order within a round
-- (ceil(oversample * 100) candidates)
SELECT id, round((val <-> '[1,1,1,1,1,1,1,1]')::numeric, 4) AS d FROM t ORDER BY val <-> '[1,1,1,1,1,1,1,1]' LIMIT 3;
SELECT bool_and(d >= prev) FROM (
  SELECT d, lag(d, 1, 0::float8) OVER () AS prev FROM (
    SELECT val <-> '[1,1,1,1,1,1,1,1]' AS d FROM t ORDER BY val <-> '[1,1,1,1,1,1,1,1]' LIMIT 100) s) s2;
-- inserts are encoded with the index's quantizer
INSERT INTO t VALUES (5000, '[1,1,1,1,1,1,1,1]');
SELECT id FROM t ORDER BY val <-> '[1,1,1,1,1,1,1,1]' LIMIT 1;
-- rescoring off: code-distance order
SET vector_ext.rescore = off;
SELECT count(*) FROM (SELECT id FROM t ORDER BY val <-> '[1,1,1,1,1,1,1,1]' LIMIT 20) s;
RESET vector_ext.rescore;
DELETE FROM t WHERE id = 5000;
VACUUM t;
SELECT vector_ext_index_check('t_q', heapallindexed => true);
DROP INDEX t_q;

-- in_memory 4x: no rescoring by default
CREATE INDEX t_q ON t USING ivf (val vector_ip_ops) WITH (lists = 8, compression_level = '4x');
SELECT mode, compression_level, encoding, rescore FROM vector_ext_index_info('t_q');
SELECT count(*) FROM (SELECT id FROM t ORDER BY val <#> (SELECT val FROM q) LIMIT 10) s;
DROP INDEX t_q;

-- cosine at 8x on_disk
CREATE INDEX t_q ON t USING ivf (val vector_cosine_ops) WITH (lists = 8, mode = on_disk, compression_level = '8x');
SET ivf.probes = 8;
SELECT array(SELECT id FROM t ORDER BY val <=> (SELECT val FROM q) LIMIT 10) =
       array(SELECT id FROM (SELECT id, val <=> (SELECT val FROM q) AS d FROM t) s ORDER BY d LIMIT 10) AS exact;
DROP INDEX t_q;

-- product quantization: pq_m sub-quantizers, rescored by default
CREATE INDEX t_pq ON t USING ivf (val vector_l2_ops) WITH (lists = 8, pq_m = 4);
SELECT mode, compression_level, encoding, oversample, rescore FROM vector_ext_index_info('t_pq');
SELECT array(SELECT id FROM t ORDER BY val <-> (SELECT val FROM q) LIMIT 10) =
       array(SELECT id FROM (SELECT id, val <-> (SELECT val FROM q) AS d FROM t) s ORDER BY d LIMIT 10) AS exact;
INSERT INTO t VALUES (5001, '[2,2,2,2,2,2,2,2]');
SELECT id FROM t ORDER BY val <-> '[2,2,2,2,2,2,2,2]' LIMIT 1;
SELECT vector_ext_index_check('t_pq', heapallindexed => true);
DROP INDEX t_pq;
CREATE INDEX t_pq ON t USING ivf (val vector_cosine_ops) WITH (lists = 8, pq_m = 2);
SELECT array(SELECT id FROM t ORDER BY val <=> (SELECT val FROM q) LIMIT 10) =
       array(SELECT id FROM (SELECT id, val <=> (SELECT val FROM q) AS d FROM t) s ORDER BY d LIMIT 10) AS exact;
SET vector_ext.rescore = off;
SELECT count(*) FROM (SELECT id, val <=> (SELECT val FROM q) AS d FROM t ORDER BY val <=> (SELECT val FROM q) LIMIT 10) s WHERE d >= 0;
RESET vector_ext.rescore;
DROP INDEX t_pq;

-- errors
CREATE INDEX ON t USING ivf (val vector_l2_ops) WITH (pq_m = 3);
CREATE INDEX ON t USING ivf (val vector_l2_ops) WITH (pq_m = 2, compression_level = '4x');
CREATE INDEX ON t USING ivf (val vector_l1_ops) WITH (pq_m = 2);
CREATE INDEX ON t USING ivf (val vector_l1_ops) WITH (compression_level = '4x');
CREATE INDEX ON t USING ivfflat (val vector_l2_ops) WITH (pq_m = 2);
CREATE TABLE b (val bytevector(4));
CREATE INDEX ON b USING ivf (val bytevector_l2_ops) WITH (mode = on_disk);
DROP TABLE b;

-- empty table, then rows: default quantizer parameters
CREATE TABLE e (val vector(4));
CREATE INDEX ON e USING ivf (val vector_l2_ops) WITH (mode = on_disk, compression_level = '4x');
INSERT INTO e SELECT ARRAY[i, i, i, i]::real[]::vector FROM generate_series(1, 50) i;
SELECT val FROM e ORDER BY val <-> '[10.2,10.2,10.2,10.2]' LIMIT 2;
DROP TABLE e;
CREATE UNLOGGED TABLE u (val vector(4));
CREATE INDEX ON u USING ivf (val vector_l2_ops) WITH (pq_m = 2);
INSERT INTO u VALUES ('[1,1,1,1]'), ('[2,2,2,2]');
SELECT val FROM u ORDER BY val <-> '[2,2,2,2]' LIMIT 1;
DROP TABLE u;
DROP TABLE t, q;
