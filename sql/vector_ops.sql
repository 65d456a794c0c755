-- vector functions, distances, arithmetic and ordering

-- vector_dims, vector_norm
SELECT vector_dims('[1,2,3]'::vector);
SELECT vector_dims('[0]'::vector);
SELECT vector_norm('[3,4]');
SELECT vector_norm('[0,0]');
SELECT vector_norm('[-2]');
SELECT round(vector_norm('[1,1]')::numeric, 6);
SELECT vector_norm('[3e37,4e37]')::real;

-- l2_normalize
SELECT l2_normalize('[3,4]'::vector);
SELECT l2_normalize('[0,-5]'::vector);
SELECT l2_normalize('[0,0,0]'::vector);
SELECT l2_normalize('[3e38,3e38]'::vector);
SELECT l2_normalize('[1e-45]'::vector);
SELECT round(vector_norm(l2_normalize('[1,2,3,4,5]'::vector))::numeric, 6);

-- subvector (1-based start, like substring)
SELECT subvector('[1,2,3,4,5]'::vector, 1, 3);
SELECT subvector('[1,2,3,4,5]'::vector, 4, 2);
SELECT subvector('[1,2,3,4,5]'::vector, 4, 10);
SELECT subvector('[1,2,3,4,5]'::vector, 0, 2);
SELECT subvector('[1,2,3,4,5]'::vector, -2, 4);
SELECT subvector('[1,2,3,4,5]'::vector, 5, 1);
SELECT subvector('[1,2,3,4,5]'::vector, 6, 1);
SELECT subvector('[1,2,3,4,5]'::vector, 2, 0);
SELECT subvector('[1,2,3,4,5]'::vector, 2, -3);
SELECT subvector('[1,2,3,4,5]'::vector, -2, 3);
SELECT subvector('[1,2,3,4,5]'::vector, 2147483647, 2147483647);
SELECT subvector('[1,2,3,4,5]'::vector, 2, 2147483647);
SELECT subvector('[1,2,3,4,5]'::vector, -2147483648, 2147483647);
SELECT subvector('[1,2,3,4,5]'::vector, -2147483645, 2147483647);

-- distances: functions and operators
SELECT l2_distance('[0,0]'::vector, '[3,4]');
SELECT '[1,1,1]'::vector <-> '[1,1,1]';
SELECT l2_distance('[3e38]'::vector, '[-3e38]');
SELECT l2_distance(array_fill(1, ARRAY[17])::vector, array_fill(2, ARRAY[17])::vector) ^ 2;
SELECT vector_l2_squared_distance('[0,0]'::vector, '[3,4]');
SELECT inner_product('[1,2,3]'::vector, '[4,5,6]');
SELECT inner_product('[3e38]'::vector, '[3e38]');
SELECT '[1,2,3]'::vector <#> '[4,5,6]';
SELECT vector_negative_inner_product('[1,2,3]'::vector, '[4,5,6]');
SELECT cosine_distance('[1,2]'::vector, '[2,4]');
SELECT cosine_distance('[1,0]'::vector, '[0,1]');
SELECT cosine_distance('[1,1]'::vector, '[-1,-1]');
SELECT cosine_distance('[1,2]'::vector, '[0,0]');
SELECT cosine_distance('[0,0]'::vector, '[0,0]');
SELECT cosine_distance('[3e38]'::vector, '[3e38]');
SELECT cosine_distance('[1,1]'::vector, '[1.1,1.1]');
SELECT cosine_distance('[1,1]'::vector, '[-1.1,-1.1]');
SELECT round(cosine_distance('[1,2,3]'::vector, '[3,2,1]')::numeric, 6);
SELECT '[1,2]'::vector <=> '[2,4]';
SELECT vector_spherical_distance('[1,0]'::vector, '[0,1]');
SELECT vector_spherical_distance('[1,0]'::vector, '[1,0]');
SELECT vector_spherical_distance('[1,0]'::vector, '[-1,0]');
SELECT vector_spherical_distance('[2,0]'::vector, '[2,0]');
SELECT l1_distance('[0,0]'::vector, '[3,-4]');
SELECT l1_distance('[3e38]'::vector, '[-3e38]');
SELECT '[1,2,3]'::vector <+> '[3,2,1]';

