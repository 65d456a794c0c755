
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
