# hnsw and WAL: crash recovery during inserts, a streaming standby returning
# the same rows, cancel of a build; bytevector / bitvector exactness.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time);

my $primary = PostgreSQL::Test::Cluster->new('hnsw_primary');
$primary->init(allows_streaming => 1);
# wal_consistency_checking: the standby compares every generic WAL record's
# replayed pages with the full images the primary logs, and stops on a mismatch.
# wal_keep_size: that WAL is large, and the crash below cuts the standby's
# stream; it must find the segments it missed when it reconnects.
$primary->append_conf('postgresql.conf', "max_parallel_maintenance_workers = 1\nmaintenance_work_mem = 256MB\nwal_consistency_checking = 'generic'\nwal_keep_size = '4GB'");
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE TABLE t (id serial, v vector(16));
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector
		FROM generate_series(1, 5000) i;
	CREATE INDEX t_idx ON t USING hnsw (v vector_l2_ops);
	CREATE TABLE q AS SELECT i AS id, ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector AS v
		FROM generate_series(1, 20) i;
});
$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('hnsw_standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
$standby->start;

# Top-10 ids of each query (index scan).
my $topk = q{SET enable_seqscan = off;
	SELECT q.id, array(SELECT t.id FROM t ORDER BY t.v <-> q.v LIMIT 10) FROM q ORDER BY q.id};
my $exact = q{SET enable_indexscan = off;
	SELECT q.id, array(SELECT t.id FROM t ORDER BY t.v <-> q.v LIMIT 10) FROM q ORDER BY q.id};
# Rows reachable through the index (full iterative scan) and rows in the table.
my $reach = q{SET enable_seqscan = off; SET hnsw.iterative_scan = relaxed_order;
	SET hnsw.max_scan_tuples = 100000000; SET hnsw.ef_search = 1000;
	SELECT (SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = 1) LIMIT 10000000) s)
		= (SELECT count(*) FROM t)};

sub overlap {
	my ($a, $b) = @_;
	my ($hits, $n) = (0, 0);
	my @a = split /\n/, $a;
	my @b = split /\n/, $b;
	for my $i (0 .. $#b) {
		my (undef, $x) = split /\|/, $a[$i] // '|{}';
		my (undef, $y) = split /\|/, $b[$i];
		s/[{}]//g for ($x, $y);
		my %w = map { $_ => 1 } split /,/, $y;
		$hits += grep { $w{$_} } split /,/, $x;
		$n += scalar keys %w;
	}
	return $n ? $hits / $n : 0;
}

# Inserts from another session, then an immediate stop in the middle.
my ($in, $out, $err) = ('', '', '');
my $h = IPC::Run::start(
	[ 'psql', '-X', '-d', $primary->connstr('postgres'), '-c', q{
		DO $$ BEGIN FOR i IN 1..1000000 LOOP
			INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector;
			COMMIT;
		END LOOP; END $$;} ],
	\$in, \$out, \$err);
sleep 4;
$primary->stop('immediate');
$h->finish;
$primary->start;
my $rows = $primary->safe_psql('postgres', 'SELECT count(*) FROM t');
cmp_ok($rows, '>', 5000, "inserts committed before the crash ($rows rows)");
# An insert cut by the crash between writing its element and linking it from
# its neighbours leaves that element unreached until VACUUM links it.
$primary->safe_psql('postgres', 'VACUUM t');
is($primary->safe_psql('postgres', $reach), 't', 'after crash recovery and VACUUM every row is reachable through the index');
my $r = overlap($primary->safe_psql('postgres', $topk), $primary->safe_psql('postgres', $exact));
cmp_ok($r, '>=', 0.9, "recall\@10 after crash recovery $r");
$primary->safe_psql('postgres', q{
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector
		FROM generate_series(1, 500) i;
	DELETE FROM t WHERE id % 10 = 0;
	VACUUM t;
});
is($primary->safe_psql('postgres', $reach), 't', 'after inserts and VACUUM every row is reachable');

# The standby replays it all and answers the same.
$primary->wait_for_catchup($standby, 'replay');
is($standby->safe_psql('postgres', $topk), $primary->safe_psql('postgres', $topk), 'standby returns the same rows as the primary');