-- distances over many dimensions (the SIMD kernels' main loop and tail)
SELECT l2_distance(a, b), inner_product(a, b), l1_distance(a, b), round(cosine_distance(a, b)::numeric, 6)
FROM (SELECT array_agg(i)::vector AS a, array_agg(100 - i)::vector AS b FROM generate_series(1, 99) i) s;

-- different dimensions
SELECT l2_distance('[1,2]'::vector, '[3]');
SELECT '[1,2]'::vector <-> '[3]';
SELECT vector_l2_squared_distance('[1,2]'::vector, '[3]');
SELECT inner_product('[1,2]'::vector, '[3]');
SELECT '[1,2]'::vector <#> '[3]';
SELECT cosine_distance('[1,2]'::vector, '[3]');
SELECT '[1,2]'::vector <=> '[3]';
SELECT vector_spherical_distance('[1,2]'::vector, '[3]');
SELECT l1_distance('[1,2]'::vector, '[3]');
SELECT '[1]'::vector <+> '[3,4,5]';

-- arithmetic
SELECT '[1,2,3]'::vector + '[4,5,6]';
SELECT '[1,2,3]'::vector - '[4,5,6]';
SELECT '[1,2,3]'::vector * '[4,5,6]';
SELECT '[0.1]'::vector + '[0.2]';
SELECT '[3e38]'::vector + '[3e38]';
SELECT '[-3e38]'::vector - '[3e38]';
SELECT '[1e20,1]'::vector * '[1e20,1]';
SELECT '[1e-30]'::vector * '[1e-30]';
SELECT '[0,1]'::vector * '[1e-30,1]';
SELECT '[1,2]'::vector + '[3]';
SELECT '[1,2]'::vector - '[3]';
SELECT '[1,2]'::vector * '[3]';

-- concatenation
SELECT '[1,2]'::vector || '[3]';
SELECT vector_dims(array_fill(1, ARRAY[15999])::vector || '[1]');
SELECT array_fill(1, ARRAY[16000])::vector || '[1]';

-- comparison: elements first, then dimensions
SELECT '[1,2,3]'::vector < '[1,2,4]', '[1,2,3]'::vector < '[1,2,3]', '[1,2]'::vector < '[1,2,3]', '[2]'::vector < '[1,2,3]';
SELECT '[1,2,3]'::vector <= '[1,2,3]', '[1,2,3]'::vector <= '[1,2]';
SELECT '[1,2,3]'::vector = '[1,2,3]', '[1,2,3]'::vector = '[1,2]', '[0]'::vector = '[-0]';
SELECT '[1,2,3]'::vector <> '[1,2,3]', '[1,2,3]'::vector <> '[1,2]';
SELECT '[1,2,3]'::vector >= '[1,2,3]', '[1,2]'::vector >= '[1,2,3]';
SELECT '[1,2,3]'::vector > '[1,2]', '[1,2,3]'::vector > '[1,3]';
SELECT vector_cmp('[1,2,3]', '[1,2,3]'), vector_cmp('[1,2,3]', '[1,2,2]'), vector_cmp('[1,2,2]', '[1,2,3]');
SELECT vector_cmp('[1,2]', '[1,2,3]'), vector_cmp('[1,2,3]', '[1,2]'), vector_cmp('[2]', '[1,2,3]');

-- btree opclass: ORDER BY, DISTINCT, GROUP BY, btree index
CREATE TABLE vector_ops_t (id int, v vector);
INSERT INTO vector_ops_t VALUES
    (1, '[1,2,3]'), (2, '[1,2]'), (3, '[0,5]'), (4, '[1,2,3]'), (5, NULL), (6, '[-1]'), (7, '[1,2,3,0]');
SELECT id, v FROM vector_ops_t ORDER BY v, id;
SELECT DISTINCT v FROM vector_ops_t ORDER BY v;
SELECT v, count(*) FROM vector_ops_t GROUP BY v ORDER BY v;
CREATE INDEX vector_ops_t_v ON vector_ops_t (v);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM vector_ops_t WHERE v = '[1,2,3]';
SELECT id FROM vector_ops_t WHERE v = '[1,2,3]' ORDER BY id;
SELECT id FROM vector_ops_t WHERE v > '[1,2]' ORDER BY v, id;
RESET enable_seqscan;
SELECT id, v <-> '[1,2]' AS dist FROM vector_ops_t WHERE vector_dims(v) = 2 ORDER BY v <-> '[1,2]';
DROP TABLE vector_ops_t;

-- every function of the vector type is IMMUTABLE STRICT PARALLEL SAFE
SELECT p.oid::regprocedure
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
JOIN pg_extension e ON d.refobjid = e.oid AND e.extname = 'vector_ext'
WHERE (p.proargtypes::oid[] && ARRAY['vector'::regtype::oid] OR p.prorettype = 'vector'::regtype)
  AND p.prokind = 'f' AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's');
SELECT count(*) > 30 FROM pg_proc
WHERE (proargtypes::oid[] && ARRAY['vector'::regtype::oid] OR prorettype = 'vector'::regtype)
  AND prokind = 'f' AND provolatile = 'i' AND proisstrict AND proparallel = 's';
