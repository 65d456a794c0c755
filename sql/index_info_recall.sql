-- vector_ext_index_info (0.2.0 columns) and vector_ext_estimate_recall: shapes, invariants, errors
SELECT pg_get_function_arguments('vector_ext_index_info'::regproc);
SELECT pg_get_function_arguments('vector_ext_estimate_recall'::regproc);

CREATE TABLE ir (id int PRIMARY KEY, v vector(8));
-- values k / 100 and (k mod 7) / 10 per dimension: known ranges and means
INSERT INTO ir SELECT i, ARRAY(SELECT CASE WHEN j % 2 = 0 THEN (i % 100) / 100.0 ELSE ((i * j) % 7) / 10.0 END
                               FROM generate_series(1, 8) j)::real[]::vector
FROM generate_series(1, 1200) i;
INSERT INTO ir VALUES (5000, NULL);

-- hnsw: levels and layers agree with the element count
CREATE INDEX ir_h ON ir USING hnsw (v vector_l2_ops) WITH (m = 4, ef_construction = 16);
SELECT am, elements, dead_elements, structure->>'m' AS m, structure->>'max_level' = (jsonb_array_length(structure->'levels') - 1)::text AS top_level,
       (SELECT sum(x::bigint) FROM jsonb_array_elements_text(structure->'levels') x) AS sum_levels,
       structure->'layers'->0->>'elements' AS layer0, structure->'layers'->0->>'max_degree' AS max0,
       structure->'layers'->1->>'max_degree' AS max1, quantizer
FROM vector_ext_index_info('ir_h');
-- every layer's histogram counts the layer's elements; its summary lies in range
SELECT l->>'layer' AS layer,
       (SELECT sum(x::bigint) FROM jsonb_array_elements_text(l->'degree_histogram') x) = (l->>'elements')::bigint AS hist_ok,
       jsonb_array_length(l->'degree_histogram') = (l->>'max_degree')::int + 1 AS buckets_ok,
       (l->'degree'->>'min')::float8 <= (l->'degree'->>'median')::float8
         AND (l->'degree'->>'median')::float8 <= (l->'degree'->>'max')::float8 AS order_ok
FROM vector_ext_index_info('ir_h') i, jsonb_array_elements(i.structure->'layers') l
WHERE (l->>'layer')::int <= 1;
SELECT sum(value::bigint) = total_bytes AS pages_add_up FROM vector_ext_index_info('ir_h'), jsonb_each_text(page_bytes) GROUP BY total_bytes;
-- deleted rows: VACUUM frees their slots
DELETE FROM ir WHERE id > 1000 AND id < 5000;
VACUUM ir;
SELECT elements, dead_elements, structure->>'free_slots' AS free_slots FROM vector_ext_index_info('ir_h');
INSERT INTO ir SELECT i, ARRAY(SELECT CASE WHEN j % 2 = 0 THEN (i % 100) / 100.0 ELSE ((i * j) % 7) / 10.0 END
                               FROM generate_series(1, 8) j)::real[]::vector
FROM generate_series(1001, 1200) i;
SELECT elements, dead_elements, structure->>'free_slots' AS free_slots FROM vector_ext_index_info('ir_h');

-- trained quantizers: sq8 ranges are the sample's min and max per dimension
CREATE INDEX ir_sq ON ir USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '4x');
SELECT quantizer->>'encoding' AS enc, quantizer->>'bits' AS bits, quantizer->>'trained' AS trained,
       quantizer->'lower' AS lower, quantizer->'upper' AS upper, round((quantizer->'width'->>'mean')::numeric, 3) AS width
FROM vector_ext_index_info('ir_sq');
-- bq1: thresholds are the means (0.495 for the even dimensions)
CREATE INDEX ir_bq ON ir USING "binary" (v vector_l2_ops) WITH (mode = 'on_disk');
SELECT quantizer->>'encoding' AS enc, quantizer->>'bits' AS bits, round((quantizer->'threshold'->>'max')::numeric, 3) AS max_threshold,
       structure->>'code_bytes' AS code_bytes, structure->>'code_pages' AS code_pages, elements
FROM vector_ext_index_info('ir_bq');
DROP INDEX ir_sq, ir_bq;

-- ivf: list sizes add up to the entries; PQ reports its codebooks
CREATE INDEX ir_i ON ir USING ivf (v vector_l2_ops) WITH (lists = 10, compression_level = '8x');
SELECT structure->>'lists' AS lists, structure->>'training_rows' AS training_rows,
       round((structure->'list_size'->>'mean')::numeric * 10) = elements AS sizes_add_up,
       (structure->>'imbalance')::float8 >= 1 AS imbalance_ok, quantizer->>'encoding' AS enc,
       quantizer->>'training_rows' AS q_training_rows
