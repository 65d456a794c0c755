-- vector_ext_index_check: a healthy index passes (returns nothing), with and
-- without heapallindexed, through inserts, deletes, VACUUM and HOT updates;
-- wrong relations and missing privileges are errors.
SET client_min_messages = warning;
CREATE TABLE chk (id int PRIMARY KEY, tag int, v vector(4));
INSERT INTO chk SELECT i, i % 3, ARRAY[i % 7, i % 11, i % 13, 1]::real[]::vector FROM generate_series(1, 2000) i;
INSERT INTO chk VALUES (0, 0, NULL);
CREATE INDEX chk_l2 ON chk USING hnsw (v vector_l2_ops);
CREATE INDEX chk_cos ON chk USING hnsw (v vector_cosine_ops);
SELECT vector_ext_index_check('chk_l2');
SELECT vector_ext_index_check('chk_l2', heapallindexed => true);
-- zero vectors are not in a cosine index, and need not be
INSERT INTO chk VALUES (5000, 0, '[0,0,0,0]');
SELECT vector_ext_index_check('chk_cos', true);
-- inserts, a HOT update (tag only), deletes and VACUUM
INSERT INTO chk SELECT i, i % 3, ARRAY[i % 5, i % 9, i % 17, 2]::real[]::vector FROM generate_series(2001, 2500) i;
UPDATE chk SET tag = tag + 1 WHERE id % 50 = 0;
UPDATE chk SET v = v + '[1,1,1,1]' WHERE id % 40 = 1;
DELETE FROM chk WHERE id % 4 = 0;
VACUUM chk;
SELECT vector_ext_index_check('chk_l2', true);
SELECT vector_ext_index_check('chk_cos', true);
-- quantized codes with quantizer pages
CREATE INDEX chk_q ON chk USING hnsw (v vector_l2_ops) WITH (mode = on_disk);
INSERT INTO chk SELECT i, 0, ARRAY[i % 3, i % 5, i % 7, 3]::real[]::vector FROM generate_series(3001, 3100) i;
SELECT vector_ext_index_check('chk_q', true);
-- an empty index
CREATE TABLE chk_empty (v vector(3));
CREATE INDEX chk_empty_i ON chk_empty USING hnsw (v vector_l2_ops);
SELECT vector_ext_index_check('chk_empty_i', true);
-- not a vector_ext index, not an index
SELECT vector_ext_index_check('chk_pkey');
SELECT vector_ext_index_check('chk');
SELECT vector_ext_index_check(NULL);
-- privileges: owner, superuser and pg_monitor only
CREATE ROLE chk_nobody;
CREATE ROLE chk_monitor IN ROLE pg_monitor;
GRANT SELECT ON chk TO chk_nobody, chk_monitor;
SET ROLE chk_nobody;
SELECT vector_ext_index_check('chk_l2');
RESET ROLE;
GRANT EXECUTE ON FUNCTION vector_ext_index_check(regclass, boolean) TO chk_nobody;
SET ROLE chk_nobody;
SELECT vector_ext_index_check('chk_l2');
RESET ROLE;
SET ROLE chk_monitor;
SELECT vector_ext_index_check('chk_l2', true);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION vector_ext_index_check(regclass, boolean) FROM chk_nobody;
DROP TABLE chk, chk_empty;
DROP ROLE chk_nobody, chk_monitor;
