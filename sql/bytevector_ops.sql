-- bytevector: functions, distance operators, comparison and btree

SELECT vector_dims('[1,2,3]'::bytevector);
SELECT l2_norm('[3,4]'::bytevector);
SELECT l2_norm('[-128]'::bytevector);
SELECT l2_norm('[0,0]'::bytevector);

-- L2
SELECT l2_distance('[0,0]'::bytevector, '[3,4]');
SELECT l2_distance('[1,2]'::bytevector, '[1,2]');
SELECT '[0,0]'::bytevector <-> '[3,4]';
SELECT bytevector_l2_squared_distance('[0,0]', '[3,4]');
SELECT l2_distance('[1,2]'::bytevector, '[3]');

-- inner product
SELECT inner_product('[1,2]'::bytevector, '[3,4]');
SELECT inner_product('[-128,127]'::bytevector, '[-128,-128]');
SELECT '[1,2]'::bytevector <#> '[3,4]';
SELECT bytevector_negative_inner_product('[1,2]', '[3,4]');
SELECT inner_product('[1,2]'::bytevector, '[3]');
SELECT '[1,2]'::bytevector <#> '[3]';

-- cosine
SELECT cosine_distance('[1,2]'::bytevector, '[2,4]');
SELECT cosine_distance('[1,0]'::bytevector, '[0,1]');
SELECT cosine_distance('[1,1]'::bytevector, '[-1,-1]');
SELECT cosine_distance('[3,4]'::bytevector, '[4,3]');
SELECT cosine_distance('[0,0]'::bytevector, '[1,2]');
SELECT cosine_distance('[0,0]'::bytevector, '[0,0]');
SELECT '[1,2]'::bytevector <=> '[2,4]';
SELECT cosine_distance('[1,2]'::bytevector, '[3]');

-- L1
SELECT l1_distance('[1,2]'::bytevector, '[-3,5]');
SELECT l1_distance('[-128]'::bytevector, '[127]');
SELECT '[1,2]'::bytevector <+> '[-3,5]';
SELECT l1_distance('[1,2]'::bytevector, '[3]');
SELECT '[1,2]'::bytevector <+> '[3]';
SELECT '[1,2]'::bytevector <-> '[3]';
SELECT '[1,2]'::bytevector <=> '[3]';

-- longest vectors, extreme values: sums stay exact
WITH v AS (
  SELECT array_fill(-128, ARRAY[16000])::bytevector AS lo,
         array_fill(127, ARRAY[16000])::bytevector AS hi
)
SELECT lo <-> hi = 255 * sqrt(16000::float8) AS l2,
       bytevector_l2_squared_distance(lo, hi) AS l2sq,
       inner_product(lo, hi) AS ip,
       lo <#> lo AS neg_ip,
       lo <+> hi AS l1,
       lo <=> hi AS cos,
       l2_norm(lo) = 128 * sqrt(16000::float8) AS norm
FROM v;

-- values stored out of line (TOAST) are read back intact
CREATE TABLE bytevector_toast (id int, v bytevector);
INSERT INTO bytevector_toast VALUES (1, array_fill(-128, ARRAY[16000])::bytevector),
  (2, array_fill(127, ARRAY[16000])::bytevector);
SELECT pg_column_size(v) > 16000 AS big, vector_dims(v), l2_norm(v) FROM bytevector_toast ORDER BY id;
SELECT a.v <+> b.v, a.v <#> b.v FROM bytevector_toast a, bytevector_toast b WHERE a.id = 1 AND b.id = 2;
DROP TABLE bytevector_toast;

-- odd lengths against a reference computed in SQL (kernel tails)
WITH v AS (
  SELECT n, array_agg(((i * 37) % 256) - 128 ORDER BY i) AS a,
            array_agg(((i * 91 + 7) % 256) - 128 ORDER BY i) AS b
  FROM generate_series(1, 67) n, generate_series(1, n) i
  GROUP BY n
), r AS (
  SELECT n, a::bytevector AS x, b::bytevector AS y,
    (SELECT sum((a[i] - b[i])^2) FROM generate_subscripts(a, 1) i) AS l2sq,
    (SELECT sum(a[i] * b[i]) FROM generate_subscripts(a, 1) i) AS dot,
    (SELECT sum(abs(a[i] - b[i])) FROM generate_subscripts(a, 1) i) AS l1
  FROM v
)
SELECT count(*) FILTER (WHERE bytevector_l2_squared_distance(x, y) = l2sq) AS l2sq_ok,
       count(*) FILTER (WHERE inner_product(x, y) = dot) AS dot_ok,
       count(*) FILTER (WHERE l1_distance(x, y) = l1) AS l1_ok,
       count(*) AS total
FROM r;

-- comparison operators: element by element, then dimensions
SELECT '[1,2,3]'::bytevector < '[1,2,4]', '[1,2,3]'::bytevector < '[1,2]',
       '[1,2]'::bytevector < '[1,2,3]', '[-1]'::bytevector < '[1]';
SELECT '[1,2]'::bytevector <= '[1,2]', '[1,3]'::bytevector <= '[1,2]';
SELECT '[1,2]'::bytevector = '[1,2]', '[1,2]'::bytevector = '[1,2,0]';
SELECT '[1,2]'::bytevector <> '[1,2]', '[1,2]'::bytevector <> '[2,1]';
SELECT '[1,2]'::bytevector >= '[1,2]', '[1,1]'::bytevector >= '[1,2]';
SELECT '[1,3]'::bytevector > '[1,2]', '[1,2]'::bytevector > '[1,2,-128]';
SELECT bytevector_cmp('[1,2]', '[1,3]'), bytevector_cmp('[1,2]', '[1,2]'),
       bytevector_cmp('[1,2,3]', '[1,2]');

-- btree opclass
CREATE TABLE bytevector_btree (v bytevector);
INSERT INTO bytevector_btree VALUES ('[1,2,3]'), ('[-1]'), ('[1,2]'), ('[127]'), ('[1,-2,3]'),
  ('[1,2]'), (NULL), ('[-128,5]');
SELECT v FROM bytevector_btree ORDER BY v;
SELECT v FROM bytevector_btree ORDER BY v DESC NULLS LAST;
SELECT DISTINCT v FROM bytevector_btree ORDER BY v;
CREATE INDEX ON bytevector_btree (v);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM bytevector_btree WHERE v = '[1,2]';
SELECT * FROM bytevector_btree WHERE v = '[1,2]';
SELECT * FROM bytevector_btree WHERE v < '[1,2]' ORDER BY v;
RESET enable_seqscan;

-- ordering by distance
SELECT v, v <-> '[1,2]' AS d FROM bytevector_btree WHERE vector_dims(v) = 2 ORDER BY v <-> '[1,2]', v;
DROP TABLE bytevector_btree;

-- function properties (conversions to and from vector: see bytebit_vector_casts)
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p
WHERE ('bytevector'::regtype = ANY (p.proargtypes) OR p.prorettype = 'bytevector'::regtype
       OR p.proname LIKE 'bytevector%')
  AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typname = 'vector'
                  AND (t.oid = ANY (p.proargtypes) OR t.oid = p.prorettype))
ORDER BY p.oid::regprocedure::text;
