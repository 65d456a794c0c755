# binary access method: results identical to a sequential scan (bitvector
# hamming and jaccard, many ties; bytevector; vector at 1x) including scans
# that need several passes; crash recovery during inserts; a streaming standby
# returning the same rows; VACUUM compaction keeps every live row once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $primary = PostgreSQL::Test::Cluster->new('binary_primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE TABLE bits (id serial, v bitvector(96));
	INSERT INTO bits (v) SELECT (SELECT string_agg(CASE WHEN random() < 0.3 THEN '1' ELSE '0' END, '') FROM generate_series(1, 96) WHERE i > 0)::bitvector
		FROM generate_series(1, 3000) i;
	INSERT INTO bits (v) SELECT repeat('0', 96)::bitvector FROM generate_series(1, 5);
	CREATE INDEX bits_h ON bits USING "binary" (v bitvector_hamming_ops);
	CREATE INDEX bits_j ON bits USING "binary" (v bitvector_jaccard_ops);
	CREATE TABLE q AS SELECT i AS id, (SELECT string_agg(CASE WHEN random() < 0.3 THEN '1' ELSE '0' END, '') FROM generate_series(1, 96) WHERE i > 0)::bitvector(96) AS v
		FROM generate_series(1, 20) i;
	INSERT INTO q VALUES (21, repeat('0', 96)::bitvector);
});
$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('binary_standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
$standby->start;

# The k nearest rows of each query (the inner ORDER BY uses the index when
# sequential scans are off): their distances in order, and the ids of rows
# closer than the k-th distance (at the k-th distance ties may pick any rows).
# PostgreSQL 15 cannot put an incremental sort on id above an ordering-
# operator index scan, so ties are compared as sets this way.
sub topk_sql {
	my ($tab, $op, $k, $qt) = @_;
	$qt //= 'q';
	return "SELECT q.id, array_agg(t.d ORDER BY t.d, t.id), array_agg(t.id ORDER BY t.d, t.id) FILTER (WHERE t.d < t.maxd)
		FROM $qt q, LATERAL (SELECT s.id, s.d, max(s.d) OVER () AS maxd
			FROM (SELECT x.id, x.v $op q.v AS d FROM $tab x ORDER BY x.v $op q.v LIMIT $k) s) t
		GROUP BY q.id ORDER BY q.id";
}
sub topk {
	my ($node, $tab, $op, $k, $index, $qt) = @_;
	my $set = $index ? 'SET enable_seqscan = off;' : 'SET enable_indexscan = off;';
	return $node->safe_psql('postgres', "$set SET vector_ext.binary_batch_size = 7; " . topk_sql($tab, $op, $k, $qt));
}
# Rows whose distance is smaller than the row before them in the index's order.
sub disorder {
	my ($node, $tab, $op, $qid) = @_;
	return $node->safe_psql('postgres', "SET enable_seqscan = off; SET vector_ext.binary_batch_size = 13;
		SELECT count(*) FROM (SELECT d, lag(d) OVER () AS p FROM (SELECT v $op (SELECT v FROM q WHERE id = $qid) AS d FROM $tab ORDER BY 1) s) t WHERE d < p");
}

for my $op ('<~>', '<%>') {
	my $idx = topk($primary, 'bits', $op, 50, 1);
	is($idx, topk($primary, 'bits', $op, 50, 0), "bitvector $op: index scan equals sequential scan (50 rows, several passes)");
	is(disorder($primary, 'bits', $op, 21), '0', "bitvector $op: a full index scan is in distance order");
}
my $plan = $primary->safe_psql('postgres', 'SET enable_seqscan = off; EXPLAIN (COSTS OFF) ' . topk_sql('bits', '<~>', 50));
like($plan, qr/Index Scan using bits_h/, 'the test uses the index');

# Every row once, in exact order, through the whole index.
is($primary->safe_psql('postgres', q{SET enable_seqscan = off;
	SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM bits ORDER BY v <%> (SELECT v FROM q WHERE id = 2)) s}),
	'3005|3005', 'a full scan returns every row once');

# Inserts from another session, then an immediate stop in the middle.
my ($in, $out, $err) = ('', '', '');
my $h = IPC::Run::start(
	[ 'psql', '-X', '-d', $primary->connstr('postgres'), '-c', q{
		DO $$ BEGIN FOR i IN 1..1000000 LOOP
			INSERT INTO bits (v) SELECT (SELECT string_agg(CASE WHEN random() < 0.3 THEN '1' ELSE '0' END, '') FROM generate_series(1, 96) WHERE i > 0)::bitvector;
			COMMIT;
		END LOOP; END $$;} ],
	\$in, \$out, \$err);
sleep 3;
$primary->stop('immediate');
$h->finish;
$primary->start;
my $rows = $primary->safe_psql('postgres', 'SELECT count(*) FROM bits');
cmp_ok($rows, '>', 3005, "inserts committed before the crash ($rows rows)");
is($primary->safe_psql('postgres', q{SET enable_seqscan = off;
	SELECT count(*) FROM (SELECT id FROM bits ORDER BY v <~> (SELECT v FROM q WHERE id = 3)) s}),
	$rows, 'after crash recovery the index holds every row');
is(topk($primary, 'bits', '<~>', 20, 1), topk($primary, 'bits', '<~>', 20, 0), 'after crash recovery: index equals sequential scan');

# Deletes, VACUUM compaction, inserts into the freed room.
$primary->safe_psql('postgres', q{
	DELETE FROM bits WHERE id % 3 = 0;
	VACUUM bits;
	INSERT INTO bits (v) SELECT (SELECT string_agg(CASE WHEN random() < 0.3 THEN '1' ELSE '0' END, '') FROM generate_series(1, 96) WHERE i > 0)::bitvector
		FROM generate_series(1, 500) i;
});
$rows = $primary->safe_psql('postgres', 'SELECT count(*) FROM bits');
is($primary->safe_psql('postgres', q{SET enable_seqscan = off;
	SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM bits ORDER BY v <%> (SELECT v FROM q WHERE id = 4)) s}),
	"$rows|$rows", 'after VACUUM and inserts every live row once');
