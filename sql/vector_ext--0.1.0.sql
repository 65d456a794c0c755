-- vector_ext extension script, assembled from sql/ext/*.sql in name order.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION vector_ext" to load this file. \quit
-- The vector type (float32, up to 16000 dimensions), pgvector-compatible:
-- same names, results and messages. Every function is IMMUTABLE STRICT
-- PARALLEL SAFE (immutability lets postgres_fdw push expressions down).

CREATE TYPE vector;

CREATE FUNCTION vector_in(cstring, oid, integer) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_in(cstring, oid, integer) IS 'I/O';

CREATE FUNCTION vector_out(vector) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_out(vector) IS 'I/O';

CREATE FUNCTION vector_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_typmod_in(cstring[]) IS 'I/O typmod';

CREATE FUNCTION vector_typmod_out(integer) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_typmod_out(integer) IS 'I/O typmod';

CREATE FUNCTION vector_recv(internal, oid, integer) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_recv(internal, oid, integer) IS 'I/O';

CREATE FUNCTION vector_send(vector) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_send(vector) IS 'I/O';

CREATE TYPE vector (
	INPUT      = vector_in,
	OUTPUT     = vector_out,
	TYPMOD_IN  = vector_typmod_in,
	TYPMOD_OUT = vector_typmod_out,
	RECEIVE    = vector_recv,
	SEND       = vector_send,
	STORAGE    = external
);

COMMENT ON TYPE vector IS 'single-precision vector';

-- vector functions

CREATE FUNCTION l2_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION l2_distance(vector, vector) IS 'Euclidean distance';

CREATE FUNCTION inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION inner_product(vector, vector) IS 'inner product';

CREATE FUNCTION cosine_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cosine_distance(vector, vector) IS 'cosine distance';

CREATE FUNCTION l1_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION l1_distance(vector, vector) IS 'taxicab distance';

CREATE FUNCTION vector_dims(vector) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_dims(vector) IS 'number of dimensions';

CREATE FUNCTION vector_norm(vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_norm(vector) IS 'Euclidean norm';

CREATE FUNCTION l2_normalize(vector) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION l2_normalize(vector) IS 'normalize with Euclidean norm';

CREATE FUNCTION subvector(vector, int, int) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION subvector(vector, int, int) IS 'subvector';

-- vector private functions (operators, index support, aggregates)

CREATE FUNCTION vector_add(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_add(vector, vector) IS 'implementation of + operator';

CREATE FUNCTION vector_sub(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_sub(vector, vector) IS 'implementation of - operator';

CREATE FUNCTION vector_mul(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_mul(vector, vector) IS 'implementation of * operator';

CREATE FUNCTION vector_concat(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_concat(vector, vector) IS 'implementation of || operator';

CREATE FUNCTION vector_lt(vector, vector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_lt(vector, vector) IS 'implementation of < operator';

CREATE FUNCTION vector_le(vector, vector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_le(vector, vector) IS 'implementation of <= operator';

CREATE FUNCTION vector_eq(vector, vector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_eq(vector, vector) IS 'implementation of = operator';

CREATE FUNCTION vector_ne(vector, vector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_ne(vector, vector) IS 'implementation of <> operator';

CREATE FUNCTION vector_ge(vector, vector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_ge(vector, vector) IS 'implementation of >= operator';

CREATE FUNCTION vector_gt(vector, vector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_gt(vector, vector) IS 'implementation of > operator';

CREATE FUNCTION vector_cmp(vector, vector) RETURNS int4
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_cmp(vector, vector) IS 'less-equal-greater';

CREATE FUNCTION vector_l2_squared_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_l2_squared_distance(vector, vector) IS 'squared Euclidean distance';

CREATE FUNCTION vector_negative_inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_negative_inner_product(vector, vector) IS 'negative inner product';

CREATE FUNCTION vector_spherical_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_spherical_distance(vector, vector) IS 'spherical distance';

CREATE FUNCTION vector_accum(double precision[], vector) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_accum(double precision[], vector) IS 'aggregate transition function';

CREATE FUNCTION vector_avg(double precision[]) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_avg(double precision[]) IS 'aggregate final function';

CREATE FUNCTION vector_combine(double precision[], double precision[]) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_combine(double precision[], double precision[]) IS 'aggregate combine function';

-- vector aggregates: avg keeps {count, sums...} in double precision; sum adds
-- in float32 with vector_add, as pgvector does (same results, same overflow).

CREATE AGGREGATE avg(vector) (
	SFUNC = vector_accum,
	STYPE = double precision[],
	FINALFUNC = vector_avg,
	COMBINEFUNC = vector_combine,
	INITCOND = '{0}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE avg(vector) IS 'the average (arithmetic mean) as vector of all vector values';

CREATE AGGREGATE sum(vector) (
	SFUNC = vector_add,
	STYPE = vector,
	COMBINEFUNC = vector_add,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sum(vector) IS 'sum as vector across all vector input values';

-- vector cast functions

CREATE FUNCTION vector(vector, integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector(vector, integer, boolean) IS 'adjust vector to typmod';

CREATE FUNCTION array_to_vector(integer[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION array_to_vector(integer[], integer, boolean) IS 'convert int4 array to vector';

CREATE FUNCTION array_to_vector(real[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION array_to_vector(real[], integer, boolean) IS 'convert float4 array to vector';

CREATE FUNCTION array_to_vector(double precision[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION array_to_vector(double precision[], integer, boolean) IS 'convert float8 array to vector';

CREATE FUNCTION array_to_vector(numeric[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION array_to_vector(numeric[], integer, boolean) IS 'convert numeric array to vector';

CREATE FUNCTION vector_to_float4(vector, integer, boolean) RETURNS real[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_to_float4(vector, integer, boolean) IS 'convert vector to float4 array';

-- vector casts

CREATE CAST (vector AS vector)
	WITH FUNCTION vector(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (vector AS real[])
	WITH FUNCTION vector_to_float4(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (integer[] AS vector)
	WITH FUNCTION array_to_vector(integer[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (real[] AS vector)
	WITH FUNCTION array_to_vector(real[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (double precision[] AS vector)
	WITH FUNCTION array_to_vector(double precision[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (numeric[] AS vector)
	WITH FUNCTION array_to_vector(numeric[], integer, boolean) AS ASSIGNMENT;

-- vector operators

CREATE OPERATOR <-> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = l2_distance,
	COMMUTATOR = '<->'
);

CREATE OPERATOR <#> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_negative_inner_product,
	COMMUTATOR = '<#>'
);

CREATE OPERATOR <=> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = cosine_distance,
	COMMUTATOR = '<=>'
);

CREATE OPERATOR <+> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = l1_distance,
	COMMUTATOR = '<+>'
);

CREATE OPERATOR + (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_add,
	COMMUTATOR = +
);

COMMENT ON OPERATOR + (vector, vector) IS 'add';

CREATE OPERATOR - (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_sub
);

COMMENT ON OPERATOR - (vector, vector) IS 'subtract';

CREATE OPERATOR * (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_mul,
	COMMUTATOR = *
);

COMMENT ON OPERATOR * (vector, vector) IS 'multiply';

CREATE OPERATOR || (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_concat
);

COMMENT ON OPERATOR || (vector, vector) IS 'concatenate';

CREATE OPERATOR < (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_lt,
	COMMUTATOR = > , NEGATOR = >= ,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

COMMENT ON OPERATOR < (vector, vector) IS 'less than';

CREATE OPERATOR <= (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_le,
	COMMUTATOR = >= , NEGATOR = > ,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

COMMENT ON OPERATOR <= (vector, vector) IS 'less than or equal';

CREATE OPERATOR = (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_eq,
	COMMUTATOR = = , NEGATOR = <> ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

COMMENT ON OPERATOR = (vector, vector) IS 'equal';

CREATE OPERATOR <> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_ne,
	COMMUTATOR = <> , NEGATOR = = ,
	RESTRICT = neqsel, JOIN = neqjoinsel
);

COMMENT ON OPERATOR <> (vector, vector) IS 'not equal';

CREATE OPERATOR >= (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_ge,
	COMMUTATOR = <= , NEGATOR = < ,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

COMMENT ON OPERATOR >= (vector, vector) IS 'greater than or equal';

CREATE OPERATOR > (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_gt,
	COMMUTATOR = < , NEGATOR = <= ,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

COMMENT ON OPERATOR > (vector, vector) IS 'greater than';

-- vector btree opclass (ORDER BY, DISTINCT, GROUP BY, merge joins, btree indexes)

CREATE OPERATOR CLASS vector_ops
	DEFAULT FOR TYPE vector USING btree AS
	OPERATOR 1 < ,
	OPERATOR 2 <= ,
	OPERATOR 3 = ,
	OPERATOR 4 >= ,
	OPERATOR 5 > ,
	FUNCTION 1 vector_cmp(vector, vector);

-- bytevector: int8 elements in [-128, 127], 1 to 16000 dimensions
-- (src/pg/types/bytevector_*.cpp). Text form '[1,-2,127]'.

CREATE TYPE bytevector;

CREATE FUNCTION bytevector_in(cstring, oid, integer) RETURNS bytevector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_in(cstring, oid, integer) IS 'I/O';

CREATE FUNCTION bytevector_out(bytevector) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_out(bytevector) IS 'I/O';

CREATE FUNCTION bytevector_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_typmod_in(cstring[]) IS 'I/O typmod';

CREATE FUNCTION bytevector_typmod_out(integer) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_typmod_out(integer) IS 'I/O typmod';

CREATE FUNCTION bytevector_recv(internal, oid, integer) RETURNS bytevector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_recv(internal, oid, integer) IS 'I/O';

CREATE FUNCTION bytevector_send(bytevector) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_send(bytevector) IS 'I/O';

CREATE TYPE bytevector (
	INPUT      = bytevector_in,
	OUTPUT     = bytevector_out,
	TYPMOD_IN  = bytevector_typmod_in,
	TYPMOD_OUT = bytevector_typmod_out,
	RECEIVE    = bytevector_recv,
	SEND       = bytevector_send,
	STORAGE    = external
);

COMMENT ON TYPE bytevector IS 'vector of int8 elements';

-- bytevector casts

CREATE FUNCTION bytevector(bytevector, integer, boolean) RETURNS bytevector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector(bytevector, integer, boolean) IS 'adjust bytevector to typmod';

CREATE FUNCTION array_to_bytevector(integer[], integer, boolean) RETURNS bytevector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION array_to_bytevector(integer[], integer, boolean) IS 'convert int4 array to bytevector';

CREATE FUNCTION bytevector_to_int4(bytevector) RETURNS integer[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_to_int4(bytevector) IS 'convert bytevector to int4 array';

CREATE CAST (bytevector AS bytevector)
	WITH FUNCTION bytevector(bytevector, integer, boolean) AS IMPLICIT;

CREATE CAST (integer[] AS bytevector)
	WITH FUNCTION array_to_bytevector(integer[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (bytevector AS integer[])
	WITH FUNCTION bytevector_to_int4(bytevector) AS ASSIGNMENT;

-- bytevector functions

CREATE FUNCTION vector_dims(bytevector) RETURNS integer
	AS 'MODULE_PATHNAME', 'bytevector_dims' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_dims(bytevector) IS 'number of dimensions';

-- The norm is l2_norm(bytevector), pgvector's name for the norm of its other
-- types: a vector_norm(bytevector) overload would make pgvector's
-- vector_norm('[3,4]') (an untyped literal) ambiguous. vector_norm(bytevector)
-- still works through the implicit bytevector -> vector cast (40_vector_casts).
CREATE FUNCTION l2_norm(bytevector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bytevector_norm' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION l2_norm(bytevector) IS 'Euclidean norm';

CREATE FUNCTION l2_distance(bytevector, bytevector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bytevector_l2_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION l2_distance(bytevector, bytevector) IS 'Euclidean distance';

CREATE FUNCTION inner_product(bytevector, bytevector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bytevector_inner_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION inner_product(bytevector, bytevector) IS 'inner product';

CREATE FUNCTION cosine_distance(bytevector, bytevector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bytevector_cosine_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cosine_distance(bytevector, bytevector) IS 'cosine distance';

CREATE FUNCTION l1_distance(bytevector, bytevector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bytevector_l1_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION l1_distance(bytevector, bytevector) IS 'taxicab distance';

-- support functions for index opclasses (order like <-> and <#>)

CREATE FUNCTION bytevector_l2_squared_distance(bytevector, bytevector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_l2_squared_distance(bytevector, bytevector) IS 'squared Euclidean distance';

CREATE FUNCTION bytevector_negative_inner_product(bytevector, bytevector) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_negative_inner_product(bytevector, bytevector) IS 'negative inner product';

-- bytevector distance operators

CREATE OPERATOR <-> (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = l2_distance,
	COMMUTATOR = '<->'
);

CREATE OPERATOR <#> (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_negative_inner_product,
	COMMUTATOR = '<#>'
);

CREATE OPERATOR <=> (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = cosine_distance,
	COMMUTATOR = '<=>'
);

CREATE OPERATOR <+> (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = l1_distance,
	COMMUTATOR = '<+>'
);

-- bytevector comparison (element by element, then dimensions)

CREATE FUNCTION bytevector_lt(bytevector, bytevector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bytevector_le(bytevector, bytevector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bytevector_eq(bytevector, bytevector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bytevector_ne(bytevector, bytevector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bytevector_ge(bytevector, bytevector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bytevector_gt(bytevector, bytevector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bytevector_cmp(bytevector, bytevector) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_cmp(bytevector, bytevector) IS 'less-equal-greater';

CREATE OPERATOR < (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_lt,
	COMMUTATOR = > , NEGATOR = >= ,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR <= (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_le,
	COMMUTATOR = >= , NEGATOR = > ,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR = (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_eq,
	COMMUTATOR = = , NEGATOR = <> ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR <> (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_ne,
	COMMUTATOR = <> , NEGATOR = = ,
	RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR >= (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_ge,
	COMMUTATOR = <= , NEGATOR = < ,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR > (
	LEFTARG = bytevector, RIGHTARG = bytevector, PROCEDURE = bytevector_gt,
	COMMUTATOR = < , NEGATOR = <= ,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR CLASS bytevector_ops
	DEFAULT FOR TYPE bytevector USING btree AS
	OPERATOR 1 < ,
	OPERATOR 2 <= ,
	OPERATOR 3 = ,
	OPERATOR 4 >= ,
	OPERATOR 5 > ,
	FUNCTION 1 bytevector_cmp(bytevector, bytevector);

-- bitvector: 1 to 64000 bits packed 8 per byte, varbit's layout
-- (src/pg/types/bitvector_*.cpp). Text form '0101', like bit.

CREATE TYPE bitvector;

CREATE FUNCTION bitvector_in(cstring, oid, integer) RETURNS bitvector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_in(cstring, oid, integer) IS 'I/O';

CREATE FUNCTION bitvector_out(bitvector) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_out(bitvector) IS 'I/O';

CREATE FUNCTION bitvector_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_typmod_in(cstring[]) IS 'I/O typmod';

CREATE FUNCTION bitvector_typmod_out(integer) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_typmod_out(integer) IS 'I/O typmod';

CREATE FUNCTION bitvector_recv(internal, oid, integer) RETURNS bitvector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_recv(internal, oid, integer) IS 'I/O';

CREATE FUNCTION bitvector_send(bitvector) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_send(bitvector) IS 'I/O';

CREATE TYPE bitvector (
	INPUT      = bitvector_in,
	OUTPUT     = bitvector_out,
	TYPMOD_IN  = bitvector_typmod_in,
	TYPMOD_OUT = bitvector_typmod_out,
	RECEIVE    = bitvector_recv,
	SEND       = bitvector_send,
	STORAGE    = external
);

COMMENT ON TYPE bitvector IS 'vector of bits';

-- bitvector casts. bit and bit varying convert implicitly to bitvector, so
-- pgvector-style queries on bit columns (hamming_distance, <~>, <%>) keep
-- working; the way back is by assignment or explicitly (e.g. ::bit(3)).

CREATE FUNCTION bitvector(bitvector, integer, boolean) RETURNS bitvector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector(bitvector, integer, boolean) IS 'adjust bitvector to typmod';

CREATE FUNCTION varbit_to_bitvector(varbit, integer, boolean) RETURNS bitvector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION varbit_to_bitvector(varbit, integer, boolean) IS 'convert bit or bit varying to bitvector';

CREATE FUNCTION bitvector_to_varbit(bitvector) RETURNS varbit
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_to_varbit(bitvector) IS 'convert bitvector to bit varying';

CREATE CAST (bitvector AS bitvector)
	WITH FUNCTION bitvector(bitvector, integer, boolean) AS IMPLICIT;

CREATE CAST (varbit AS bitvector)
	WITH FUNCTION varbit_to_bitvector(varbit, integer, boolean) AS IMPLICIT;

CREATE CAST (bit AS bitvector)
	WITH FUNCTION varbit_to_bitvector(varbit, integer, boolean) AS IMPLICIT;

CREATE CAST (bitvector AS varbit)
	WITH FUNCTION bitvector_to_varbit(bitvector) AS ASSIGNMENT;

CREATE CAST (bitvector AS bit)
	WITH FUNCTION bitvector_to_varbit(bitvector) AS ASSIGNMENT;

-- bitvector functions

CREATE FUNCTION vector_dims(bitvector) RETURNS integer
	AS 'MODULE_PATHNAME', 'bitvector_dims' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_dims(bitvector) IS 'number of bits';

CREATE FUNCTION hamming_distance(bitvector, bitvector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bitvector_hamming_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION hamming_distance(bitvector, bitvector) IS 'Hamming distance';

CREATE FUNCTION jaccard_distance(bitvector, bitvector) RETURNS float8
	AS 'MODULE_PATHNAME', 'bitvector_jaccard_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION jaccard_distance(bitvector, bitvector) IS 'Jaccard distance';

-- bitvector distance operators

CREATE OPERATOR <~> (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = hamming_distance,
	COMMUTATOR = '<~>'
);

CREATE OPERATOR <%> (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = jaccard_distance,
	COMMUTATOR = '<%>'
);

-- bitvector comparison (bit by bit, then length, like bit varying)

CREATE FUNCTION bitvector_lt(bitvector, bitvector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bitvector_le(bitvector, bitvector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bitvector_eq(bitvector, bitvector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bitvector_ne(bitvector, bitvector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bitvector_ge(bitvector, bitvector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bitvector_gt(bitvector, bitvector) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bitvector_cmp(bitvector, bitvector) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bitvector_cmp(bitvector, bitvector) IS 'less-equal-greater';

CREATE OPERATOR < (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = bitvector_lt,
	COMMUTATOR = > , NEGATOR = >= ,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR <= (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = bitvector_le,
	COMMUTATOR = >= , NEGATOR = > ,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR = (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = bitvector_eq,
	COMMUTATOR = = , NEGATOR = <> ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR <> (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = bitvector_ne,
	COMMUTATOR = <> , NEGATOR = = ,
	RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR >= (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = bitvector_ge,
	COMMUTATOR = <= , NEGATOR = < ,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR > (
	LEFTARG = bitvector, RIGHTARG = bitvector, PROCEDURE = bitvector_gt,
	COMMUTATOR = < , NEGATOR = <= ,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR CLASS bitvector_ops
	DEFAULT FOR TYPE bitvector USING btree AS
	OPERATOR 1 < ,
	OPERATOR 2 <= ,
	OPERATOR 3 = ,
	OPERATOR 4 >= ,
	OPERATOR 5 > ,
	FUNCTION 1 bitvector_cmp(bitvector, bitvector);

-- Conversions between vector and bytevector / bitvector
-- (src/pg/types/vector_bytebit_casts.cpp).
--
-- vector -> bytevector rounds each element to the nearest integer, halves
-- away from zero (2.5 -> 3, -2.5 -> -3), and saturates values beyond the int8
-- range to -128 or 127. It is lossy, so it applies on assignment or when
-- written out, never implicitly. bytevector -> vector is exact and implicit.

CREATE FUNCTION vector_to_bytevector(vector, integer, boolean) RETURNS bytevector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION vector_to_bytevector(vector, integer, boolean) IS 'convert vector to bytevector (round half away from zero, saturate)';

CREATE FUNCTION bytevector_to_vector(bytevector, integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bytevector_to_vector(bytevector, integer, boolean) IS 'convert bytevector to vector';

CREATE CAST (vector AS bytevector)
	WITH FUNCTION vector_to_bytevector(vector, integer, boolean) AS ASSIGNMENT;

CREATE CAST (bytevector AS vector)
	WITH FUNCTION bytevector_to_vector(bytevector, integer, boolean) AS IMPLICIT;

-- binary_quantize: one bit per element, 1 where the element is > 0 (pgvector's
-- rule; pgvector returns bit, this returns bitvector, which casts to bit).

CREATE FUNCTION binary_quantize(vector) RETURNS bitvector
	AS 'MODULE_PATHNAME', 'vector_binary_quantize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION binary_quantize(vector) IS 'binary quantize';

-- hnsw access method

CREATE FUNCTION hnswhandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE ACCESS METHOD hnsw TYPE INDEX HANDLER hnswhandler;

COMMENT ON ACCESS METHOD hnsw IS 'hnsw index access method';

-- hnsw operator classes: FUNCTION 1 is the distance the graph orders by,
-- FUNCTION 2 the norm (cosine: zero vectors are not indexed).

CREATE OPERATOR CLASS vector_l2_ops
	FOR TYPE vector USING hnsw AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING hnsw AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING hnsw AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(vector, vector),
	FUNCTION 2 vector_norm(vector);

CREATE OPERATOR CLASS vector_l1_ops
	FOR TYPE vector USING hnsw AS
	OPERATOR 1 <+> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 l1_distance(vector, vector);

CREATE OPERATOR CLASS bytevector_l2_ops
	FOR TYPE bytevector USING hnsw AS
	OPERATOR 1 <-> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_l2_squared_distance(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_ip_ops
	FOR TYPE bytevector USING hnsw AS
	OPERATOR 1 <#> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_negative_inner_product(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_cosine_ops
	FOR TYPE bytevector USING hnsw AS
	OPERATOR 1 <=> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(bytevector, bytevector),
	FUNCTION 2 l2_norm(bytevector);

CREATE OPERATOR CLASS bitvector_hamming_ops
	FOR TYPE bitvector USING hnsw AS
	OPERATOR 1 <~> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 hamming_distance(bitvector, bitvector);

CREATE OPERATOR CLASS bitvector_jaccard_ops
	FOR TYPE bitvector USING hnsw AS
	OPERATOR 1 <%> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 jaccard_distance(bitvector, bitvector);

-- What an index of vector_ext holds (any of its access methods).

CREATE FUNCTION vector_ext_index_info(index regclass,
	OUT am text, OUT mode text, OUT compression_level text, OUT encoding text,
	OUT dimensions integer, OUT elements bigint, OUT oversample double precision,
	OUT rescore boolean, OUT page_bytes jsonb, OUT total_bytes bigint)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION vector_ext_index_info(regclass) IS
	'mode, compression level, encoding, dimensions, live elements and bytes per page kind of a vector_ext index';

-- ivf access method (Faiss k-means lists) and ivfflat, its pgvector-compatible
-- name (full-precision lists, ivfflat.* settings).

CREATE FUNCTION ivfhandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE ACCESS METHOD ivf TYPE INDEX HANDLER ivfhandler;

COMMENT ON ACCESS METHOD ivf IS 'ivf index access method';

CREATE FUNCTION ivfflathandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE ACCESS METHOD ivfflat TYPE INDEX HANDLER ivfflathandler;

COMMENT ON ACCESS METHOD ivfflat IS 'ivfflat index access method';

-- Operator classes as for hnsw: FUNCTION 1 is the distance lists are scanned
-- by, FUNCTION 2 the norm (cosine: zero vectors are not indexed).

CREATE OPERATOR CLASS vector_l2_ops
	FOR TYPE vector USING ivf AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING ivf AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING ivf AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(vector, vector),
	FUNCTION 2 vector_norm(vector);

CREATE OPERATOR CLASS vector_l1_ops
	FOR TYPE vector USING ivf AS
	OPERATOR 1 <+> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 l1_distance(vector, vector);

CREATE OPERATOR CLASS bytevector_l2_ops
	FOR TYPE bytevector USING ivf AS
	OPERATOR 1 <-> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_l2_squared_distance(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_ip_ops
	FOR TYPE bytevector USING ivf AS
	OPERATOR 1 <#> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_negative_inner_product(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_cosine_ops
	FOR TYPE bytevector USING ivf AS
	OPERATOR 1 <=> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(bytevector, bytevector),
	FUNCTION 2 l2_norm(bytevector);

CREATE OPERATOR CLASS bitvector_hamming_ops
	FOR TYPE bitvector USING ivf AS
	OPERATOR 1 <~> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 hamming_distance(bitvector, bitvector);

CREATE OPERATOR CLASS bitvector_jaccard_ops
	FOR TYPE bitvector USING ivf AS
	OPERATOR 1 <%> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 jaccard_distance(bitvector, bitvector);
CREATE OPERATOR CLASS vector_l2_ops
	FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(vector, vector),
	FUNCTION 2 vector_norm(vector);

CREATE OPERATOR CLASS vector_l1_ops
	FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <+> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 l1_distance(vector, vector);

CREATE OPERATOR CLASS bytevector_l2_ops
	FOR TYPE bytevector USING ivfflat AS
	OPERATOR 1 <-> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_l2_squared_distance(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_ip_ops
	FOR TYPE bytevector USING ivfflat AS
	OPERATOR 1 <#> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_negative_inner_product(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_cosine_ops
	FOR TYPE bytevector USING ivfflat AS
	OPERATOR 1 <=> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(bytevector, bytevector),
	FUNCTION 2 l2_norm(bytevector);

CREATE OPERATOR CLASS bitvector_hamming_ops
	FOR TYPE bitvector USING ivfflat AS
	OPERATOR 1 <~> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 hamming_distance(bitvector, bitvector);

CREATE OPERATOR CLASS bitvector_jaccard_ops
	FOR TYPE bitvector USING ivfflat AS
	OPERATOR 1 <%> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 jaccard_distance(bitvector, bitvector);

-- binary access method. BINARY is an SQL keyword (COPY ... BINARY), so the
-- name is quoted wherever SQL names an access method: USING "binary".

CREATE FUNCTION binaryhandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE ACCESS METHOD "binary" TYPE INDEX HANDLER binaryhandler;

COMMENT ON ACCESS METHOD "binary" IS 'binary index access method: flat scan over packed codes';

-- binary operator classes (the same as hnsw): FUNCTION 1 is the distance
-- the scan orders by, FUNCTION 2 the norm (cosine: zero vectors are not indexed).

CREATE OPERATOR CLASS vector_l2_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(vector, vector),
	FUNCTION 2 vector_norm(vector);

CREATE OPERATOR CLASS vector_l1_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <+> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 l1_distance(vector, vector);

CREATE OPERATOR CLASS bytevector_l2_ops
	FOR TYPE bytevector USING "binary" AS
	OPERATOR 1 <-> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_l2_squared_distance(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_ip_ops
	FOR TYPE bytevector USING "binary" AS
	OPERATOR 1 <#> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_negative_inner_product(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_cosine_ops
	FOR TYPE bytevector USING "binary" AS
	OPERATOR 1 <=> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(bytevector, bytevector),
	FUNCTION 2 l2_norm(bytevector);

CREATE OPERATOR CLASS bitvector_hamming_ops
	FOR TYPE bitvector USING "binary" AS
	OPERATOR 1 <~> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 hamming_distance(bitvector, bitvector);

CREATE OPERATOR CLASS bitvector_jaccard_ops
	FOR TYPE bitvector USING "binary" AS
	OPERATOR 1 <%> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 jaccard_distance(bitvector, bitvector);
-- Structural check of a vector_ext index (in the manner of amcheck's
-- bt_index_check). Owner, superusers and pg_monitor members only.
CREATE FUNCTION vector_ext_index_check(index regclass, heapallindexed boolean DEFAULT false) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL RESTRICTED;
REVOKE ALL ON FUNCTION vector_ext_index_check(regclass, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vector_ext_index_check(regclass, boolean) TO pg_monitor;
