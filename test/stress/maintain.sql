-- The periodic client: every :every seconds, VACUUM and the full index check
-- (which waits for writers in flight and holds them off while it runs).
\sleep :every s
VACUUM stress_items;
SELECT vector_ext_index_check('stress_idx', heapallindexed => true);
