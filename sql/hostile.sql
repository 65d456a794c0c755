-- Hostile input: binary messages that lie about their size, negative and huge
-- dimensions, truncated messages, over-long text, values beyond the limits.
-- Each case must end in a clear error (SQLSTATE and a message naming the
-- value); the result column shows both, so the expected output is the list of
-- what each input got.
--
-- Binary input reaches recv through COPY ... (FORMAT binary) from a file the
-- test writes with lo_export (server side, relative to the data directory).

-- Runs a statement; returns 'ok' or "SQLSTATE: message" (messages that
-- quote a megabyte of input are cut to 100 characters here).
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || CASE WHEN length(SQLERRM) > 100 THEN left(SQLERRM, 100) || '...' ELSE SQLERRM END;
END $$;

-- COPY one row with one field (the bytes of field) into table tbl.
CREATE FUNCTION pg_temp.recv(tbl text, field bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    o oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea   -- signature
                              || '\x0000000000000000'::bytea         -- flags, extension
                              || '\x0001'::bytea || int4send(length(field)) || field
                              || '\xffff'::bytea);                   -- trailer
    r text;
BEGIN
    PERFORM lo_export(o, 'vx_hostile.bin');
    PERFORM lo_unlink(o);
    r := pg_temp.try(format('COPY %I FROM %L (FORMAT binary)', tbl, 'vx_hostile.bin'));
    EXECUTE format('TRUNCATE %I', tbl);
    RETURN r;
END $$;

CREATE TABLE hv (v vector);
CREATE TABLE hv3 (v vector(3));
CREATE TABLE hb (v bytevector);
CREATE TABLE hbits (v bitvector);

-- A well-formed message of each type is accepted (the harness works).
SELECT pg_temp.recv('hv', '\x000200003f80000040000000') AS vector_ok,
       pg_temp.recv('hb', '\x00020000017f') AS bytevector_ok,
       pg_temp.recv('hbits', '\x0000000450') AS bitvector_ok;

-- Binary recv: every hostile message.
SELECT name, pg_temp.recv(tbl, msg) AS result FROM (VALUES
    ('vector: 3 dims declared, 2 sent',             'hv',    '\x000300003f80000040000000'::bytea),
    ('vector: 1 dim declared, 2 sent',              'hv',    '\x000100003f80000040000000'),
    ('vector: 0 dims',                              'hv',    '\x00000000'),
    ('vector: 65535 dims (uint16 -1)',              'hv',    '\xffff0000'),
    ('vector: 16001 dims',                          'hv',    '\x3e810000'),
    ('vector: header cut after 1 byte',             'hv',    '\x00'),
    ('vector: header cut after 3 bytes',            'hv',    '\x000100'),
    ('vector: value cut after 2 bytes',             'hv',    '\x000100003f80'),
    ('vector: empty message',                       'hv',    ''),
    ('vector: unused field not 0',                  'hv',    '\x000100073f800000'),
    ('vector: NaN',                                 'hv',    '\x000100007fc00000'),
    ('vector: +Infinity',                           'hv',    '\x000100007f800000'),
    ('vector(3) column: 2 dims',                    'hv3',   '\x000200003f80000040000000'),
    ('bytevector: 5 dims declared, 1 byte sent',    'hb',    '\x0005000001'),
    ('bytevector: 1 dim declared, 3 bytes sent',    'hb',    '\x00010000010203'),
    ('bytevector: 0 dims',                          'hb',    '\x0000000001'),
    ('bytevector: 65535 dims',                      'hb',    '\xffff000001'),
    ('bytevector: unused field not 0',              'hb',    '\x0001000101'),
    ('bytevector: header cut after 2 bytes',        'hb',    '\x0001'),
    ('bitvector: -4 bits',                          'hbits', '\xfffffffc00'),
    ('bitvector: -2147483648 bits',                 'hbits', '\x80000000'),
    ('bitvector: 2147483647 bits',                  'hbits', '\x7fffffff00'),
    ('bitvector: 64001 bits',                       'hbits', '\x0000fa0100'),
    ('bitvector: 0 bits',                           'hbits', '\x00000000'),
    ('bitvector: 16 bits declared, 1 byte sent',    'hbits', '\x0000001050'),
    ('bitvector: 4 bits declared, 2 bytes sent',    'hbits', '\x000000045000'),
    ('bitvector: padding bits set',                 'hbits', '\x000000045f'),
    ('bitvector: header cut after 3 bytes',         'hbits', '\x000000')
) AS t(name, tbl, msg);

-- The cases really went through a file.
SELECT pg_temp.try($$SELECT pg_catalog.pg_stat_file('vx_hostile.bin')$$) AS file_written;

