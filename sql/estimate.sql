-- vector_ext_estimate: shapes, agreement with built indexes, errors; and
-- CREATE INDEX refusing elements that do not fit on a page.
SET max_parallel_maintenance_workers = 0;   -- one build thread: fixed build memory
SET maintenance_work_mem = '1GB';
SET hnsw.ef_search = 40;
SET ivf.probes = 10;
SET vector_ext.binary_batch_size = 100;
RESET vector_ext.oversample_factor;
RESET vector_ext.rescore;

-- One row per level the access method allows; the options pick `selected`.
SELECT * FROM vector_ext_estimate('hnsw', 100000, 768, 'vector');
SELECT compression_level, mode, selected, code_bytes, element_bytes, elements_per_page, pages, index_bytes
  FROM vector_ext_estimate('hnsw', 100000, 768, 'vector', '{m=32,mode=on_disk}');
SELECT compression_level, encoding, selected, max_dims, fits, elements_per_page, pages, index_bytes
  FROM vector_ext_estimate('ivf', 1000000, 1536, 'vector', '{lists=1000,compression_level=8x}');
SELECT compression_level, encoding, selected, max_dims, pages FROM vector_ext_estimate('ivf', 100000, 768, 'vector', '{pq_m=96}');
SELECT compression_level, selected, max_dims, pages FROM vector_ext_estimate('ivfflat', 100000, 768, 'vector');
SELECT compression_level, mode, encoding, selected, max_dims, elements_per_page, pages
  FROM vector_ext_estimate('binary', 100000, 768, 'vector');
SELECT compression_level, max_dims, fits, code_bytes, pages FROM vector_ext_estimate('hnsw', 1000, 64000, 'bitvector');
SELECT compression_level, max_dims, code_bytes, pages FROM vector_ext_estimate('binary', 1000, 100, 'bytevector');
-- Too many dimensions for some levels: those rows say so and have no sizes.
SELECT compression_level, max_dims, fits, element_bytes, pages, build_memory_bytes
  FROM vector_ext_estimate('hnsw', 1000, 3000, 'vector');
