
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
