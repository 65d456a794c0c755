-- since 0.2.0
-- What an index of vector_ext holds (any of its access methods). 0.2.0 added
-- dead_elements, structure and quantizer (the upgrade drops the 0.1.0 form).

CREATE FUNCTION vector_ext_index_info(index regclass,
	OUT am text, OUT mode text, OUT compression_level text, OUT encoding text,
	OUT dimensions integer, OUT elements bigint, OUT oversample double precision,
	OUT rescore boolean, OUT page_bytes jsonb, OUT total_bytes bigint,
	OUT dead_elements bigint, OUT structure jsonb, OUT quantizer jsonb)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION vector_ext_index_info(regclass) IS
	'mode, compression level, encoding, dimensions, live and dead elements, bytes per page kind, structure (graph layers and degrees, list sizes, page fill) and trained quantizer of a vector_ext index';