FROM vector_ext_index_info('ir_i');
CREATE INDEX ir_pq ON ir USING ivf (v vector_l2_ops) WITH (lists = 2, pq_m = 4);
SELECT encoding, quantizer FROM vector_ext_index_info('ir_pq');
CREATE INDEX ir_flat ON ir USING ivfflat (v vector_l2_ops) WITH (lists = 1);
SELECT elements, structure->'list_size' AS list_size, structure->>'empty_lists' AS empty, quantizer FROM vector_ext_index_info('ir_flat');
DROP INDEX ir_pq;

-- recall: an exact index (one list, all probed) has recall 1; the interval is Wilson's
SELECT setseed(0.25);
SELECT recall, round(ci_low::numeric, 4) AS ci_low, ci_high, sampled, top_k FROM vector_ext_estimate_recall('ir_flat');
SELECT round(100 / (100 + 1.959964 ^ 2), 4) AS wilson_low_at_1;
-- another index on the same column does not get in the way, and settings stay as they were
SET hnsw.ef_search = 400;
SELECT recall > 0.9 AS high, sampled, top_k FROM vector_ext_estimate_recall('ir_h', 20, 5);
SHOW enable_seqscan;
SHOW enable_sort;
SHOW hnsw.ef_search;
-- the session's settings are what is measured: 1 probe of 10 lists misses neighbours
SET ivf.probes = 10;
SELECT setseed(0.5);
CREATE TEMP TABLE all_lists AS SELECT recall FROM vector_ext_estimate_recall('ir_i', 30, 10);
SET ivf.probes = 1;
SELECT setseed(0.5);
SELECT r.recall < a.recall AS fewer FROM vector_ext_estimate_recall('ir_i', 30, 10) r, all_lists a;
RESET ivf.probes;
-- partial index: samples and exact search keep to its predicate; k above its row count
CREATE INDEX ir_part ON ir USING ivfflat (v vector_l2_ops) WITH (lists = 1) WHERE id <= 40;
SELECT recall, sampled, top_k FROM vector_ext_estimate_recall('ir_part', 100, 50);
-- expression index
CREATE INDEX ir_expr ON ir USING ivfflat ((subvector(v, 1, 4)::vector(4)) vector_l2_ops) WITH (lists = 1);
SELECT recall, sampled, top_k FROM vector_ext_estimate_recall('ir_expr', 10, 3);
-- cosine skips zero vectors (not indexed) and NULLs; tables smaller than k
CREATE TABLE ir_small (v vector(2));
INSERT INTO ir_small VALUES ('[1,1]'), ('[0,0]'), (NULL), ('[2,1]'), ('[1,3]');
CREATE INDEX ir_small_c ON ir_small USING hnsw (v vector_cosine_ops);
SELECT recall, sampled, top_k FROM vector_ext_estimate_recall('ir_small_c', 10, 10);
SELECT elements FROM vector_ext_index_info('ir_small_c');
TRUNCATE ir_small;
SELECT * FROM vector_ext_estimate_recall('ir_small_c');

-- the 0.1.0 declaration (ten columns) still works with this library until ALTER EXTENSION UPDATE
CREATE FUNCTION info_010(index regclass,
	OUT am text, OUT mode text, OUT compression_level text, OUT encoding text,
	OUT dimensions integer, OUT elements bigint, OUT oversample double precision,
	OUT rescore boolean, OUT page_bytes jsonb, OUT total_bytes bigint)
	RETURNS record AS 'vector_ext', 'vector_ext_index_info' LANGUAGE C STRICT;
SELECT am, encoding, elements, page_bytes ? 'list' AS has_list FROM info_010('ir_flat');
DROP FUNCTION info_010;

-- errors
SELECT * FROM vector_ext_estimate_recall('ir_h', 0);
SELECT * FROM vector_ext_estimate_recall('ir_h', 100001);
SELECT * FROM vector_ext_estimate_recall('ir_h', 10, 0);
SELECT * FROM vector_ext_estimate_recall('ir_h', 10, 1001);
SELECT * FROM vector_ext_estimate_recall('ir');
SELECT * FROM vector_ext_estimate_recall('ir_pkey');
SELECT * FROM vector_ext_estimate_recall(NULL);
SELECT * FROM vector_ext_index_info('ir_pkey');
-- privilege: owner, superusers and pg_monitor only
CREATE ROLE regress_vx_info;
SET ROLE regress_vx_info;
SELECT elements FROM vector_ext_index_info('ir_h');
SELECT * FROM vector_ext_estimate_recall('ir_h');
RESET ROLE;
GRANT pg_monitor TO regress_vx_info;
SET ROLE regress_vx_info;
SELECT elements FROM vector_ext_index_info('ir_h');
SELECT * FROM vector_ext_estimate_recall('ir_h');  -- the searches need SELECT on the table
RESET ROLE;
GRANT SELECT ON ir TO regress_vx_info;
SET ROLE regress_vx_info;
SELECT sampled FROM vector_ext_estimate_recall('ir_h', 5, 2);
RESET ROLE;
DROP TABLE ir, ir_small;
DROP ROLE regress_vx_info;
