-- hnsw scans keep a per-backend table of the buffers their index blocks were
-- in, validated on every use: results must stay right when those buffers
-- change meaning (REINDEX, TRUNCATE, DROP), with several indexes in turn, with
-- scans open at once, after an ERROR in a scan, and for temporary tables.
SET enable_seqscan = off;

CREATE TABLE r (id int, val vector(3));
INSERT INTO r SELECT i, ARRAY[i, (i * 7) % 13, 0]::real[]::vector FROM generate_series(1, 400) i;
CREATE INDEX r_idx ON r USING hnsw (val vector_l2_ops);
SELECT id FROM r ORDER BY val <-> '[200.3,4,0]' LIMIT 4;

-- a rewritten index (new file, new buffers)
REINDEX INDEX r_idx;
SELECT id FROM r ORDER BY val <-> '[200.3,4,0]' LIMIT 4;
SELECT id FROM r ORDER BY val <-> '[10.3,4,0]' LIMIT 4;

-- new contents after TRUNCATE
TRUNCATE r;
INSERT INTO r SELECT i, ARRAY[-i, 0, 0]::real[]::vector FROM generate_series(1, 300) i;
SELECT id FROM r ORDER BY val <-> '[-100.2,0,0]' LIMIT 3;

-- dropped and built again under the same name
DROP INDEX r_idx;
CREATE INDEX r_idx ON r USING hnsw (val vector_l2_ops);
SELECT id FROM r ORDER BY val <-> '[-200.4,0,0]' LIMIT 3;

-- more indexes in turn than the backend keeps tables for
CREATE TABLE r1 AS SELECT id, (val + '[1000,0,0]')::vector(3) AS val FROM r;
CREATE TABLE r2 AS SELECT id, (val + '[2000,0,0]')::vector(3) AS val FROM r;
CREATE TABLE r3 AS SELECT id, (val + '[3000,0,0]')::vector(3) AS val FROM r;
CREATE TABLE r4 AS SELECT id, (val + '[4000,0,0]')::vector(3) AS val FROM r;
CREATE TABLE r5 AS SELECT id, (val + '[5000,0,0]')::vector(3) AS val FROM r;
CREATE INDEX ON r1 USING hnsw (val vector_l2_ops);
CREATE INDEX ON r2 USING hnsw (val vector_l2_ops);
CREATE INDEX ON r3 USING hnsw (val vector_l2_ops);
CREATE INDEX ON r4 USING hnsw (val vector_l2_ops);
CREATE INDEX ON r5 USING hnsw (val vector_l2_ops);
SELECT k, (SELECT id FROM r1 ORDER BY val <-> ARRAY[1000 - k, 0, 0]::real[]::vector LIMIT 1) AS a,
          (SELECT id FROM r2 ORDER BY val <-> ARRAY[2000 - k, 0, 0]::real[]::vector LIMIT 1) AS b,
          (SELECT id FROM r3 ORDER BY val <-> ARRAY[3000 - k, 0, 0]::real[]::vector LIMIT 1) AS c,
          (SELECT id FROM r4 ORDER BY val <-> ARRAY[4000 - k, 0, 0]::real[]::vector LIMIT 1) AS d,
          (SELECT id FROM r5 ORDER BY val <-> ARRAY[5000 - k, 0, 0]::real[]::vector LIMIT 1) AS e
FROM generate_series(10, 290, 70) k;

-- scans of one index open at once: nested, and two cursors in turn
SELECT o.id, i.ids FROM (SELECT id, val FROM r ORDER BY val <-> '[-50,0,0]' LIMIT 3) o,
  LATERAL (SELECT array_agg(id) AS ids FROM (SELECT id FROM r ORDER BY val <-> o.val + '[-0.1,0,0]' LIMIT 2) x) i
ORDER BY o.id;
BEGIN;
DECLARE c1 CURSOR FOR SELECT id FROM r ORDER BY val <-> '[-10.3,0,0]';
DECLARE c2 CURSOR FOR SELECT id FROM r ORDER BY val <-> '[-250.3,0,0]';
FETCH 2 FROM c1;
FETCH 2 FROM c2;
FETCH 2 FROM c1;
FETCH 2 FROM c2;
COMMIT;

-- an ERROR in the middle of a scan, then scans again
SELECT id, 1 / (id - 20) FROM r ORDER BY val <-> '[-18.3,0,0]' LIMIT 5;
SELECT id FROM r ORDER BY val <-> '[-18.3,0,0]' LIMIT 5;

-- a temporary table (local buffers)
CREATE TEMP TABLE rt AS SELECT * FROM r;
CREATE INDEX ON rt USING hnsw (val vector_l2_ops);
SELECT id FROM rt ORDER BY val <-> '[-77.3,0,0]' LIMIT 3;
SELECT id FROM rt ORDER BY val <-> '[-78.3,0,0]' LIMIT 3;
TRUNCATE rt;
INSERT INTO rt SELECT i, ARRAY[i, 0, 0]::real[]::vector FROM generate_series(1, 50) i;
SELECT id FROM rt ORDER BY val <-> '[7.3,0,0]' LIMIT 3;

DROP TABLE r, r1, r2, r3, r4, r5, rt;
