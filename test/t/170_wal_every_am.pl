# WAL consistency of every access method: build, inserts, updates, deletes
# and VACUUM for hnsw, ivf, ivfflat and binary, at 1x and 32x, on a primary
# with wal_consistency_checking = 'generic' and a streaming standby.
#
# Records the extension writes: every change after a build is a GenericXLog
# record (rmgr "Generic", checked here: the standby compares each replayed
# page with the full image the primary logs and stops on a mismatch); a build
# writes its pages and then logs them with log_newpage_range (XLOG_FPI
# records: full images themselves, which no consistency check applies to).
# Afterwards the standby's indexes pass vector_ext_index_check with
# heapallindexed and answer a set of queries with the same rows as the
# primary's.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('wal_every_primary');
$primary->init(allows_streaming => 1);
# wal_keep_size: a slow standby (a loaded box) still finds every segment.
$primary->append_conf('postgresql.conf', "wal_consistency_checking = 'generic'\nmaintenance_work_mem = 64MB\nwal_keep_size = '4GB'");
$primary->start;
$primary->safe_psql('postgres', 'CREATE EXTENSION vector_ext');
$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('wal_every_standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
$standby->start;

# One table per index (so each query uses that index), all built after the
# standby started: the build's WAL is replayed too.
my @cases = (
	[ 'hnsw_1x',    'hnsw',     "WITH (m = 8, ef_construction = 40)" ],
	[ 'hnsw_32x',   'hnsw',     "WITH (m = 8, ef_construction = 40, mode = 'on_disk', compression_level = '32x')" ],
	[ 'ivf_1x',     'ivf',      "WITH (lists = 16)" ],
	[ 'ivf_32x',    'ivf',      "WITH (lists = 16, mode = 'on_disk', compression_level = '32x')" ],
	[ 'ivfflat_1x', 'ivfflat',  "WITH (lists = 16)" ],
	[ 'binary_1x',  '"binary"', "WITH (compression_level = '1x')" ],
	[ 'binary_32x', '"binary"', "WITH (mode = 'on_disk', compression_level = '32x')" ],
);
my $rand = 'ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector(16)';
$primary->safe_psql('postgres', qq{
	SELECT setseed(0.14);
	CREATE TABLE src AS SELECT i AS id, $rand AS v FROM generate_series(1, 3000) i;
	CREATE TABLE q AS SELECT i AS id, $rand AS v FROM generate_series(1, 12) i;
});
for my $c (@cases) {
	my ($name, $am, $with) = @$c;
	$primary->safe_psql('postgres', qq{
		CREATE TABLE t_$name (id serial, v vector(16));
		INSERT INTO t_$name (v) SELECT v FROM src ORDER BY id;
		CREATE INDEX i_$name ON t_$name USING $am (v vector_l2_ops) $with;
	});
}

# Inserts, updates of the vector column, deletes, VACUUM (with dead rows and
# without), inserts into the room VACUUM freed, and a second round of the lot.
for my $round (1 .. 2) {
	for my $c (@cases) {
		my $t = "t_$c->[0]";
		$primary->safe_psql('postgres', qq{
			INSERT INTO $t (v) SELECT $rand FROM generate_series(1, 400) i;
			UPDATE $t SET v = (SELECT v FROM src WHERE src.id = ($t.id * 7 + $round) % 3000 + 1) WHERE id % 11 = $round;
			DELETE FROM $t WHERE id % 5 = $round;
			VACUUM $t;
			INSERT INTO $t (v) SELECT $rand FROM generate_series(1, 300) i;
			VACUUM $t;
		});
	}
}

# Top-10 ids of each query through the index, with a budget that makes each
# AM search wide (every list of ivf; a large ef for hnsw).
sub topk {
	my ($node, $name) = @_;
	return $node->safe_psql('postgres', qq{
		SET enable_seqscan = off; SET hnsw.ef_search = 200; SET ivf.probes = 16; SET ivfflat.probes = 16;
		SELECT q.id, array(SELECT t.id FROM t_$name t ORDER BY t.v <-> q.v LIMIT 10) FROM q ORDER BY q.id});
}

$primary->wait_for_catchup($standby, 'replay');
# Replay paused: nothing moves under the heapallindexed check on the standby.
$standby->safe_psql('postgres', 'SELECT pg_wal_replay_pause()');
for my $c (@cases) {
	my $name = $c->[0];
	my $plan = $standby->safe_psql('postgres', "SET enable_seqscan = off; EXPLAIN (COSTS OFF)
		SELECT id FROM t_$name ORDER BY v <-> (SELECT v FROM q LIMIT 1) LIMIT 10");
	like($plan, qr/Index Scan using i_$name/, "$name: the standby's query uses the index");
	my $p = topk($primary, $name);
	is(topk($standby, $name), $p, "$name: standby returns the same rows as the primary");
	my ($n) = $p =~ /^1\|\{([^}]*)\}/m;
	is(scalar(split /,/, $n // ''), 10, "$name: ten rows per query");
	is($standby->safe_psql('postgres', "SELECT vector_ext_index_check('i_$name', true)"), '',
		"$name: passes the check with heapallindexed on the standby");
	is($primary->safe_psql('postgres', "SELECT vector_ext_index_check('i_$name', true)"), '',
		"$name: passes the check with heapallindexed on the primary");
}
$standby->safe_psql('postgres', 'SELECT pg_wal_replay_resume()');
ok(!$standby->log_contains('inconsistent page found'), 'wal_consistency_checking found no inconsistent page');
# The changes went through generic records (so the check above covered them).
my $waldir = $primary->data_dir . '/pg_wal';
my @segs = sort grep { /^[0-9A-F]{24}$/ } map { s{.*/}{}r } glob("$waldir/*");
my $stats = `pg_waldump --stats -r Generic -p $waldir $segs[0] $segs[-1] 2>&1`;
my ($generic) = $stats =~ /^Generic\s+(\d+)/m;
cmp_ok($generic // 0, '>', 1000, "the WAL holds generic records (" . ($generic // 0) . " in the segments kept)");

$standby->stop;
$primary->stop;
done_testing();
