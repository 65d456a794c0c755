-- pgvector's ivfflat usage, unchanged
SET enable_seqscan = off;
CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(3));
INSERT INTO items (embedding) SELECT ARRAY[i % 31, i % 17, i % 13]::real[]::vector FROM generate_series(1, 3000) i;
CREATE INDEX ON items USING ivfflat (embedding vector_l2_ops) WITH (lists = 100);
SET ivfflat.probes = 10;
EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY embedding <-> '[3,1,2]' LIMIT 5;
SELECT embedding, embedding <-> '[3,1,2]' AS d FROM items ORDER BY embedding <-> '[3,1,2]' LIMIT 3;
-- ivf.probes does not apply to an ivfflat index
SET ivf.probes = 100;
SET ivfflat.probes = 100;
SELECT count(*) FROM (SELECT id FROM items ORDER BY embedding <-> '[3,1,2]') s;
SET ivfflat.probes = 1;
SET ivfflat.iterative_scan = relaxed_order;
SELECT count(*) FROM (SELECT id FROM items WHERE id % 10 = 3 ORDER BY embedding <-> '[3,1,2]' LIMIT 50) s;
RESET ALL;
SET enable_seqscan = off;
CREATE INDEX ON items USING ivfflat (embedding vector_ip_ops) WITH (lists = 10);
CREATE INDEX ON items USING ivfflat (embedding vector_cosine_ops) WITH (lists = 10);
SET ivfflat.probes = 10;
SELECT id FROM items ORDER BY embedding <#> '[1,1,1]' LIMIT 1;
SELECT round((embedding <=> '[1,1,1]')::numeric, 4) AS d FROM items ORDER BY embedding <=> '[1,1,1]' LIMIT 1;
DELETE FROM items WHERE id % 2 = 0;
VACUUM items;
SELECT count(*) FROM (SELECT id FROM items ORDER BY embedding <=> '[1,1,1]') s;
SELECT vector_ext_index_check('items_embedding_idx', heapallindexed => true);
SELECT am FROM vector_ext_index_info('items_embedding_idx');
DROP TABLE items;
