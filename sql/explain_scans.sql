-- EXPLAIN (ANALYZE): the "Vector Index Scans" section of every access method.
-- Counts that depend on the shape of an hnsw graph or on k-means lists are
-- masked in the text output (label: N) and checked as relations in JSON;
-- the others are exact on these small tables.
SET enable_seqscan = off;
CREATE TABLE t (id int, cat int, v vector(8));
INSERT INTO t SELECT i, i % 10,
  ARRAY(SELECT round(sin(i * j)::numeric, 3) FROM generate_series(1, 8) j)::real[]::vector
  FROM generate_series(1, 200) i;
CREATE TABLE u AS SELECT * FROM t;
ANALYZE t, u;

-- EXPLAIN (ANALYZE) text; lines whose label matches `masked` get digits as N
CREATE FUNCTION explain_text(q text, masked text DEFAULT '^$') RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE ln text;
BEGIN
  FOR ln IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    IF ln ~ ('^\s*(' || masked || '): ') THEN
      ln := regexp_replace(ln, '\d+', 'N', 'g');
    END IF;
    RETURN NEXT ln;
  END LOOP;
END $$;

-- the JSON document of EXPLAIN (ANALYZE, FORMAT JSON)
CREATE FUNCTION explain_json(q text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE doc json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || q INTO doc;
  RETURN doc::jsonb -> 0;
END $$;

-- its Vector Index Scans entries
CREATE FUNCTION explain_scans(q text) RETURNS SETOF jsonb LANGUAGE sql AS $$
  SELECT jsonb_array_elements(explain_json(q) -> 'Vector Index Scans') $$;

-- rows the index scan node passed on plus those its filter removed (one loop)
CREATE FUNCTION node_rows(q text) RETURNS bigint LANGUAGE sql AS $$
  WITH RECURSIVE n(p) AS (SELECT explain_json(q) -> 'Plan'
                          UNION ALL SELECT jsonb_array_elements(p -> 'Plans') FROM n)
  SELECT sum((p ->> 'Actual Rows')::bigint + coalesce((p ->> 'Rows Removed by Filter')::bigint, 0))
  FROM n WHERE p ->> 'Node Type' = 'Index Scan' $$;

---- hnsw
CREATE INDEX t_hnsw ON t USING hnsw (v vector_l2_ops);
SET hnsw.ef_search = 40;
-- one batch of ef_search candidates
SELECT explain_text($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$, 'Codes Compared');
-- no section without ANALYZE
EXPLAIN (COSTS OFF) SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5;
-- codes compared: at least one per candidate
SELECT (s ->> 'Codes Compared')::int >= (s ->> 'Candidates')::int AS codes_cover_candidates
FROM explain_scans($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) s;

-- rescans: three loops of a lateral ORDER BY ... LIMIT, totals over the loops
SELECT explain_text($$SELECT q.id, s.id FROM (SELECT id, v FROM u WHERE id <= 3) q,
  LATERAL (SELECT id FROM t ORDER BY t.v <-> q.v LIMIT 2) s$$, 'Codes Compared');

-- an InitPlan (nested query in the plan)
SELECT explain_text($$SELECT (SELECT id FROM t ORDER BY v <-> '[0,1,0,0,0,0,0,0]' LIMIT 1) AS nearest$$,
                    'Codes Compared');

-- filtered query that extends (iterative scan); the filter's rows and the
-- scan's agree
SET hnsw.iterative_scan = relaxed_order;
SET hnsw.ef_search = 10;
SELECT explain_text($$SELECT id FROM t WHERE cat = 3 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$,
                    'Candidates|Codes Compared|Rows Returned|Rows Removed by Filter|Iterative Scan Extended');
SELECT (s ->> 'Iterative Scan Extended')::boolean AS extended,
       (s ->> 'Iterative Scan Extensions')::int >= 1 AS extensions,
       (s ->> 'Candidates')::int = 10 * (1 + (s ->> 'Iterative Scan Extensions')::int) AS candidates_per_batch,
       (s ->> 'Rows Returned')::bigint = node_rows($$SELECT id FROM t WHERE cat = 3 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) AS rows_match_node
FROM explain_scans($$SELECT id FROM t WHERE cat = 3 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) s;

-- a filter nothing passes walks until hnsw.max_scan_tuples: the section says so
SET hnsw.max_scan_tuples = 50;
SELECT explain_text($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$,
                    'Candidates|Codes Compared|Rows Returned|Rows Removed by Filter|Iterative Scan Extended');
SELECT (s ->> 'Scan Limit Reached')::boolean AS reached, s ->> 'Scan Limit Setting' AS setting,
       s ->> 'Scan Limit Value' AS value, (s ->> 'Codes Compared')::int >= 50 AS walked_to_limit
FROM explain_scans($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) s;
RESET hnsw.max_scan_tuples;
RESET hnsw.iterative_scan;
-- with iterative scans off, a filtered query that needs more rows gets a hint
SELECT explain_text($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$,
                    'Codes Compared');
SET hnsw.ef_search = 40;

-- rescored on_disk 32x: ceil(3.0 * 40) = 120 candidates, each fetched from the heap
CREATE INDEX u_hnsw ON u USING hnsw (v vector_l2_ops) WITH (mode = on_disk, compression_level = '32x');
SELECT explain_text($$SELECT id FROM u ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$, 'Codes Compared');

-- two index scans in one plan (UNION ALL of two indexes), in plan order
SELECT explain_text($$(SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 2)
  UNION ALL (SELECT id FROM u ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 3)$$, 'Codes Compared');

-- prepared statement (generic plan): each EXPLAIN shows its own execution,
-- not a total with earlier ones
PREPARE near(vector) AS SELECT id FROM t ORDER BY v <-> $1 LIMIT 4;
SET plan_cache_mode = force_generic_plan;
EXECUTE near('[1,0,0,0,0,0,0,0]');
SELECT explain_text($$EXECUTE near('[1,0,0,0,0,0,0,0]')$$, 'Codes Compared');
SELECT explain_text($$EXECUTE near('[0,0,1,0,0,0,0,0]')$$, 'Codes Compared');
RESET plan_cache_mode;
DEALLOCATE near;

-- queries run by a function the explained query calls are not part of its plan
CREATE FUNCTION nearest_id(q vector) RETURNS int LANGUAGE sql STABLE AS $$
  SELECT id FROM t ORDER BY v <-> q LIMIT 1 $$;
SELECT explain_text($$SELECT nearest_id('[1,0,0,0,0,0,0,0]') FROM u WHERE id = 1$$);

-- an EXPLAIN run inside the explained query (by a function) keeps its own
-- section; the outer one lists only the outer plan's scan
SELECT explain_text($$SELECT id, (SELECT count(*) FROM explain_text('SELECT id FROM u ORDER BY v <-> ''[0,1,0,0,0,0,0,0]'' LIMIT 1') e
                                  WHERE e ~ 'using u_hnsw on u \(hnsw\)') AS inner_section
  FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 2$$, 'Codes Compared');
SELECT id, (SELECT count(*) FROM explain_text('SELECT id FROM u ORDER BY v <-> ''[0,1,0,0,0,0,0,0]'' LIMIT 1') e
            WHERE e ~ 'using u_hnsw on u \(hnsw\)') AS inner_section
FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 2;

-- an error during EXPLAIN leaves nothing behind for the next one
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT id FROM t ORDER BY v <-> '[1,0]' LIMIT 1;
SELECT count(*) AS scans FROM explain_scans($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 1$$);

-- parallel plans: a scan run by workers is flagged, never miscounted
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SELECT s ->> 'Index Name' AS index,
       (s ->> 'Loops')::int + coalesce((s ->> 'Parallel Workers Not Counted')::int, 0) >= 1 AS ran_or_flagged
FROM explain_scans($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 3$$) s;
RESET force_parallel_mode;
RESET parallel_setup_cost;
DROP INDEX t_hnsw, u_hnsw;

---- ivf
CREATE INDEX t_ivf ON t USING ivf (v vector_l2_ops) WITH (lists = 4);
-- every list probed: every entry is a candidate
SET ivf.probes = 4;
SELECT explain_text($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$);
-- iterative: one list at a time up to ivf.max_probes = 2, then the limit
SET ivf.probes = 1;
SET ivf.iterative_scan = relaxed_order;
SET ivf.max_probes = 2;
SELECT explain_text($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$,
                    'Candidates|Codes Compared|Rows Returned|Rows Removed by Filter');
SELECT (s ->> 'Candidates')::bigint = (s ->> 'Rows Returned')::bigint AS all_candidates_returned,
       (s ->> 'Rows Returned')::bigint = node_rows($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) AS rows_match_node
FROM explain_scans($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) s;
RESET ivf.iterative_scan;
RESET ivf.max_probes;
SELECT explain_text($$SELECT id FROM t WHERE cat = -1 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$,
                    'Candidates|Codes Compared|Rows Returned|Rows Removed by Filter');
DROP INDEX t_ivf;
-- rescored on_disk 32x: a round of up to ceil(3.0 * 100) candidates takes all 200
CREATE INDEX t_ivf ON t USING ivf (v vector_l2_ops) WITH (lists = 4, mode = on_disk);
SET ivf.probes = 4;
SELECT explain_text($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$);
RESET ivf.probes;
DROP INDEX t_ivf;

---- ivfflat
CREATE INDEX t_ivfflat ON t USING ivfflat (v vector_l2_ops) WITH (lists = 2);
SET ivfflat.probes = 2;
SELECT explain_text($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$);
RESET ivfflat.probes;
DROP INDEX t_ivfflat;

---- binary
CREATE INDEX t_bin ON t USING "binary" (v vector_l2_ops) WITH (compression_level = '1x');
-- one pass over all 200 codes keeps vector_ext.binary_batch_size = 100
SELECT explain_text($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$);
-- the JSON form, once in full
SELECT jsonb_pretty(explain_json($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$) - 'Triggers');
-- a filtered query takes more passes (exact codes: the counts are exact)
SET vector_ext.binary_batch_size = 10;
SELECT explain_text($$SELECT id FROM t WHERE cat = 3 ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$);
RESET vector_ext.binary_batch_size;
DROP INDEX t_bin;
-- rescored on_disk 32x: ceil(3.0 * 100) = 300 candidates wanted, all 200 kept and fetched
CREATE INDEX t_bin ON t USING "binary" (v vector_l2_ops) WITH (mode = on_disk, compression_level = '32x');
SELECT explain_text($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$);
-- YAML and XML carry the same section (the XML document stays well formed)
CREATE FUNCTION explain_section(q text, fmt text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE doc text;
BEGIN
  EXECUTE format('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT %s) %s', fmt, q) INTO doc;
  IF fmt = 'xml' AND NOT xml_is_well_formed_document(doc) THEN
    RAISE EXCEPTION 'not well formed: %', doc;
  END IF;
  RETURN QUERY SELECT regexp_split_to_table(substr(doc, position('Vector' IN doc) - 1), E'\n');
END $$;
SELECT explain_section($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$, 'yaml');
SELECT explain_section($$SELECT id FROM t ORDER BY v <-> '[1,0,0,0,0,0,0,0]' LIMIT 5$$, 'xml');
DROP TABLE t, u;
DROP FUNCTION explain_text, explain_json, explain_scans, node_rows, nearest_id, explain_section;
