# ivf under concurrent inserts, deletes, scans and VACUUM (pgbench): every row
# stays in exactly one list.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('ivf_conc');
$node->init;
$node->append_conf('postgresql.conf', "max_parallel_maintenance_workers = 1\nautovacuum = off");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE TABLE t (id bigserial, v vector(8));
	INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 8) WHERE i > 0)::vector
		FROM generate_series(1, 2000) i;
	CREATE INDEX t_idx ON t USING ivf (v vector_l2_ops) WITH (lists = 8);
});

# Every row is in exactly one list: with all lists probed the index returns the table.
my $all = q{SET enable_seqscan = off; SET ivf.probes = 8;
	SELECT (SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> '[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]') s)
		|| ' of ' || (SELECT count(*) FROM t)};

$node->pgbench(
	'--no-vacuum --client=4 --transactions=300',
	0, [qr{processed: 1200/1200}], [qr{^$}],
	'concurrent inserts, deletes, scans and vacuum',
	{
		'001_insert' => q{INSERT INTO t (v) SELECT ARRAY(SELECT random()::real FROM generate_series(1, 8) WHERE i > 0)::vector FROM generate_series(1, 5) i;},
		'002_select' => q{SET enable_seqscan = off; SELECT id FROM t ORDER BY v <-> ARRAY(SELECT random()::real FROM generate_series(1, 8))::vector LIMIT 10;},
		'003_delete' => q{DELETE FROM t WHERE id = (random() * 3000)::int;},
		'004_vacuum' => q{VACUUM t;},
	});
my ($got, $n) = split / of /, $node->safe_psql('postgres', $all);
is($got, $n, "every row is in the index after concurrent work ($got of $n)");
$node->safe_psql('postgres', 'VACUUM t');
($got, $n) = split / of /, $node->safe_psql('postgres', $all);
is($got, $n, "and after VACUUM ($got of $n)");
cmp_ok($n, '>', 2000, "rows after concurrent inserts ($n)");
is($node->safe_psql('postgres', "SELECT vector_ext_index_check('t_idx', heapallindexed => true)"), '', 'index check passes');
my $exact = q{SELECT q, array(SELECT id FROM t ORDER BY v <-> ARRAY[q, q, q, q, q, q, q, q]::real[]::vector, id LIMIT 5)
	FROM generate_series(0, 1, 0.25) q};
is($node->safe_psql('postgres', "SET enable_seqscan = off; SET ivf.probes = 8; $exact"),
	$node->safe_psql('postgres', "SET enable_indexscan = off; $exact"), 'all lists probed: exact neighbours');

$node->stop;
done_testing();
