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
