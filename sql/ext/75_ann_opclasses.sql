
-- Operator classes of the index access methods: the same nine for hnsw, ivf,
-- ivfflat and binary. FUNCTION 1 is the distance the index orders by (L2 as
-- its square), FUNCTION 2 the norm (cosine: zero vectors are not indexed).

DO $$
DECLARE
	am text;
	oc text[];
BEGIN
	FOREACH am IN ARRAY ARRAY['hnsw', 'ivf', 'ivfflat', 'binary'] LOOP
		FOREACH oc SLICE 1 IN ARRAY ARRAY[
			-- name, type, operator, distance function, norm function
			['vector_l2_ops', 'vector', '<->', 'vector_l2_squared_distance', ''],
			['vector_ip_ops', 'vector', '<#>', 'vector_negative_inner_product', ''],
			['vector_cosine_ops', 'vector', '<=>', 'cosine_distance', 'vector_norm'],
			['vector_l1_ops', 'vector', '<+>', 'l1_distance', ''],
			['bytevector_l2_ops', 'bytevector', '<->', 'bytevector_l2_squared_distance', ''],
			['bytevector_ip_ops', 'bytevector', '<#>', 'bytevector_negative_inner_product', ''],
			['bytevector_cosine_ops', 'bytevector', '<=>', 'cosine_distance', 'l2_norm'],
			['bitvector_hamming_ops', 'bitvector', '<~>', 'hamming_distance', ''],
			['bitvector_jaccard_ops', 'bitvector', '<%>', 'jaccard_distance', '']] LOOP
			EXECUTE format('CREATE OPERATOR CLASS %1$I FOR TYPE %2$s USING %3$I AS '
			               'OPERATOR 1 %4$s (%2$s, %2$s) FOR ORDER BY float_ops, '
			               'FUNCTION 1 %5$s(%2$s, %2$s)%6$s',
			               oc[1], oc[2], am, oc[3], oc[4],
			               CASE WHEN oc[5] <> '' THEN format(', FUNCTION 2 %s(%s)', oc[5], oc[2]) ELSE '' END);
		END LOOP;
	END LOOP;
END
$$;
