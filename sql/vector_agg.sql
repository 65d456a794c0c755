-- avg(vector) and sum(vector), serial and parallel

SELECT avg(v) FROM unnest(ARRAY['[1,2,3]'::vector, '[3,5,8]']) v;
SELECT avg(v) FROM unnest(ARRAY['[1,2,3]'::vector, NULL, '[3,5,8]']) v;
SELECT avg(v) FROM unnest(ARRAY[]::vector[]) v;
SELECT avg(v) FROM unnest(ARRAY[NULL]::vector[]) v;
SELECT avg(v) FROM unnest(ARRAY['[0.1]'::vector, '[0.2]', '[0.3]']) v;
SELECT avg(v) FROM unnest(ARRAY['[3e38]'::vector, '[3e38]']) v;
SELECT avg(v) FROM unnest(ARRAY['[1,2]'::vector, '[3]']) v;

SELECT sum(v) FROM unnest(ARRAY['[1,2,3]'::vector, '[3,5,8]']) v;
SELECT sum(v) FROM unnest(ARRAY['[1,2,3]'::vector, NULL, '[3,5,8]']) v;
SELECT sum(v) FROM unnest(ARRAY[]::vector[]) v;
SELECT sum(v) FROM unnest(ARRAY['[3e38]'::vector, '[3e38]']) v;
SELECT sum(v) FROM unnest(ARRAY['[1,2]'::vector, '[3]']) v;

-- grouped
SELECT g, avg(v), sum(v) FROM (VALUES (1, '[1,1]'::vector), (1, '[3,5]'), (2, '[10,20]')) t(g, v)
GROUP BY g ORDER BY g;

-- the support functions directly (state: {count, sum_1, ..., sum_dim})
SELECT vector_accum('{0}', '[1,2,3]');
SELECT vector_accum('{2,1,1,1}', '[1,2,3]');
SELECT vector_accum('{2,1,1}', '[1,2,3]');
SELECT vector_accum('{}', '[1]');
SELECT vector_accum('{{0}}', '[1]');
SELECT vector_accum('{NULL}', '[1]');
SELECT vector_combine('{1,2,3}', '{2,4,6}');
SELECT vector_combine('{0}', '{2,4,6}');
SELECT vector_combine('{2,4,6}', '{0}');
SELECT vector_combine('{0}', '{0}');
SELECT vector_combine('{1,2}', '{1,2,3}');
SELECT vector_combine('{1,1.7e308}', '{1,1.7e308}');
SELECT vector_combine('{}', '{0}');
SELECT vector_combine('{0}', '{NULL}');
SELECT vector_combine('{0}', (SELECT array_agg(i) FROM generate_series(1, 16002) i));
SELECT vector_avg('{2,2,4,6}');
SELECT vector_avg('{0}');
SELECT vector_avg('{1}');
SELECT vector_avg('{1,1e300}');
SELECT vector_avg('{}');
SELECT vector_avg('{{1,2}}');
SELECT vector_avg((SELECT array_agg(i) FROM generate_series(1, 16002) i));

-- aggregates are parallel safe with a combine function
SELECT p.proname, p.proparallel, a.aggtransfn, a.aggcombinefn, a.aggfinalfn,
       a.aggtranstype::regtype, a.agginitval
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.proargtypes[0] = 'vector'::regtype ORDER BY p.proname;

-- parallel aggregation gives the serial result
CREATE TABLE vector_agg_t (v vector(3));
INSERT INTO vector_agg_t SELECT ARRAY[i % 7, i % 11, -(i % 13)] FROM generate_series(1, 30000) i;
ANALYZE vector_agg_t;
CREATE TABLE vector_agg_serial AS SELECT avg(v) AS a, sum(v) AS s, count(*) AS n FROM vector_agg_t;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT avg(v), sum(v) FROM vector_agg_t;
SELECT avg(v), sum(v) FROM vector_agg_t;
SELECT p.a = s.a AS avg_equal, p.s = s.s AS sum_equal
FROM (SELECT avg(v) AS a, sum(v) AS s FROM vector_agg_t) p, vector_agg_serial s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT * FROM vector_agg_serial;
DROP TABLE vector_agg_t, vector_agg_serial;