-- Text input: over-long, too many dimensions, values beyond the limits.
SELECT name, pg_temp.try(stmt) AS result FROM (VALUES
    ('vector: 16001 elements',        $$SELECT ('[' || repeat('1,', 16000) || '1]')::vector$$),
    ('vector: 1 MB of spaces',        $$SELECT ('[' || repeat(' ', 1000000) || '1]')::vector IS NOT NULL$$),
    ('vector: 1 MB number',           $$SELECT ('[' || repeat('9', 1000000) || ']')::vector$$),
    ('vector: 1e39',                  $$SELECT '[1e39]'::vector$$),
    ('vector: -1e39',                 $$SELECT '[-1e39]'::vector$$),
    ('vector: 1e-50 (underflow to 0)', $$SELECT '[1e-50]'::vector = '[0]'$$),
    ('vector: NaN',                   $$SELECT '[NaN]'::vector$$),
    ('vector: Infinity',              $$SELECT '[Infinity]'::vector$$),
    ('vector: unclosed',              $$SELECT ('[' || repeat('1,', 100))::vector$$),
    ('vector: nested brackets',       $$SELECT '[[1]]'::vector$$),
    ('vector: empty',                 $$SELECT '[]'::vector$$),
    ('vector: junk after the bracket', $$SELECT '[1]x'::vector$$),
    ('vector(16001) typmod',          $$SELECT '[1]'::vector(16001)$$),
    ('vector(0) typmod',              $$SELECT '[1]'::vector(0)$$),
    ('vector(-1) typmod',             $$SELECT '[1]'::vector(-1)$$),
    ('vector(3) with 2 dims',         $$SELECT '[1,2]'::vector(3)$$),
    ('bytevector: 16001 elements',    $$SELECT ('[' || repeat('1,', 16000) || '1]')::bytevector$$),
    ('bytevector: 128',               $$SELECT '[128]'::bytevector$$),
    ('bytevector: -129',              $$SELECT '[-129]'::bytevector$$),
    ('bytevector: 1 MB number',       $$SELECT ('[' || repeat('9', 1000000) || ']')::bytevector$$),
    ('bytevector: 1.5',               $$SELECT '[1.5]'::bytevector$$),
    ('bitvector: 64001 bits',         $$SELECT repeat('1', 64001)::bitvector$$),
    ('bitvector: 10 MB of bits',      $$SELECT repeat('1', 10000000)::bitvector$$),
    ('bitvector: not a digit',        $$SELECT '0120'::bitvector$$),
    ('bitvector: empty',              $$SELECT ''::bitvector$$),
    ('bitvector(64001) typmod',       $$SELECT '1'::bitvector(64001)$$)
) AS t(name, stmt);

-- Limits on every path that builds a value: casts, concatenation, aggregates.
SELECT name, pg_temp.try(stmt) AS result FROM (VALUES
    ('real[] of 16001 to vector',        $$SELECT array_fill(1::real, ARRAY[16001])::vector$$),
    ('2-D array to vector',              $$SELECT ARRAY[[1,2],[3,4]]::real[]::vector$$),
    ('array with NULL to vector',        $$SELECT ARRAY[1,NULL]::real[]::vector$$),
    ('empty array to vector',            $$SELECT '{}'::real[]::vector$$),
    ('int[] of 16001 to bytevector',     $$SELECT array_fill(1, ARRAY[16001])::bytevector$$),
    ('int 300 to bytevector',            $$SELECT ARRAY[300]::int[]::bytevector$$),
    ('bit(64001) to bitvector',          $$SELECT repeat('1', 64001)::bit varying::bitvector$$),
    ('vector || vector over 16000',      $$SELECT array_fill(1::real, ARRAY[16000])::vector || '[1]'::vector$$),
    ('avg of mixed dimensions',          $$SELECT avg(v) FROM (VALUES ('[1]'::vector), ('[1,2]')) t(v)$$),
    ('subvector beyond the end',         $$SELECT subvector('[1,2,3]'::vector, 3, 2147483647)$$),
    ('subvector from -2147483648',       $$SELECT subvector('[1,2,3]'::vector, -2147483648, 2)$$),
    ('column of vector(16001)',          $$CREATE TABLE hx (v vector(16001))$$),
    ('hnsw on 16000-dim column',         $$CREATE TEMP TABLE hx (v vector(16000)); CREATE INDEX ON hx USING hnsw (v vector_l2_ops)$$),
    ('ivf on 16000-dim column',          $$CREATE TEMP TABLE hx (v vector(16000)); CREATE INDEX ON hx USING ivf (v vector_l2_ops)$$),
    ('ivf with 1000000 lists',           $$CREATE TEMP TABLE hx (v vector(3)); CREATE INDEX ON hx USING ivf (v vector_l2_ops) WITH (lists = 1000000)$$),
    ('hnsw with m = 1000',               $$CREATE TEMP TABLE hx (v vector(3)); CREATE INDEX ON hx USING hnsw (v vector_l2_ops) WITH (m = 1000)$$),
    ('compression_level 64x',            $$CREATE TEMP TABLE hx (v vector(3)); CREATE INDEX ON hx USING hnsw (v vector_l2_ops) WITH (compression_level = '64x')$$)
) AS t(name, stmt);

DROP TABLE hv, hv3, hb, hbits;
