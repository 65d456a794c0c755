-- Structural check of a vector_ext index (in the manner of amcheck's
-- bt_index_check). Owner, superusers and pg_monitor members only.
CREATE FUNCTION vector_ext_index_check(index regclass, heapallindexed boolean DEFAULT false) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL RESTRICTED;
REVOKE ALL ON FUNCTION vector_ext_index_check(regclass, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vector_ext_index_check(regclass, boolean) TO pg_monitor;
