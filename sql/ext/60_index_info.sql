
-- What an index of vector_ext holds (any of its access methods).

CREATE FUNCTION vector_ext_index_info(index regclass,
	OUT am text, OUT mode text, OUT compression_level text, OUT encoding text,
	OUT dimensions integer, OUT elements bigint, OUT oversample double precision,
	OUT rescore boolean, OUT page_bytes jsonb, OUT total_bytes bigint)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION vector_ext_index_info(regclass) IS
	'mode, compression level, encoding, dimensions, live elements and bytes per page kind of a vector_ext index';