# A quantized index (on_disk 32x, quantizer pages): inserts after the build, the
# standby answers the same and reports the same index.
$primary->safe_psql('postgres', q{
	CREATE TABLE tq AS SELECT * FROM t WHERE id % 2 = 0;
	CREATE INDEX tq_idx ON tq USING hnsw (v vector_l2_ops) WITH (mode = 'on_disk');
	INSERT INTO tq SELECT * FROM t WHERE id % 2 = 1;
});
my $topq = q{SET enable_seqscan = off;
	SELECT q.id, array(SELECT tq.id FROM tq ORDER BY tq.v <-> q.v LIMIT 10) FROM q ORDER BY q.id};
my $info = q{SELECT mode, compression_level, encoding, elements, page_bytes FROM vector_ext_index_info('tq_idx')};
$primary->wait_for_catchup($standby, 'replay');
is($standby->safe_psql('postgres', $topq), $primary->safe_psql('postgres', $topq), 'standby returns the same rows from a 32x index');
is($standby->safe_psql('postgres', $info), $primary->safe_psql('postgres', $info), 'standby reports the same 32x index');
# Both indexes pass the check on the standby (replay paused) and the primary.
$standby->safe_psql('postgres', 'SELECT pg_wal_replay_pause()');
for my $idx ('t_idx', 'tq_idx') {
	is($standby->safe_psql('postgres', "SELECT vector_ext_index_check('$idx', true)"), '', "$idx passes the check on the standby");
	is($primary->safe_psql('postgres', "SELECT vector_ext_index_check('$idx', true)"), '', "$idx passes the check on the primary");
}
$standby->safe_psql('postgres', 'SELECT pg_wal_replay_resume()');
ok(!$standby->log_contains('inconsistent page found'), 'wal_consistency_checking found no inconsistent page');

# bytevector and bitvector: exact neighbours on small sets (compare distances, ties are free);
# ef_search >= rows makes the search visit every reachable element.
$primary->safe_psql('postgres', q{
	CREATE TABLE bv (id int, v bytevector(24));
	INSERT INTO bv SELECT i, ('[' || array_to_string(ARRAY(SELECT (random() * 255 - 128)::int FROM generate_series(1, 24) WHERE i > 0), ',') || ']')::bytevector
		FROM generate_series(1, 1000) i;
	CREATE TABLE bits (id int, v bitvector(64));
	INSERT INTO bits SELECT i, (SELECT string_agg(CASE WHEN random() < 0.5 THEN '0' ELSE '1' END, '') FROM generate_series(1, 64) WHERE i > 0)::bitvector
		FROM generate_series(1, 1000) i;
});
for my $c (['bv', 'bytevector_l2_ops', '<->'], ['bv', 'bytevector_ip_ops', '<#>'], ['bv', 'bytevector_cosine_ops', '<=>'],
	['bits', 'bitvector_hamming_ops', '<~>'], ['bits', 'bitvector_jaccard_ops', '<%>']) {
	my ($tab, $opc, $op) = @$c;
	$primary->safe_psql('postgres', "CREATE INDEX ${tab}_i ON $tab USING hnsw (v $opc)");
	my $sql = "SET hnsw.ef_search = 1000; SELECT q.id, array(SELECT round((x.v $op q.v)::numeric, 5) FROM $tab x ORDER BY x.v $op q.v LIMIT 10) FROM $tab q WHERE q.id <= 20 ORDER BY q.id";
	my $idx = $primary->safe_psql('postgres', "SET enable_seqscan = off; $sql");
	my $ex = $primary->safe_psql('postgres', "SET enable_indexscan = off; $sql");
	is($idx, $ex, "$opc returns the exact neighbours");
	$primary->safe_psql('postgres', "DROP INDEX ${tab}_i");
}

# A cancelled build stops within a second and leaves nothing behind.
$primary->safe_psql('postgres', q{
	CREATE TABLE big AS SELECT i AS id, ARRAY(SELECT random()::real FROM generate_series(1, 64) WHERE i > 0)::vector(64) AS v
		FROM generate_series(1, 150000) i;
});
my $t0 = time;
my ($ret, $stdout, $stderr) = $primary->psql('postgres',
	"SET statement_timeout = '1500ms'; CREATE INDEX big_idx ON big USING hnsw (v vector_l2_ops)");
my $took = time - $t0;
like($stderr, qr/canceling statement due to statement timeout/, 'statement_timeout cancels the build');
cmp_ok($took, '<', 3.0, sprintf('cancel took effect within a second (%.2fs for a 1.5s timeout)', $took));
is($primary->safe_psql('postgres', "SELECT count(*) FROM pg_class WHERE relname = 'big_idx'"), '0', 'no index left behind');

$standby->stop;
$primary->stop;
done_testing();