is(topk($primary, 'bits', '<%>', 30, 1), topk($primary, 'bits', '<%>', 30, 0), 'after VACUUM: index equals sequential scan');
my $size1 = $primary->safe_psql('postgres', q{SELECT pg_relation_size('bits_h')});
$primary->safe_psql('postgres', q{
	DELETE FROM bits WHERE id % 2 = 0;
	VACUUM bits;
	INSERT INTO bits (v) SELECT (SELECT string_agg(CASE WHEN random() < 0.3 THEN '1' ELSE '0' END, '') FROM generate_series(1, 96) WHERE i > 0)::bitvector
		FROM generate_series(1, 1000) i;
});
my $size2 = $primary->safe_psql('postgres', q{SELECT pg_relation_size('bits_h')});
cmp_ok($size2, '<=', $size1, "inserts reuse the room VACUUM made ($size1 -> $size2 bytes)");

# The standby replays it all and answers the same.
$primary->wait_for_catchup($standby, 'replay');
for my $op ('<~>', '<%>') {
	is(topk($standby, 'bits', $op, 20, 1), topk($primary, 'bits', $op, 20, 1), "standby $op returns the same rows as the primary");
}
is(topk($standby, 'bits', '<~>', 20, 1), topk($standby, 'bits', '<~>', 20, 0), 'standby: index equals sequential scan');

# bytevector and vector at 1x (the values themselves): exact too.
$primary->safe_psql('postgres', q{
	CREATE TABLE bv (id int, v bytevector(24));
	INSERT INTO bv SELECT i, ('[' || array_to_string(ARRAY(SELECT (random() * 20 - 10)::int FROM generate_series(1, 24) WHERE i > 0), ',') || ']')::bytevector
		FROM generate_series(1, 2000) i;
	CREATE TABLE fv (id int, v vector(16));
	INSERT INTO fv SELECT i, ARRAY(SELECT round(random() * 8)::real FROM generate_series(1, 16) WHERE i > 0)::vector
		FROM generate_series(1, 2000) i;
	DROP TABLE q;
	CREATE TABLE q AS SELECT id, v FROM bv WHERE id <= 10;
	CREATE TABLE qf AS SELECT id, v FROM fv WHERE id <= 10;
});
for my $c (['bv', 'bytevector_l2_ops', '<->', 'q'], ['bv', 'bytevector_cosine_ops', '<=>', 'q'], ['bv', 'bytevector_ip_ops', '<#>', 'q'],
	['fv', 'vector_l2_ops', '<->', 'qf'], ['fv', 'vector_l1_ops', '<+>', 'qf'], ['fv', 'vector_ip_ops', '<#>', 'qf'], ['fv', 'vector_cosine_ops', '<=>', 'qf']) {
	my ($tab, $opc, $op, $qt) = @$c;
	$primary->safe_psql('postgres', "CREATE INDEX ${tab}_i ON $tab USING \"binary\" (v $opc) WITH (compression_level = '1x')");
	is(topk($primary, $tab, $op, 12, 1, $qt), topk($primary, $tab, $op, 12, 0, $qt), "$opc: index equals sequential scan");
	$primary->safe_psql('postgres', "DROP INDEX ${tab}_i");
}

$standby->stop;
$primary->stop;
done_testing();
