-- vector <-> bytevector casts and binary_quantize(vector) -> bitvector

-- vector -> bytevector: round half away from zero, saturate to [-128, 127]
SELECT '[1,-2,127,-128,0]'::vector::bytevector;
SELECT '[0.4,0.5,0.6,1.5,2.5,-0.4,-0.5,-0.6,-1.5,-2.5]'::vector::bytevector;
SELECT '[126.5,127.4,127.5,128,1000,1e30]'::vector::bytevector;
SELECT '[-127.5,-128.4,-128.5,-129,-1000,-1e30]'::vector::bytevector;
SELECT '[0.0000001,-0.0000001,-0]'::vector::bytevector;
SELECT '[1,2,3]'::vector::bytevector(3);
SELECT '[1,2,3]'::vector::bytevector(2);
SELECT ('[' || array_to_string(array_fill(1.5, ARRAY[16000]), ',') || ']')::vector::bytevector = array_fill(2, ARRAY[16000])::bytevector;

-- bytevector -> vector: exact
SELECT '[1,-2,127,-128,0]'::bytevector::vector;
SELECT '[1,2,3]'::bytevector::vector(3);
SELECT '[1,2,3]'::bytevector::vector(2);
SELECT '[-128,-1,0,1,127]'::bytevector::vector::bytevector;

-- assignment and implicit use
CREATE TABLE bytebit_casts (v vector(3), b bytevector(3));
INSERT INTO bytebit_casts VALUES ('[1,2,3]'::bytevector, '[1.4,-2.6,300]'::vector);
INSERT INTO bytebit_casts VALUES ('[1,2]'::bytevector, '[1,2,3]'::vector);
INSERT INTO bytebit_casts VALUES ('[1,2,3]'::bytevector, '[1,2]'::vector);
SELECT * FROM bytebit_casts;
UPDATE bytebit_casts SET b = v;
SELECT * FROM bytebit_casts;
-- a bytevector meets a vector as a vector
SELECT b <-> v AS l2, b <#> v AS neg_ip, b <=> v AS cosine, b <+> v AS l1 FROM bytebit_casts;
SELECT pg_typeof(b + v) FROM bytebit_casts;
-- vector_norm(bytevector) resolves through the cast and equals l2_norm
SELECT vector_norm(b), l2_norm(b), vector_norm(b) = l2_norm(b) FROM bytebit_casts;
-- untyped literals still resolve to vector, as in pgvector
SELECT vector_norm('[3,4]');
SELECT l2_distance('[1,2]'::bytevector, '[1.5,2]'::vector);
SELECT l2_distance('[1,2]'::bytevector, '[1,2,3]'::vector);
DROP TABLE bytebit_casts;

-- binary_quantize: 1 where the element is > 0
SELECT binary_quantize('[1,0,-1]'::vector);
SELECT binary_quantize('[0,0.1,-0.2,-0.3,0.4,0.5,0.6,-0.7,0.8,-0.9,1]'::vector);
SELECT binary_quantize('[1,2,3,-4,5,6,-7,8,1,-2,-3,4,5,-6,7,8,-1,2,3]'::vector);
SELECT binary_quantize('[1e-30,-1e-30,-0,0]'::vector);
SELECT pg_typeof(binary_quantize('[1]'::vector)), vector_dims(binary_quantize(array_fill(1, ARRAY[16000])::vector));
-- as with pgvector, the result casts to bit for bit-typed expressions and columns
SELECT binary_quantize('[1,-2,3]'::vector)::bit(3);
SELECT binary_quantize('[1,-2,3]'::vector) <~> binary_quantize('[-1,-2,3]'::vector),
       hamming_distance(binary_quantize('[1,-2,3]'::vector), B'001'),
       jaccard_distance(binary_quantize('[1,-2,3]'::vector), '111');

-- function properties
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p
WHERE p.proname IN ('vector_to_bytevector', 'bytevector_to_vector', 'binary_quantize')
ORDER BY p.oid::regprocedure::text;
