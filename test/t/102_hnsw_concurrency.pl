# hnsw under concurrent inserts, deletes, scans and VACUUM (pgbench); a build
# that outgrows maintenance_work_mem; build progress.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('hnsw_conc');
$node->init;
$node->append_conf('postgresql.conf', "max_parallel_maintenance_workers = 1\nautovacuum = off");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE TABLE t (id bigserial, v vector(8));
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 8) WHERE i > 0)::vector
		FROM generate_series(1, 2000) i;
	CREATE INDEX t_idx ON t USING hnsw (v vector_l2_ops) WITH (m = 8, ef_construction = 32);
});

my $reach = q{SET enable_seqscan = off; SET hnsw.iterative_scan = relaxed_order;
	SET hnsw.max_scan_tuples = 100000000; SET hnsw.ef_search = 1000;
	SELECT (SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> '[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]' LIMIT 10000000) s)
		|| ' of ' || (SELECT count(*) FROM t)};

$node->pgbench(
	'--no-vacuum --client=4 --transactions=300',
	0, [qr{processed: 1200/1200}], [qr{^$}],
	'concurrent inserts, deletes, scans and vacuum',
	{
		'001_insert' => q{INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 8) WHERE i > 0)::vector FROM generate_series(1, 5) i;},
		'002_select' => q{SET enable_seqscan = off; SELECT id FROM t ORDER BY v <-> ARRAY(SELECT random()::real FROM generate_series(1, 8))::vector LIMIT 10;},
		'003_delete' => q{DELETE FROM t WHERE id = (random() * 3000)::int;},
	});
$node->safe_psql('postgres', 'VACUUM t');
# Inserts prune full lists without knowing in-degrees, so an element can
# (rarely) lose its last in-link; allow 0.2%.
my ($got, $all) = split / of /, $node->safe_psql('postgres', $reach);
cmp_ok($got, '>=', $all * 0.998, "rows reachable after concurrent work: $got of $all");
my $n = $node->safe_psql('postgres', 'SELECT count(*) FROM t');
cmp_ok($n, '>', 2000, "rows after concurrent inserts ($n)");

# A graph that outgrows maintenance_work_mem: NOTICE, then page-by-page inserts.
$node->safe_psql('postgres', q{
	CREATE TABLE big (id int, v vector(32));
	INSERT INTO big SELECT i, ARRAY(SELECT random()::real FROM generate_series(1, 32) WHERE i > 0)::vector
		FROM generate_series(1, 8000) i;
});
my ($ret, $out, $err) = $node->psql('postgres',
	"SET maintenance_work_mem = '1MB'; CREATE INDEX big_idx ON big USING hnsw (v vector_l2_ops)");
is($ret, 0, 'build with a small maintenance_work_mem succeeds');
like($err, qr/hnsw graph no longer fits into maintenance_work_mem/, 'NOTICE says the graph does not fit');
my $cnt = $node->safe_psql('postgres', q{SET enable_seqscan = off; SET hnsw.iterative_scan = relaxed_order;
	SET hnsw.max_scan_tuples = 100000000; SET hnsw.ef_search = 1000;
	SELECT count(*) FROM (SELECT id FROM big ORDER BY v <-> (SELECT v FROM big WHERE id = 1) LIMIT 100000) s});
# Page-by-page inserts prune full lists without knowing in-degrees, so an
# element can (rarely) lose its last in-link; allow 0.1%.
cmp_ok($cnt, '>=', 7992, "rows of the spilled build reachable: $cnt of 8000");
my $top = $node->safe_psql('postgres', q{SET enable_seqscan = off;
	SELECT id FROM big ORDER BY v <-> (SELECT v FROM big WHERE id = 1) LIMIT 1});
is($top, '1', 'a row finds itself first');

# Progress: the build phase is reported by name.
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_am WHERE amname = 'hnsw'}), '1', 'hnsw registered');

$node->stop;
done_testing();
