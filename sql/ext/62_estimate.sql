-- since 0.2.0
-- Index size, build memory and per-query memory before building
-- (src/pg/common/estimate.cpp, formulas in src/core/sizing/estimate.h).

CREATE FUNCTION vector_ext_estimate(am text, "rows" bigint, dims integer, type regtype,
	options text[] DEFAULT '{}',
	OUT compression_level text, OUT mode text, OUT encoding text, OUT selected boolean,
	OUT max_dims integer, OUT fits boolean, OUT code_bytes integer, OUT element_bytes integer,
	OUT elements_per_page integer, OUT pages bigint, OUT index_bytes bigint,
	OUT build_memory_bytes bigint, OUT build_spills boolean, OUT query_memory_bytes bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT STABLE PARALLEL SAFE;

COMMENT ON FUNCTION vector_ext_estimate(text, bigint, integer, regtype, text[]) IS
	'expected index size, build memory and per-query memory of a vector_ext index, per compression level';
