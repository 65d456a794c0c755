-- Plans for the cursor postgres_fdw sends to a shard ("DECLARE ... ORDER BY
-- dist", no LIMIT, fetched fetch_size rows at a time): the hnsw index, since
-- the scan returns at most ef_search rows; without LIMIT or cursor the query
-- wants every row and stays an exact sort.
SET client_min_messages = warning;
CREATE TABLE cur (id int PRIMARY KEY, cat int, v vector(16));
INSERT INTO cur SELECT i, i % 7, ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector
    FROM generate_series(1, 5000) i;
CREATE INDEX cur_v ON cur USING hnsw (v vector_l2_ops);
ANALYZE cur;
SET max_parallel_workers_per_gather = 0;
BEGIN;
EXPLAIN (COSTS OFF) DECLARE c1 CURSOR FOR
    SELECT id, v FROM cur ORDER BY v <-> '[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]';
COMMIT;
EXPLAIN (COSTS OFF)
    SELECT id FROM cur ORDER BY v <-> '[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]';
EXPLAIN (COSTS OFF)
    SELECT id FROM cur ORDER BY v <-> '[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]' LIMIT 10;
-- The cursor returns what the index search finds: the nearest rows first.
BEGIN;
DECLARE c3 CURSOR FOR
    SELECT id FROM cur ORDER BY v <-> (SELECT v FROM cur WHERE id = 42);
FETCH 1 FROM c3;
COMMIT;
DROP TABLE cur;
