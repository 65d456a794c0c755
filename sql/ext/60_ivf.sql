
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
