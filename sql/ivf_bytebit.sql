SET enable_seqscan = off;
SET ivf.probes = 2;

CREATE TABLE b (id int, val bytevector(3));
INSERT INTO b VALUES (1, '[0,0,0]'), (2, '[1,2,3]'), (3, '[1,1,1]'), (4, NULL), (5, '[-1,-2,-3]'), (6, '[10,10,9]');
CREATE INDEX b_l2 ON b USING ivf (val bytevector_l2_ops) WITH (lists = 2);
SELECT id, round((val <-> '[1,1,1]')::numeric, 4) AS d FROM b ORDER BY val <-> '[1,1,1]' LIMIT 6;
DROP INDEX b_l2;
CREATE INDEX b_ip ON b USING ivf (val bytevector_ip_ops) WITH (lists = 2);
SELECT id, val <#> '[1,1,1]' AS d FROM b ORDER BY val <#> '[1,1,1]' LIMIT 6;
DROP INDEX b_ip;
CREATE INDEX b_cos ON b USING ivf (val bytevector_cosine_ops) WITH (lists = 2);
SELECT id, round((val <=> '[1,1,1]')::numeric, 4) AS d FROM b ORDER BY val <=> '[1,1,1]' LIMIT 6;
INSERT INTO b VALUES (7, '[2,2,2]');
SELECT id FROM b ORDER BY val <=> '[1,1,1]' LIMIT 2;
DROP TABLE b;

CREATE TABLE bits (id int, val bitvector(8));
INSERT INTO bits VALUES (1, '00000000'), (2, '11110000'), (3, '11111111'), (4, '10000000'), (5, NULL), (6, '01010101');
CREATE INDEX bits_h ON bits USING ivf (val bitvector_hamming_ops) WITH (lists = 2);
SELECT id, val <~> '11100000' AS d FROM bits ORDER BY val <~> '11100000' LIMIT 3;
INSERT INTO bits VALUES (7, '11100000');
SELECT id, val <~> '11100000' AS d FROM bits ORDER BY val <~> '11100000' LIMIT 2;
DROP INDEX bits_h;
CREATE INDEX bits_j ON bits USING ivf (val bitvector_jaccard_ops) WITH (lists = 2);
SELECT id, round((val <%> '11100000')::numeric, 4) AS d FROM bits ORDER BY val <%> '11100000' LIMIT 7;
DROP TABLE bits;

-- bigger bit table: binary k-means lists, all probed = exact
CREATE TABLE bb (id int, val bitvector(64));
INSERT INTO bb SELECT i, (SELECT string_agg(CASE WHEN random() < 0.5 THEN '1' ELSE '0' END, '') FROM generate_series(1, 64) WHERE i > 0)::bitvector
  FROM generate_series(1, 2000) i;
CREATE INDEX ON bb USING ivf (val bitvector_hamming_ops) WITH (lists = 8);
SET ivf.probes = 8;
SELECT array(SELECT id FROM bb ORDER BY val <~> (SELECT val FROM bb WHERE id = 1), id LIMIT 5) =
       array(SELECT id FROM (SELECT id, val <~> (SELECT val FROM bb WHERE id = 1) AS d FROM bb) s ORDER BY d, id LIMIT 5) AS top1_is_self;
SELECT id FROM bb ORDER BY val <~> (SELECT val FROM bb WHERE id = 1) LIMIT 1;
DROP TABLE bb;
