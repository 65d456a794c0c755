-- binary access method: exact scans over small tables, every type and
-- operator class, more rows than one pass yields, inserts and VACUUM.
SET enable_seqscan = off;
SET vector_ext.binary_batch_size = 2;

CREATE TABLE v (id int, val vector(3));
INSERT INTO v VALUES (1, '[1,1,1]'), (2, '[2,2,2]'), (3, '[1,1,2]'), (4, NULL), (5, '[0,0,0]'), (6, '[-1,3,0]');
CREATE INDEX v_l2 ON v USING "binary" (val vector_l2_ops);
SELECT id, round((val <-> '[1,1,1]')::numeric, 4) FROM v ORDER BY val <-> '[1,1,1]';
DROP INDEX v_l2;
CREATE INDEX v_ip ON v USING "binary" (val vector_ip_ops) WITH (compression_level = '1x');
SELECT id, val <#> '[1,2,3]' FROM v ORDER BY val <#> '[1,2,3]';
DROP INDEX v_ip;
CREATE INDEX v_cos ON v USING "binary" (val vector_cosine_ops);
-- default 32x codes, rescored; the zero vector is not indexed (its cosine distance is NaN)
SELECT id, round((val <=> '[1,1,1]')::numeric, 4) FROM v ORDER BY val <=> '[1,1,1]';
DROP INDEX v_cos;
CREATE INDEX v_l1 ON v USING "binary" (val vector_l1_ops);
SELECT id, val <+> '[1,1,1]' FROM v ORDER BY val <+> '[1,1,1]';
-- inserts append, on a new page as needed
INSERT INTO v SELECT i, ARRAY[i, i, i]::real[]::vector FROM generate_series(10, 700) i;
SELECT id, val <+> '[1,1,1]' FROM v ORDER BY val <+> '[1,1,1]' LIMIT 5;
SELECT count(*) FROM (SELECT id FROM v ORDER BY val <+> '[1,1,1]') s;
-- VACUUM removes dead entries; the index returns each remaining row once
DELETE FROM v WHERE id % 3 = 0;
VACUUM v;
SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM v ORDER BY val <+> '[1,1,1]') s;
INSERT INTO v SELECT i, ARRAY[i, i, i]::real[]::vector FROM generate_series(1000, 1100) i;
SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM v ORDER BY val <+> '[1,1,1]') s;
SELECT id FROM v ORDER BY val <+> '[1000,1000,1000]' LIMIT 3;
DROP TABLE v;

CREATE TABLE b (id int, val bytevector(3));
INSERT INTO b VALUES (1, '[1,1,1]'), (2, '[2,2,2]'), (3, '[1,1,2]'), (4, '[-128,127,0]');
CREATE INDEX ON b USING "binary" (val bytevector_l2_ops);
SELECT id, val <-> '[1,1,1]' FROM b ORDER BY val <-> '[1,1,1]';
DROP TABLE b;

CREATE TABLE bits (id int, val bitvector(8));
INSERT INTO bits VALUES (1, '11110000'), (2, '11111111'), (3, '00000000'), (4, '10101010'), (5, '11110001');
CREATE INDEX bits_h ON bits USING "binary" (val bitvector_hamming_ops);
SELECT id, val <~> '11110000' FROM bits ORDER BY val <~> '11110000';
DROP INDEX bits_h;
CREATE INDEX bits_j ON bits USING "binary" (val bitvector_jaccard_ops);
SELECT id, round((val <%> '11110000')::numeric, 4) FROM bits ORDER BY val <%> '11110000';
SELECT id FROM bits ORDER BY val <%> '1111000' LIMIT 1;
DROP TABLE bits;

-- an empty table, and an unlogged one
CREATE TABLE e (val vector(2));
CREATE INDEX ON e USING "binary" (val vector_l2_ops);
SELECT * FROM e ORDER BY val <-> '[1,1]';
INSERT INTO e VALUES ('[1,1]');
SELECT * FROM e ORDER BY val <-> '[1,1]';
DROP TABLE e;
CREATE UNLOGGED TABLE u (val vector(2));
INSERT INTO u VALUES ('[1,1]'), ('[2,2]');
CREATE INDEX ON u USING "binary" (val vector_l2_ops);
SELECT * FROM u ORDER BY val <-> '[2,2]';
DROP TABLE u;
RESET ALL;
