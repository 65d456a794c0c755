-- binary access method: options and errors. BINARY is an SQL keyword, so
-- the access method name is quoted.
CREATE TABLE t (val vector(3));
INSERT INTO t VALUES ('[1,2,3]');
CREATE INDEX ON t USING binary (val vector_l2_ops);
CREATE INDEX ON t USING "binary" (val vector_l2_ops) WITH (mode = 'fast');
CREATE INDEX ON t USING "binary" (val vector_l2_ops) WITH (compression_level = '3x');
CREATE INDEX ON t USING "binary" (val vector_l2_ops) WITH (foo = 1);
CREATE INDEX ON t USING "binary" (val vector_l2_ops) WITH (m = 16);
CREATE INDEX idx ON t USING "binary" (val vector_l2_ops) WITH (mode = 'in_memory', compression_level = '1x');
SELECT reloptions FROM pg_class WHERE relname = 'idx';
DROP INDEX idx;
CREATE INDEX ON t USING "binary" (val);
CREATE INDEX ON t USING "binary" (val vector_l2_ops, val vector_ip_ops);
CREATE TABLE nodims (val vector);
CREATE INDEX ON nodims USING "binary" (val vector_l2_ops);
DROP TABLE nodims;
-- the index answers ORDER BY only
CREATE INDEX idx ON t USING "binary" (val vector_l2_ops);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM t WHERE val = '[1,2,3]';
EXPLAIN (COSTS OFF) SELECT * FROM t ORDER BY val <-> '[1,1,1]' LIMIT 1;
SELECT * FROM t ORDER BY val <-> '[1,2]' LIMIT 1;
SELECT * FROM t ORDER BY val <-> NULL LIMIT 1;
RESET enable_seqscan;
DROP INDEX idx;

SHOW vector_ext.binary_batch_size;
SET vector_ext.binary_batch_size = 0;
SET vector_ext.binary_batch_size = 10001;
SET vector_ext.binary_batch_size = 1;
RESET ALL;

CREATE TABLE b (val bytevector(3), bits bitvector(5));
CREATE INDEX ON b USING "binary" (val bytevector_l2_ops) WITH (compression_level = '2x');
CREATE INDEX ON b USING "binary" (bits bitvector_hamming_ops) WITH (compression_level = '32x');
CREATE INDEX ON b USING "binary" (bits bitvector_hamming_ops) WITH (mode = 'on_disk');
CREATE INDEX ON b USING "binary" (bits bitvector_jaccard_ops) WITH (mode = 'in_memory');
DROP TABLE b;
DROP TABLE t;

-- quantized codes: vector columns default to 32x (1-bit codes) with rescoring
CREATE TABLE q (id int, val vector(4));
INSERT INTO q SELECT i, ARRAY[i % 7, i % 5, i % 3, i % 11]::real[]::vector FROM generate_series(1, 500) i;
CREATE INDEX q_def ON q USING "binary" (val vector_l2_ops);
SELECT mode, compression_level, encoding, oversample, rescore FROM vector_ext_index_info('q_def');
DROP INDEX q_def;
CREATE INDEX q_1x ON q USING "binary" (val vector_l2_ops) WITH (compression_level = '1x');
SELECT mode, compression_level, encoding, oversample, rescore FROM vector_ext_index_info('q_1x');
DROP INDEX q_1x;
CREATE INDEX q_8x ON q USING "binary" (val vector_cosine_ops) WITH (mode = 'on_disk', compression_level = '8x');
SELECT mode, compression_level, encoding, oversample, rescore FROM vector_ext_index_info('q_8x');
DROP INDEX q_8x;
-- l1 has no quantized distance: 1x by default, an error when asked for more
CREATE INDEX q_l1 ON q USING "binary" (val vector_l1_ops);
SELECT mode, compression_level, encoding, oversample, rescore FROM vector_ext_index_info('q_l1');
DROP INDEX q_l1;
CREATE INDEX ON q USING "binary" (val vector_l1_ops) WITH (compression_level = '32x');
-- every level returns the exact nearest rows here (rescoring)
SET enable_seqscan = off;
CREATE INDEX q_32 ON q USING "binary" (val vector_l2_ops);
SELECT id, val <-> '[3,3,1,4]' AS d FROM q ORDER BY val <-> '[3,3,1,4]' LIMIT 4;
SET vector_ext.rescore = off;
SELECT count(*) FROM (SELECT id FROM q ORDER BY val <-> '[3,3,1,4]' LIMIT 20) s;
RESET vector_ext.rescore;
-- more rows than one pass yields: each row once
SET vector_ext.binary_batch_size = 10;
SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM q ORDER BY val <-> '[3,3,1,4]') s;
INSERT INTO q VALUES (1000, '[3,3,1,4]');
SELECT id, val <-> '[3,3,1,4]' AS d FROM q ORDER BY val <-> '[3,3,1,4]' LIMIT 1;
DROP INDEX q_32;
-- an empty table: default quantizer parameters
CREATE TABLE qe (val vector(4));
CREATE INDEX qe_idx ON qe USING "binary" (val vector_ip_ops);
INSERT INTO qe VALUES ('[1,0,0,0]'), ('[0,1,0,0]');
SELECT val FROM qe ORDER BY val <#> '[1,0,0,0]' LIMIT 1;
DROP TABLE qe;
RESET ALL;
DROP TABLE q;
