-- bytevector: text form, typmod, array casts, binary send/recv

-- text input and output
SELECT '[1,-2,127]'::bytevector;
SELECT ' [ -128 , 0,127 ] '::bytevector;
SELECT '[+5,-0,007]'::bytevector;
SELECT '[0]'::bytevector;
SELECT vector_dims(('[' || array_to_string(array_fill(1, ARRAY[16000]), ',') || ']')::bytevector);

-- malformed or out-of-range text
SELECT '[128]'::bytevector;
SELECT '[-129]'::bytevector;
SELECT '[1,99999999999999999999999]'::bytevector;
SELECT '[1.5]'::bytevector;
SELECT '[1e2]'::bytevector;
SELECT '[0x10]'::bytevector;
SELECT '[-]'::bytevector;
SELECT '[a]'::bytevector;
SELECT '[1,,2]'::bytevector;
SELECT '[1,2,]'::bytevector;
SELECT '[1'::bytevector;
SELECT '[1 2]'::bytevector;
SELECT ''::bytevector;
SELECT '1,2'::bytevector;
SELECT '[]'::bytevector;
SELECT '[ ]'::bytevector;
SELECT '[1]x'::bytevector;
SELECT '[1][2]'::bytevector;
SELECT ('[' || array_to_string(array_fill(1, ARRAY[16001]), ',') || ']')::bytevector;

-- typmod
SELECT '[1,2,3]'::bytevector(3);
SELECT '[1,2]'::bytevector(3);
SELECT '[1,2,3]'::bytevector::bytevector(2);
SELECT '[1]'::bytevector(0);
SELECT '[1]'::bytevector(16001);
SELECT '[1]'::bytevector(1, 2);
CREATE TABLE bytevector_typmod (v bytevector(3));
INSERT INTO bytevector_typmod VALUES ('[1,2,3]');
INSERT INTO bytevector_typmod VALUES ('[1,2]');
INSERT INTO bytevector_typmod VALUES ('[1,2,3]'::bytevector);
INSERT INTO bytevector_typmod VALUES ('[1,2,3,4]'::bytevector);
\d bytevector_typmod
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
  WHERE attrelid = 'bytevector_typmod'::regclass AND attname = 'v';
SELECT * FROM bytevector_typmod;
DROP TABLE bytevector_typmod;

-- integer[] casts
SELECT ARRAY[1,-2,127]::bytevector;
SELECT ARRAY[1,-2,127]::bytevector(3);
SELECT ARRAY[1,-2]::bytevector(3);
SELECT '{-128,127}'::int[]::bytevector;
SELECT ARRAY[128]::bytevector;
SELECT ARRAY[-129]::bytevector;
SELECT ARRAY[1,NULL]::bytevector;
SELECT ARRAY[[1,2],[3,4]]::bytevector;
SELECT '{}'::int[]::bytevector;
SELECT array_fill(0, ARRAY[16001])::bytevector;
SELECT '[1,-2,127]'::bytevector::int[];
SELECT '[-128]'::bytevector::integer[];
CREATE TABLE bytevector_assign (v bytevector(2), a integer[]);
INSERT INTO bytevector_assign VALUES (ARRAY[1,2], '[3,4]'::bytevector);
SELECT * FROM bytevector_assign;
DROP TABLE bytevector_assign;

-- binary send
SELECT bytevector_send('[1,-2,127]');
SELECT bytevector_send('[-128]');

-- binary round trip through COPY
CREATE TABLE bytevector_bin (id int, v bytevector);
INSERT INTO bytevector_bin VALUES (1, '[1,-2,127]'), (2, '[-128,0]'), (3, NULL);
COPY bytevector_bin TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
CREATE TABLE bytevector_bin2 (id int, v bytevector);
COPY bytevector_bin2 FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
SELECT * FROM bytevector_bin2 ORDER BY id;
SELECT count(*) FROM bytevector_bin a JOIN bytevector_bin2 b USING (id) WHERE a.v = b.v;

-- binary receive of hand-made data: the bytes of a bytea field are read as a
-- bytevector field (uint16 dims, uint16 unused, then the elements)
CREATE TABLE bytevector_raw (v bytevector);
CREATE TABLE bytevector_raw3 (v bytevector(3));
COPY (SELECT '\x0003000001fe7f'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw3 FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
SELECT * FROM bytevector_raw;
SELECT * FROM bytevector_raw3;
-- wrong typmod
COPY (SELECT '\x00020000017f'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw3 FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
-- zero and too many dimensions
COPY (SELECT '\x00000000'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY (SELECT '\x3e810000'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
-- unused must be zero
COPY (SELECT '\x0001000101'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
-- too few and too many element bytes
COPY (SELECT '\x000300000102'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY (SELECT '\x00010000010203'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
-- truncated header
COPY (SELECT '\x0001'::bytea) TO '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
COPY bytevector_raw FROM '/tmp/vx_bytevector_regress.bin' WITH (FORMAT binary);
SELECT count(*) FROM bytevector_raw;
DROP TABLE bytevector_bin, bytevector_bin2, bytevector_raw, bytevector_raw3;

-- SQLSTATEs of the input errors
\set VERBOSITY sqlstate
SELECT '[128]'::bytevector;
SELECT ARRAY[128]::bytevector;
SELECT '[1.5]'::bytevector;
SELECT '[1,,2]'::bytevector;
SELECT '[]'::bytevector;
SELECT ('[' || array_to_string(array_fill(1, ARRAY[16001]), ',') || ']')::bytevector;
SELECT '[1,2]'::bytevector(3);
SELECT l2_distance('[1,2]'::bytevector, '[1]');
\set VERBOSITY default