-- An empty table: metapage (and ivf's one list page) only.
SELECT compression_level, pages FROM vector_ext_estimate('ivf', 0, 8, 'vector', '{compression_level=4x}') WHERE selected;
SELECT compression_level, pages FROM vector_ext_estimate('hnsw', 0, 8, 'vector') WHERE selected;
-- Named arguments; NULL arguments give no row (strict).
SELECT count(*) FROM vector_ext_estimate(am => 'hnsw', rows => 10, dims => 3, type => 'vector');
SELECT count(*) FROM vector_ext_estimate('hnsw', NULL, 3, 'vector');
-- Scan settings move the per-query memory; a small budget makes the build spill.
CREATE TEMP TABLE probes10 AS SELECT query_memory_bytes FROM vector_ext_estimate('ivf', 100000, 768, 'vector') WHERE selected;
SET ivf.probes = 50;
SELECT e.query_memory_bytes > p.query_memory_bytes AS more_probes_more_memory
  FROM vector_ext_estimate('ivf', 100000, 768, 'vector') e, probes10 p WHERE e.selected;
SET ivf.probes = 10;
SET maintenance_work_mem = '64MB';
SELECT build_spills FROM vector_ext_estimate('hnsw', 1000000, 768, 'vector') WHERE selected;
SET maintenance_work_mem = '1GB';

-- Predicted against built indexes (size within 10%).
CREATE TABLE est (id int, v vector(64), b bitvector(256));
INSERT INTO est SELECT i, (SELECT array_agg(sin(i * 0.37 + j) * 0.5)::vector FROM generate_series(1, 64) j),
       (SELECT string_agg(CASE WHEN sin(i * 1.3 + j) > 0 THEN '1' ELSE '0' END, '')::bitvector FROM generate_series(1, 256) j)
  FROM generate_series(1, 2000) i;
CREATE FUNCTION est_check(p_am text, p_opclass text, p_col text, p_opts text[])
  RETURNS TABLE(am text, options text[], within_10pct boolean)
LANGUAGE plpgsql AS $$
DECLARE predicted bigint; actual bigint;
BEGIN
  EXECUTE format('CREATE INDEX est_idx ON est USING %I (%I %s) %s', p_am, p_col, p_opclass,
                 CASE WHEN cardinality(p_opts) > 0 THEN 'WITH (' || (SELECT string_agg(split_part(o, '=', 1) || ' = ' ||
                      quote_literal(split_part(o, '=', 2)), ', ') FROM unnest(p_opts) o) || ')' ELSE '' END);
  actual := pg_relation_size('est_idx');
  SELECT e.index_bytes INTO predicted
    FROM vector_ext_estimate(p_am, 2000, CASE WHEN p_col = 'b' THEN 256 ELSE 64 END,
                             CASE WHEN p_col = 'b' THEN 'bitvector' ELSE 'vector' END::regtype, p_opts) e
    WHERE e.selected;
  DROP INDEX est_idx;
  RETURN QUERY SELECT p_am, p_opts, abs(predicted - actual) <= actual / 10;
END $$;
SELECT r.* FROM (VALUES ('hnsw', '{}'::text[]), ('hnsw', '{m=8,compression_level=2x}'), ('hnsw', '{compression_level=4x}'),
                        ('hnsw', '{mode=on_disk}'), ('ivf', '{lists=20}'), ('ivf', '{lists=20,compression_level=8x}'),
                        ('ivf', '{lists=10,pq_m=16}'), ('ivfflat', '{lists=5}'), ('binary', '{}'),
                        ('binary', '{compression_level=1x}'), ('binary', '{compression_level=16x}')) c(am, opts),
     LATERAL est_check(c.am, 'vector_l2_ops', 'v', c.opts) r;
SELECT r.* FROM (VALUES ('hnsw'), ('ivf'), ('binary')) c(am), LATERAL est_check(c.am, 'bitvector_hamming_ops', 'b', '{}'::text[]) r;
DROP FUNCTION est_check;
DROP TABLE est;

-- Errors name the value.
SELECT * FROM vector_ext_estimate('btree', 10, 3, 'vector');
SELECT * FROM vector_ext_estimate('hnsw ', 10, 3, 'vector');
SELECT * FROM vector_ext_estimate('hnsw', -1, 3, 'vector');
SELECT * FROM vector_ext_estimate('hnsw', 10, 0, 'vector');
SELECT * FROM vector_ext_estimate('hnsw', 10, -3, 'vector');
SELECT * FROM vector_ext_estimate('hnsw', 10, 16001, 'vector');
SELECT * FROM vector_ext_estimate('hnsw', 10, 64001, 'bitvector');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'integer');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{foo=1}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{m}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{=16}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{m=1}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{m=abc}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{m=64}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{compression_level=3x}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{mode=fast}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', ARRAY['m=16', NULL]);
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'vector', '{{m=16},{m=8}}');
SELECT * FROM vector_ext_estimate('hnsw', 10, 3, 'bytevector', '{compression_level=4x}');
SELECT * FROM vector_ext_estimate('binary', 10, 3, 'bitvector', '{mode=on_disk}');
SELECT * FROM vector_ext_estimate('ivfflat', 10, 3, 'vector', '{compression_level=4x}');
SELECT * FROM vector_ext_estimate('ivf', 10, 3, 'vector', '{pq_m=2}');
SELECT * FROM vector_ext_estimate('ivf', 10, 4, 'vector', '{pq_m=2,compression_level=4x}');
SELECT * FROM vector_ext_estimate('ivf', 10, 4, 'vector', '{lists=0}');

-- CREATE INDEX fails before scanning when an element cannot fit on a page,
-- naming the levels that would fit.
CREATE TABLE wide (v vector(16000), bv bytevector(16000));
CREATE INDEX ON wide USING hnsw (v vector_l2_ops);
CREATE INDEX ON wide USING hnsw (v vector_l2_ops) WITH (compression_level = '4x');
CREATE INDEX ON wide USING hnsw (v vector_l2_ops) WITH (compression_level = '8x', m = 100, ef_construction = 200);
CREATE INDEX ON wide USING hnsw (bv bytevector_l2_ops);
CREATE INDEX ON wide USING ivf (v vector_l2_ops) WITH (compression_level = '32x');
CREATE INDEX ON wide USING ivfflat (v vector_l2_ops);
CREATE INDEX ON wide USING "binary" (v vector_l2_ops) WITH (compression_level = '1x');
CREATE INDEX ON wide USING "binary" (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '2x');
CREATE INDEX ON wide USING "binary" (bv bytevector_l2_ops);
-- What the estimate said would fit does.
SELECT compression_level FROM vector_ext_estimate('hnsw', 0, 16000, 'vector') WHERE fits;
CREATE INDEX wide_ok ON wide USING hnsw (v vector_l2_ops) WITH (compression_level = '8x');
DROP TABLE wide;
