# hnsw scans pin index blocks through the buffers they were in last time
# (ReadRecentBuffer hints kept per backend). With shared_buffers far smaller
# than two indexes queried in turn, those buffers keep being evicted and
# reused for other blocks: every query must still return the right rows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('hnsw_hints');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 1MB\nautovacuum = off");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	SELECT setseed(0.25);
	CREATE TABLE a (id int, v vector(64));
	CREATE TABLE b (id int, v vector(64));
	INSERT INTO a SELECT i, ARRAY(SELECT random()::real FROM generate_series(1, 64) WHERE i > 0)::vector
		FROM generate_series(1, 4000) i;
	INSERT INTO b SELECT id, v FROM a;
	UPDATE b SET v = v + array_fill(1, ARRAY[64])::real[]::vector;
	CREATE INDEX a_idx ON a USING hnsw (v vector_l2_ops);
	CREATE INDEX b_idx ON b USING hnsw (v vector_l2_ops);
	-- exact top 10 (no index)
	CREATE FUNCTION exact(t regclass, q vector) RETURNS int[] LANGUAGE plpgsql
		SET enable_indexscan = off SET enable_bitmapscan = off AS $$
	DECLARE r int[];
	BEGIN
		EXECUTE format('SELECT array_agg(id) FROM (SELECT id FROM %s ORDER BY v <-> $1 LIMIT 10) s', t)
			INTO r USING q;
		RETURN r;
	END $$;
});

my $sizes = $node->safe_psql('postgres',
	q{SELECT pg_relation_size('a_idx') + pg_relation_size('b_idx') > 2 * pg_size_bytes(current_setting('shared_buffers'))});
is($sizes, 't', 'the two indexes are more than twice shared_buffers');

# 100 queries, alternating between the indexes, in one backend: ids returned
# by the index against the exact top 10 (recall), and the rows must come in
# ascending distance (a block read from a wrong buffer would give other rows).
my $out = $node->safe_psql('postgres', q{
	SET enable_seqscan = off;
	SET hnsw.ef_search = 100;
	CREATE TEMP TABLE res (hits int, bad int);
	DO $$
	DECLARE q vector; t text; got int[]; bad int;
	BEGIN
		FOR i IN 1..100 LOOP
			t := CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END;
			EXECUTE format('SELECT v FROM %s WHERE id = %s', t, (i * 37) % 4000 + 1) INTO q;
			q := q + array_fill(0.01, ARRAY[64])::real[]::vector;
			EXECUTE format('SELECT array_agg(id), count(*) FILTER (WHERE d < prev)
				FROM (SELECT id, d, lag(d) OVER () AS prev
					FROM (SELECT id, v <-> $1 AS d FROM %s ORDER BY v <-> $1 LIMIT 10) s) s2', t)
				INTO got, bad USING q;
			INSERT INTO res SELECT (SELECT count(*) FROM unnest(got) g WHERE g = ANY (exact(t::regclass, q))), bad;
		END LOOP;
	END $$;
	SELECT sum(hits)::float8 / (100 * 10), sum(bad) FROM res;
});
my ($recall, $bad) = split /\|/, $out;
cmp_ok($recall, '>=', 0.95, "recall\@10 with evicted buffers: $recall");
is($bad, '0', 'rows come in ascending distance');

# The buffers were really reused: the index blocks were read from disk again.
my $reads = $node->safe_psql('postgres',
	q{SELECT idx_blks_read FROM pg_statio_user_indexes WHERE indexrelname = 'a_idx'});
cmp_ok($reads, '>', 200, "index blocks read again after eviction ($reads)");

$node->stop;
done_testing();
