-- since 0.2.0
-- Recall@k of a vector_ext index under the session's current settings,
-- against exact search, with a 95 % Wilson score interval over the sampled
-- queries. Owner, superusers and pg_monitor members (checked in C; the
-- searches also need SELECT on the table).
CREATE FUNCTION vector_ext_estimate_recall(index regclass, samples integer DEFAULT 100, k integer DEFAULT 10,
	OUT recall double precision, OUT ci_low double precision, OUT ci_high double precision,
	OUT sampled integer, OUT top_k integer, OUT index_ms double precision, OUT exact_ms double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION vector_ext_estimate_recall(regclass, integer, integer) IS
	'recall@k of a vector_ext index under the current settings (sampled rows as queries, exact search as truth), with a 95 % Wilson interval';
