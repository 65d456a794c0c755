
-- binary access method. BINARY is an SQL keyword (COPY ... BINARY), so the
-- name is quoted wherever SQL names an access method: USING "binary".

CREATE FUNCTION binaryhandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE ACCESS METHOD "binary" TYPE INDEX HANDLER binaryhandler;

COMMENT ON ACCESS METHOD "binary" IS 'binary index access method: flat scan over packed codes';

-- binary operator classes (the same as hnsw): FUNCTION 1 is the distance
-- the scan orders by, FUNCTION 2 the norm (cosine: zero vectors are not indexed).

CREATE OPERATOR CLASS vector_l2_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(vector, vector),
	FUNCTION 2 vector_norm(vector);

CREATE OPERATOR CLASS vector_l1_ops
	FOR TYPE vector USING "binary" AS
	OPERATOR 1 <+> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 l1_distance(vector, vector);

CREATE OPERATOR CLASS bytevector_l2_ops
	FOR TYPE bytevector USING "binary" AS
	OPERATOR 1 <-> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_l2_squared_distance(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_ip_ops
	FOR TYPE bytevector USING "binary" AS
	OPERATOR 1 <#> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 bytevector_negative_inner_product(bytevector, bytevector);

CREATE OPERATOR CLASS bytevector_cosine_ops
	FOR TYPE bytevector USING "binary" AS
	OPERATOR 1 <=> (bytevector, bytevector) FOR ORDER BY float_ops,
	FUNCTION 1 cosine_distance(bytevector, bytevector),
	FUNCTION 2 l2_norm(bytevector);

CREATE OPERATOR CLASS bitvector_hamming_ops
	FOR TYPE bitvector USING "binary" AS
	OPERATOR 1 <~> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 hamming_distance(bitvector, bitvector);

CREATE OPERATOR CLASS bitvector_jaccard_ops
	FOR TYPE bitvector USING "binary" AS
	OPERATOR 1 <%> (bitvector, bitvector) FOR ORDER BY float_ops,
	FUNCTION 1 jaccard_distance(bitvector, bitvector);
