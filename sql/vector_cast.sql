-- vector casts to and from arrays

-- integer[], numeric[], real[], double precision[] to vector
SELECT ARRAY[1,2,3]::vector;
SELECT ARRAY[1.5,2.25,-3]::vector;
SELECT ARRAY[1,2,3]::real[]::vector;
SELECT ARRAY[1,2,3]::double precision[]::vector;
SELECT ARRAY[1,2,3]::numeric[]::vector;
SELECT '{0.1,0.2}'::real[]::vector;
SELECT '{0.1,0.2}'::double precision[]::vector;
SELECT '{0.1,0.2}'::numeric[]::vector;
SELECT '{2147483647,-2147483648}'::int[]::vector;
SELECT '[2:3]={7,8}'::int[]::vector;

-- typmod
SELECT ARRAY[1,2,3]::vector(3);
SELECT ARRAY[1,2,3]::vector(2);
SELECT ARRAY[1,2,3]::real[]::vector(2);
SELECT ARRAY[1,2,3]::double precision[]::vector(2);
SELECT ARRAY[1,2,3]::numeric[]::vector(2);

-- bad arrays
SELECT '{}'::int[]::vector;
SELECT '{}'::real[]::vector;
SELECT '{{1,2},{3,4}}'::int[]::vector;
SELECT '{{1}}'::real[]::vector;
SELECT '{1,NULL}'::int[]::vector;
SELECT '{NULL}'::real[]::vector;
SELECT '{NULL}'::double precision[]::vector;
SELECT '{NULL}'::numeric[]::vector;
SELECT '{NaN}'::real[]::vector;
SELECT '{NaN}'::double precision[]::vector;
SELECT '{NaN}'::numeric[]::vector;
SELECT '{Infinity}'::real[]::vector;
SELECT '{-Infinity}'::double precision[]::vector;
SELECT '{4e38}'::double precision[]::vector;
SELECT '{-4e38}'::double precision[]::vector;
SELECT '{1e-46,-1e-46}'::double precision[]::vector;
SELECT '{4e38}'::numeric[]::vector;
SELECT array_fill(1, ARRAY[16000])::vector IS NOT NULL;
SELECT array_fill(1, ARRAY[16001])::vector;
SELECT array_fill(1.0::real, ARRAY[16001])::vector;

-- casts from arrays are assignment casts: they apply on insert
CREATE TABLE vector_cast_t (v vector(2));
INSERT INTO vector_cast_t VALUES (ARRAY[1,2]), (ARRAY[1.5,2.5]::real[]), (ARRAY[3,4]::float8[]);
INSERT INTO vector_cast_t VALUES (ARRAY[1,2,3]);
SELECT * FROM vector_cast_t;
DROP TABLE vector_cast_t;

-- vector to real[] (implicit)
SELECT '[1,2,3]'::vector::real[];
SELECT '[0.1,-0.2,3e38]'::vector::real[];
SELECT array_length('[1,2,3,4]'::vector::real[], 1);
SELECT ('[1,2,3]'::vector::real[])[2];
SELECT array_length(array_fill(1, ARRAY[16000])::vector::real[], 1);

-- round trip
SELECT v::real[]::vector = v FROM (SELECT '[0.1,3.1415927,-1e-30]'::vector AS v) s;

-- vector to vector keeps or checks the typmod
SELECT '[1,2]'::vector::vector(2);
SELECT '[1,2]'::vector::vector(3);

-- the cast catalog: which casts exist, and in which context
SELECT castsource::regtype, casttarget::regtype, castfunc::regprocedure, castcontext
FROM pg_cast
WHERE castsource = 'vector'::regtype OR casttarget = 'vector'::regtype
ORDER BY castsource::regtype::text, casttarget::regtype::text;
