-- vector text input and output, typmod

-- well-formed input
SELECT '[1,2,3]'::vector;
SELECT '[-1.5,0,2.25]'::vector;
SELECT '[1.,2.,3.]'::vector;
SELECT '[+1,-0,1e2,1E-2,.5]'::vector;
SELECT ' [ 1,  2 ,    3  ] '::vector;
SELECT E'\t[\n1 ,\r2\f]\n'::vector;
SELECT '[0x10]'::vector;

-- output: shortest text that reads back to the same float
SELECT '[0.1,0.2,0.3]'::vector;
SELECT '[1.23456789]'::vector;
SELECT '[3.4028235e38,-3.4028235e38]'::vector;
SELECT '[1.1754944e-38,1e-45]'::vector;
SELECT '[123456789,0.000001]'::vector;
SELECT '[1e-46,-1e-46]'::vector;
SELECT v::text::vector = v FROM (SELECT '[0.1,3.1415927,-2.7182817,1e-30]'::vector AS v) s;

-- malformed input
SELECT ''::vector;
SELECT '   '::vector;
SELECT '1,2'::vector;
SELECT '['::vector;
SELECT '[ '::vector;
SELECT '[1'::vector;
SELECT '[1,2'::vector;
SELECT '[1,'::vector;
SELECT '[,'::vector;
SELECT '[,]'::vector;
SELECT '[1,]'::vector;
SELECT '[,1]'::vector;
SELECT '[1,,2]'::vector;
SELECT '[1, ,2]'::vector;
SELECT '[1 2]'::vector;
SELECT '[1a]'::vector;
SELECT '[a]'::vector;
SELECT '[1-2]'::vector;
SELECT '[1,2]x'::vector;
SELECT '[1,2] ]'::vector;
SELECT '[[1,2]]'::vector;

-- empty vector
SELECT '[]'::vector;
SELECT '[ ]'::vector;

-- non-finite values
SELECT '[NaN]'::vector;
SELECT '[1,nan]'::vector;
SELECT '[Infinity,1]'::vector;
SELECT '[-Infinity]'::vector;
SELECT '[inf]'::vector;

-- overflow beyond float4 is an error (underflow reads as zero, above)
SELECT '[1e39]'::vector;
SELECT '[1,-1e39]'::vector;
SELECT '[4e38x]'::vector;

-- dimensions limit
SELECT vector_dims(('[' || array_to_string(array_fill(1, ARRAY[16000]), ',') || ']')::vector);
SELECT ('[' || array_to_string(array_fill(1, ARRAY[16001]), ',') || ']')::vector;

-- typmod
SELECT '[1,2,3]'::vector(3);
SELECT '[1,2,3]'::vector(2);
SELECT '[1,2,3]'::vector(4);
SELECT '[1,2,3]'::vector(0);
SELECT '[1,2,3]'::vector(-1);
SELECT '[1,2,3]'::vector(16000);
SELECT '[1,2,3]'::vector(16001);
SELECT '[1,2,3]'::vector(3, 2);
SELECT '[1,2,3]'::vector('a');
SELECT '{"[1,2]","[3,4]"}'::vector(2)[];
SELECT '{"[1,2]","[3,4,5]"}'::vector(2)[];
SELECT unnest('{"[1,2,3]", "[4,5,6]"}'::vector[]);

-- typmod on a column: shown by format_type, enforced on insert and update
CREATE TABLE vector_input_t (id int, v vector(3));
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'vector_input_t'::regclass AND attname = 'v';
INSERT INTO vector_input_t VALUES (1, '[1,2,3]');
INSERT INTO vector_input_t VALUES (2, '[1,2]');
INSERT INTO vector_input_t VALUES (3, '[1,2,3]'::vector);
INSERT INTO vector_input_t VALUES (4, '[1,2,3,4]'::vector);
UPDATE vector_input_t SET v = '[1]'::vector;
UPDATE vector_input_t SET v = v || '[4]'::vector;
INSERT INTO vector_input_t VALUES (5, NULL);
SELECT * FROM vector_input_t ORDER BY id;
DROP TABLE vector_input_t;

-- the length coercion function itself
SELECT vector('[1,2]'::vector, 2, false);
SELECT vector('[1,2]'::vector, 3, true);
SELECT vector('[1,2]'::vector, -1, false);
