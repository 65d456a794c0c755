# ivf and WAL: crash recovery during inserts, a streaming standby returning
# the same rows, cancel of a build; bytevector / bitvector exactness with all
# lists probed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time);

my $primary = PostgreSQL::Test::Cluster->new('ivf_primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', "max_parallel_maintenance_workers = 1\nmaintenance_work_mem = 256MB");
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE TABLE t (id serial, v vector(16));
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector
		FROM generate_series(1, 5000) i;
	CREATE INDEX t_idx ON t USING ivf (v vector_l2_ops) WITH (lists = 20);
	CREATE TABLE q AS SELECT i AS id, ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector AS v
		FROM generate_series(1, 20) i;
});
$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('ivf_standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
$standby->start;

# Top-10 ids of each query (index scan, all lists: exact).
my $topk = q{SET enable_seqscan = off; SET ivf.probes = 20;
	SELECT q.id, array(SELECT t.id FROM t ORDER BY t.v <-> q.v LIMIT 10) FROM q ORDER BY q.id};
my $exact = q{SET enable_indexscan = off;
	SELECT q.id, array(SELECT t.id FROM t ORDER BY t.v <-> q.v LIMIT 10) FROM q ORDER BY q.id};
# Rows reachable through the index (all lists) and rows in the table.
my $reach = q{SET enable_seqscan = off; SET ivf.probes = 20;
	SELECT (SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> (SELECT v FROM q WHERE id = 1)) s)
		= (SELECT count(*) FROM t)};

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
is($primary->safe_psql('postgres', $reach), 't', 'after crash recovery every row is reachable through the index');
is($primary->safe_psql('postgres', $topk), $primary->safe_psql('postgres', $exact), 'all lists probed after recovery: exact neighbours');
$primary->safe_psql('postgres', q{
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector
		FROM generate_series(1, 500) i;
	DELETE FROM t WHERE id % 10 = 0;
	VACUUM t;
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 16) WHERE i > 0)::vector
		FROM generate_series(1, 200) i;
});
is($primary->safe_psql('postgres', $reach), 't', 'after inserts, VACUUM and more inserts every row is reachable');
is($primary->safe_psql('postgres', "SELECT vector_ext_index_check('t_idx', heapallindexed => true)"), '', 'index check passes after recovery');

# The standby replays it all and answers the same.
$primary->wait_for_catchup($standby, 'replay');
is($standby->safe_psql('postgres', $topk), $primary->safe_psql('postgres', $topk), 'standby returns the same rows as the primary');
is($standby->safe_psql('postgres', $reach), 't', 'standby reaches every row');

# bytevector and bitvector: exact neighbours with every list probed (compare distances, ties are free).
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
	$primary->safe_psql('postgres', "CREATE INDEX ${tab}_i ON $tab USING ivf (v $opc) WITH (lists = 10)");
	my $sql = "SET ivf.probes = 10; SELECT q.id, array(SELECT round((x.v $op q.v)::numeric, 5) FROM $tab x ORDER BY x.v $op q.v LIMIT 10) FROM $tab q WHERE q.id <= 20 ORDER BY q.id";
	my $idx = $primary->safe_psql('postgres', "SET enable_seqscan = off; $sql");
	my $ex = $primary->safe_psql('postgres', "SET enable_indexscan = off; $sql");
	is($idx, $ex, "$opc returns the exact neighbours");
	$primary->safe_psql('postgres', "DROP INDEX ${tab}_i");
}

# A cancelled build stops within a second and leaves nothing behind.
$primary->safe_psql('postgres', q{
	CREATE TABLE big AS SELECT i AS id, ARRAY(SELECT random()::real FROM generate_series(1, 256) WHERE i > 0)::vector(256) AS v
		FROM generate_series(1, 100000) i;
});
my $t0 = time;
my ($ret, $stdout, $stderr) = $primary->psql('postgres',
	"SET statement_timeout = '1500ms'; CREATE INDEX big_idx ON big USING ivf (v vector_l2_ops) WITH (lists = 2000)");
my $took = time - $t0;
like($stderr, qr/canceling statement due to statement timeout/, 'statement_timeout cancels the build');
cmp_ok($took, '<', 3.0, sprintf('cancel took effect within a second (%.2fs for a 1.5s timeout)', $took));
is($primary->safe_psql('postgres', "SELECT count(*) FROM pg_class WHERE relname = 'big_idx'"), '0', 'no index left behind');

$standby->stop;
$primary->stop;
done_testing();
