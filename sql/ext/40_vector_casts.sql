
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
