SET enable_seqscan = off;

CREATE TABLE b (id int, val bytevector(3));
INSERT INTO b VALUES (1, '[0,0,0]'), (2, '[1,2,3]'), (3, '[1,1,1]'), (4, NULL), (5, '[-1,-2,-3]'), (6, '[10,10,9]');
CREATE INDEX b_l2 ON b USING hnsw (val bytevector_l2_ops);
SELECT id, round((val <-> '[1,1,1]')::numeric, 4) AS d FROM b ORDER BY val <-> '[1,1,1]' LIMIT 6;
DROP INDEX b_l2;
CREATE INDEX b_ip ON b USING hnsw (val bytevector_ip_ops);
SELECT id, val <#> '[1,1,1]' AS d FROM b ORDER BY val <#> '[1,1,1]' LIMIT 6;
DROP INDEX b_ip;
CREATE INDEX b_cos ON b USING hnsw (val bytevector_cosine_ops);
SELECT id, round((val <=> '[1,1,1]')::numeric, 4) AS d FROM b ORDER BY val <=> '[1,1,1]' LIMIT 6;
DROP TABLE b;

CREATE TABLE bits (id int, val bitvector(8));
INSERT INTO bits VALUES (1, '00000000'), (2, '11110000'), (3, '11111111'), (4, '10000000'), (5, NULL), (6, '01010101');
CREATE INDEX bits_h ON bits USING hnsw (val bitvector_hamming_ops);
SELECT id, val <~> '11100000' AS d FROM bits ORDER BY val <~> '11100000' LIMIT 3;
DROP INDEX bits_h;
CREATE INDEX bits_j ON bits USING hnsw (val bitvector_jaccard_ops);
SELECT id, round((val <%> '11100000')::numeric, 4) AS d FROM bits ORDER BY val <%> '11100000' LIMIT 6;
DROP TABLE bits;
