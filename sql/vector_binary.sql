-- vector binary send/recv (pgvector's wire layout: uint16 dim, uint16 unused,
-- then dim big-endian float4)

SELECT vector_send('[1,2,3]');
SELECT vector_send('[-0.5,0]');
SELECT vector_send('[3.4028235e38]');

-- round trip through a binary COPY file on the server
CREATE TABLE vector_binary_src (id int, v vector);
INSERT INTO vector_binary_src VALUES
    (1, '[1,2,3]'), (2, '[-0.1,1e-45,3.4028235e38]'), (3, NULL), (4, '[0]');
INSERT INTO vector_binary_src
    SELECT 5, array_agg(i * 0.25)::vector FROM generate_series(1, 16000) i;
COPY vector_binary_src TO '/tmp/vector_ext_vector_binary.bin' WITH (FORMAT binary);
CREATE TABLE vector_binary_dst (id int, v vector);
COPY vector_binary_dst FROM '/tmp/vector_ext_vector_binary.bin' WITH (FORMAT binary);
SELECT s.id, s.v IS NOT DISTINCT FROM d.v AS same, vector_dims(d.v)
FROM vector_binary_src s JOIN vector_binary_dst d USING (id) ORDER BY id;
SELECT id, v FROM vector_binary_dst WHERE id < 5 ORDER BY id;

-- the typmod of the target column is checked
CREATE TABLE vector_binary_typed (id int, v vector(3));
COPY vector_binary_typed FROM '/tmp/vector_ext_vector_binary.bin' WITH (FORMAT binary);
SELECT count(*) FROM vector_binary_typed;

-- hand-made COPY files with one vector column, to feed vector_recv bad data
CREATE TABLE vector_binary_one (v vector);
CREATE FUNCTION vector_binary_write(field bytea) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lo oid;
BEGIN
    -- signature, flags, header extension length; one tuple of one field; trailer
    lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
                           || '\x0001'::bytea || int4send(length(field)) || field
                           || '\xffff'::bytea);
    PERFORM lo_export(lo, '/tmp/vector_ext_vector_recv.bin');
    PERFORM lo_unlink(lo);
END
$$;

-- a good one: dim 2, unused 0, 1.5 and -2
SELECT vector_binary_write('\x000200003fc00000c0000000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
SELECT * FROM vector_binary_one;
-- dim 0
SELECT vector_binary_write('\x00000000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- dim 16001 (0x3e81)
SELECT vector_binary_write('\x3e810000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- dim 65535 (a negative int16 on the sender's side)
SELECT vector_binary_write('\xffff0000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- unused not zero
SELECT vector_binary_write('\x000100073f800000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- NaN, +Infinity, -Infinity
SELECT vector_binary_write('\x000100007fc00000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
SELECT vector_binary_write('\x000100007f800000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
SELECT vector_binary_write('\x00010000ff800000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- fewer values than dim says
SELECT vector_binary_write('\x000300003f80000040000000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- a truncated value
SELECT vector_binary_write('\x000100003f80');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- an empty value, and a value cut inside its dim/unused header
SELECT vector_binary_write('');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
SELECT vector_binary_write('\x0001');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
-- more bytes than dim says
SELECT vector_binary_write('\x000100003f80000040000000');
COPY vector_binary_one FROM '/tmp/vector_ext_vector_recv.bin' WITH (FORMAT binary);
SELECT * FROM vector_binary_one;

DROP FUNCTION vector_binary_write(bytea);
DROP TABLE vector_binary_src, vector_binary_dst, vector_binary_typed, vector_binary_one;
