-- Every row stays reachable through the index: VACUUM links the elements that
-- deletes or inserts left without an in-link (m = 2 makes such elements common).
SET client_min_messages = warning;
CREATE TABLE reach (id serial, v vector(8));
CREATE INDEX ON reach USING hnsw (v vector_l2_ops) WITH (m = 2, ef_construction = 8);
INSERT INTO reach (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 8) WHERE i > 0)::vector
    FROM generate_series(1, 3000) i;
SET enable_seqscan = off;
SET hnsw.iterative_scan = relaxed_order;
SET hnsw.max_scan_tuples = 100000000;
-- VACUUM with nothing to delete still checks reachability.
VACUUM reach;
SELECT count(*) = (SELECT count(*) FROM reach) AS all_reached
    FROM (SELECT id FROM reach ORDER BY v <-> '[0,0,0,0,0,0,0,0]' LIMIT 100000) s;
DELETE FROM reach WHERE random() < 0.6;
INSERT INTO reach (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 8) WHERE i > 0)::vector
    FROM generate_series(1, 1000) i;
VACUUM reach;
SELECT count(*) = (SELECT count(*) FROM reach) AS all_reached
    FROM (SELECT id FROM reach ORDER BY v <-> '[1,1,1,1,1,1,1,1]' LIMIT 100000) s;
DELETE FROM reach WHERE random() < 0.5;
VACUUM reach;
SELECT count(*) = (SELECT count(*) FROM reach) AS all_reached
    FROM (SELECT id FROM reach ORDER BY v <-> '[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]' LIMIT 100000) s;
DROP TABLE reach;
