-- bitvector: functions, distance operators, comparison and btree

SELECT vector_dims('0101'::bitvector);
SELECT vector_dims(B'01011'::bitvector);

-- hamming
SELECT hamming_distance('111'::bitvector, '111');
SELECT hamming_distance('111'::bitvector, '110');
SELECT hamming_distance('111'::bitvector, '000');
SELECT hamming_distance('10101010101010101010', '01010101010101010101');
SELECT hamming_distance((repeat('10', 257) || '1')::bitvector, (repeat('01', 257) || '0')::bitvector);
SELECT '111'::bitvector <~> '100';
SELECT hamming_distance('111', '00');
SELECT '111'::bitvector <~> '00';

-- jaccard (1 when no bit is set in both, as pgvector)
SELECT jaccard_distance('1111'::bitvector, '1111');
SELECT jaccard_distance('1111'::bitvector, '1110');
SELECT jaccard_distance('1111'::bitvector, '1000');
SELECT jaccard_distance('1100'::bitvector, '1000');
SELECT jaccard_distance('1111'::bitvector, '0000');
SELECT jaccard_distance('0000'::bitvector, '0000');
SELECT jaccard_distance('10101010101010101010', '01010101010101010101');
SELECT jaccard_distance(('11' || repeat('0', 511) || '11')::bitvector,
                        ('1' || repeat('0', 513) || '1')::bitvector);
SELECT '1100'::bitvector <%> '1000';
SELECT jaccard_distance('1111', '000');
SELECT '1111'::bitvector <%> '000';

-- longest vectors
SELECT repeat('1', 64000)::bitvector <~> repeat('0', 64000)::bitvector,
       repeat('1', 64000)::bitvector <%> repeat('10', 32000)::bitvector;

-- values stored out of line (TOAST) are read back intact
CREATE TABLE bitvector_toast (id int, v bitvector);
INSERT INTO bitvector_toast VALUES (1, repeat('1', 64000)::bitvector), (2, repeat('10', 32000)::bitvector);
SELECT pg_column_size(v) > 8000 AS big, vector_dims(v), v = repeat('1', 64000)::bitvector AS ones
FROM bitvector_toast ORDER BY id;
SELECT a.v <~> b.v, a.v <%> b.v FROM bitvector_toast a, bitvector_toast b WHERE a.id = 1 AND b.id = 2;
DROP TABLE bitvector_toast;

-- odd lengths against a reference computed in SQL (kernel tails)
WITH v AS (
  SELECT n,
    string_agg(CASE WHEN (i * 7) % 3 = 0 THEN '1' ELSE '0' END, '' ORDER BY i) AS a,
    string_agg(CASE WHEN (i * 5) % 4 = 1 THEN '1' ELSE '0' END, '' ORDER BY i) AS b
  FROM generate_series(1, 140) n, generate_series(1, n) i
  GROUP BY n
), r AS (
  SELECT n, a::bitvector AS x, b::bitvector AS y,
    length(replace((a::varbit # b::varbit)::text, '0', '')) AS ham,
    length(replace((a::varbit & b::varbit)::text, '0', '')) AS inter,
    length(replace((a::varbit | b::varbit)::text, '0', '')) AS uni
  FROM v
)
SELECT count(*) FILTER (WHERE x <~> y = ham) AS hamming_ok,
       count(*) FILTER (WHERE x <%> y = CASE WHEN inter = 0 THEN 1 ELSE 1 - inter::float8 / uni END)
         AS jaccard_ok,
       count(*) AS total
FROM r;

-- comparison operators: bit by bit, then length (as bit varying)
SELECT '0101'::bitvector < '0110', '0101'::bitvector < '010', '010'::bitvector < '0101',
       '1'::bitvector < '01';
SELECT '0101'::bitvector <= '0101', '0110'::bitvector <= '0101';
SELECT '0101'::bitvector = '0101', '0101'::bitvector = '01010';
SELECT '0101'::bitvector <> '0101', '0101'::bitvector <> '1010';
SELECT '0101'::bitvector >= '0101', '0100'::bitvector >= '0101';
SELECT '0110'::bitvector > '0101', '1'::bitvector > '10';
SELECT bitvector_cmp('0101', '0110'), bitvector_cmp('0101', '0101'), bitvector_cmp('01010', '0101');

-- btree opclass, in the same order as bit varying
CREATE TABLE bitvector_btree (v bitvector);
INSERT INTO bitvector_btree VALUES ('0101'), ('1'), ('010'), ('01010'), ('0101'), (NULL),
  ('111111111'), ('11111111'), ('0');
SELECT v FROM bitvector_btree ORDER BY v;
SELECT array_agg(v ORDER BY v) = array_agg(v::varbit::bitvector ORDER BY v::varbit) AS same_as_varbit
FROM bitvector_btree;
SELECT DISTINCT v FROM bitvector_btree ORDER BY v DESC;
CREATE INDEX ON bitvector_btree (v);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM bitvector_btree WHERE v = '0101';
SELECT * FROM bitvector_btree WHERE v = '0101';
SELECT * FROM bitvector_btree WHERE v > '1' ORDER BY v;
RESET enable_seqscan;

-- ordering by distance
SELECT v, v <~> '0110' AS d FROM bitvector_btree WHERE vector_dims(v) = 4 ORDER BY v <~> '0110', v;
DROP TABLE bitvector_btree;

-- function properties (conversions to and from vector: see bytebit_vector_casts)
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p
WHERE ('bitvector'::regtype = ANY (p.proargtypes) OR p.prorettype = 'bitvector'::regtype
       OR p.proname LIKE 'bitvector%')
  AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typname = 'vector'
                  AND (t.oid = ANY (p.proargtypes) OR t.oid = p.prorettype))
ORDER BY p.oid::regprocedure::text;
