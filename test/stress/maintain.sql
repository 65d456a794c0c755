-- The periodic client: every :every seconds, retention (back to :rows rows
-- once the table exceeds :high), VACUUM and the full index check (which waits
-- for the writers in flight and holds new ones off while it runs).
\sleep :every s
SELECT stress_trim(:rows, :high);
VACUUM stress_items;
SELECT vector_ext_index_check('stress_idx', heapallindexed => true);
