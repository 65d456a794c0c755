
-- binary access method. BINARY is an SQL keyword (COPY ... BINARY), so the
-- name is quoted wherever SQL names an access method: USING "binary".

CREATE FUNCTION binaryhandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE ACCESS METHOD "binary" TYPE INDEX HANDLER binaryhandler;

COMMENT ON ACCESS METHOD "binary" IS 'binary index access method: flat scan over packed codes';
