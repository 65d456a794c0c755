-- bitvector: text form, typmod, bit / bit varying casts, binary send/recv

-- text input and output
SELECT '0101'::bitvector;
SELECT '1'::bitvector, '0'::bitvector;
SELECT '101010101010101010101'::bitvector;
SELECT vector_dims(repeat('1', 64000)::bitvector);

-- malformed text
SELECT '0121'::bitvector;
SELECT ' 0101'::bitvector;
SELECT '0101 '::bitvector;
SELECT '01x'::bitvector;
SELECT 'B0101'::bitvector;
SELECT '01é'::bitvector;
SELECT ''::bitvector;
SELECT repeat('1', 64001)::bitvector;
SELECT repeat('2', 64001)::bitvector;

-- typmod
SELECT '0101'::bitvector(4);
SELECT '0101'::bitvector(3);
SELECT '0101'::bitvector::bitvector(5);
SELECT '1'::bitvector(0);
SELECT '1'::bitvector(64001);
SELECT '1'::bitvector(1, 2);
CREATE TABLE bitvector_typmod (v bitvector(3));
INSERT INTO bitvector_typmod VALUES ('101');
INSERT INTO bitvector_typmod VALUES ('10');
INSERT INTO bitvector_typmod VALUES ('1010'::bitvector);
\d bitvector_typmod
SELECT * FROM bitvector_typmod;
DROP TABLE bitvector_typmod;

-- casts from bit and bit varying (implicit) and back (assignment, explicit)
SELECT B'1011'::bitvector, B'1011'::varbit::bitvector, '1011'::bit(4)::bitvector(4);
SELECT '1011'::varbit::bitvector(3);
SELECT ''::varbit::bitvector;
SELECT repeat('1', 64001)::varbit::bitvector;
SELECT '1011'::bitvector::varbit, '1011'::bitvector::bit(4), '1011'::bitvector::bit varying(8);
SELECT '1011'::bitvector::bit(2);
SELECT '1011'::bitvector::varbit(2);
SELECT '1011'::bitvector::bit;
SELECT pg_typeof('101'::bitvector::varbit), length('101'::bitvector::varbit);
CREATE TABLE bitvector_assign (b bit(3), vb varbit, v bitvector(3));
INSERT INTO bitvector_assign VALUES ('101'::bitvector, '0101'::bitvector, B'110');
INSERT INTO bitvector_assign (v) VALUES (B'1101');
SELECT * FROM bitvector_assign;
-- bit columns work with the bitvector functions (as with pgvector's bit)
SELECT hamming_distance(b, v), b <~> v, jaccard_distance(b, '111'), b <%> B'111' FROM bitvector_assign;
SELECT b = B'101', vb = B'0101', vb || B'1' FROM bitvector_assign;
DROP TABLE bitvector_assign;

-- binary send (int32 bit count, packed bytes), same bytes as bit varying
SELECT bitvector_send('0101'), varbit_send('0101');
SELECT bitvector_send('111111111');

-- binary round trip through COPY
CREATE TABLE bitvector_bin (id int, v bitvector);
INSERT INTO bitvector_bin VALUES (1, '0101'), (2, '111111111'), (3, NULL), (4, repeat('10', 1000)::bitvector);
COPY bitvector_bin TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
CREATE TABLE bitvector_bin2 (id int, v bitvector);
COPY bitvector_bin2 FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
SELECT id, left(v::text, 20), vector_dims(v) FROM bitvector_bin2 ORDER BY id;
SELECT count(*) FROM bitvector_bin a JOIN bitvector_bin2 b USING (id) WHERE a.v = b.v;
-- a bit varying column reads the same bytes
CREATE TABLE bitvector_bin3 (id int, v varbit);
COPY bitvector_bin3 FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
SELECT count(*) FROM bitvector_bin a JOIN bitvector_bin3 b USING (id) WHERE a.v = b.v;

-- binary receive of hand-made data: the bytes of a bytea field are read as a
-- bitvector field (int32 bit count, then the packed bytes)
CREATE TABLE bitvector_raw (v bitvector);
CREATE TABLE bitvector_raw4 (v bitvector(4));
COPY (SELECT '\x0000000450'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw4 FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
SELECT * FROM bitvector_raw;
SELECT * FROM bitvector_raw4;
-- wrong typmod
COPY (SELECT '\x0000000540'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw4 FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
-- padding bits set
COPY (SELECT '\x0000000451'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
-- zero, negative and too many bits
COPY (SELECT '\x00000000'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY (SELECT '\xffffffff'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY (SELECT '\x0000fa01'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
-- too few and too many data bytes
COPY (SELECT '\x0000000901'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY (SELECT '\x000000040000'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
-- truncated header
COPY (SELECT '\x0001'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
SELECT count(*) FROM bitvector_raw;
DROP TABLE bitvector_bin, bitvector_bin2, bitvector_bin3, bitvector_raw, bitvector_raw4;

-- SQLSTATEs of the input errors
\set VERBOSITY sqlstate
SELECT '0121'::bitvector;
SELECT ''::bitvector;
SELECT repeat('1', 64001)::bitvector;
SELECT '0101'::bitvector(3);
SELECT hamming_distance('01'::bitvector, '011');
COPY (SELECT '\x0000000451'::bytea) TO '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
CREATE TEMP TABLE bitvector_raw (v bitvector);
COPY bitvector_raw FROM '/tmp/vx_bitvector_regress.bin' WITH (FORMAT binary);
\set VERBOSITY default
