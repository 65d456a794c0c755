# hnsw recall@10 against exact search: mnist-784-l2, 50k clustered sets for
# l2 / ip / cosine, after inserts into a built index and after VACUUM.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use VxUtil;

my $shared = $ENV{VX_SHARED} or plan skip_all => 'VX_SHARED not set';
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $py = '/usr/bin/python3';

my $node = PostgreSQL::Test::Cluster->new('hnsw_recall');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 256MB\nmaintenance_work_mem = 512MB\nmax_parallel_maintenance_workers = 1");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION vector_ext');

# Tables $t and ${t}_q from COPY files (VxUtil).
sub load { load_vectors($node, @_) }

# recall@10 of the index against exact search (VxUtil).
sub recall { my ($t, $op, $where) = @_; VxUtil::recall($node, $t, $op, where => $where) }

# mnist-784-l2: 9000 rows, 200 queries, default ef_search.
my $m = "$shared/data/mnist-784-l2";
load('mnist', 784, fvecs_to_tsv("$m/base.fvecs", "$tmp/mnist.tsv", 0), fvecs_to_tsv("$m/query.fvecs", "$tmp/mnist_q.tsv", 200));
$node->safe_psql('postgres', 'CREATE INDEX ON mnist USING hnsw (v vector_l2_ops)');
my $r = recall('mnist', '<->');
cmp_ok($r, '>=', 0.95, "mnist-784-l2 recall\@10 $r");

# 50k clustered sets, one per metric.
my %ops = (l2 => ['<->', 'vector_l2_ops'], ip => ['<#>', 'vector_ip_ops'], cosine => ['<=>', 'vector_cosine_ops']);
for my $metric (qw(l2 ip cosine)) {
	my $dir = "$tmp/syn_$metric";
	system($py, "$shared/tools/make_synthetic.py", '--rows', 50000, '--dim', 64, '--metric', $metric,
		'--queries', 100, '--k', 10, '--out', $dir) == 0 or die 'make_synthetic';
	my $t = "syn_$metric";
	load($t, 64, fvecs_to_tsv("$dir/base.fvecs", "$dir/base.tsv", 0), fvecs_to_tsv("$dir/query.fvecs", "$dir/query.tsv", 0));
	my ($op, $opc) = @{ $ops{$metric} };
	$node->safe_psql('postgres', "CREATE INDEX ${t}_idx ON $t USING hnsw (v $opc)");
	$r = recall($t, $op);
	cmp_ok($r, '>=', 0.95, "synthetic 50k $metric recall\@10 $r");
}

# Inserts into a built index: build on 30k rows, insert 10k more.
$node->safe_psql('postgres', q{
	CREATE TABLE ins (id int, v vector(64));
	CREATE TABLE ins_q AS SELECT * FROM syn_l2_q;
	INSERT INTO ins SELECT * FROM syn_l2 WHERE id < 30000;
	CREATE INDEX ins_idx ON ins USING hnsw (v vector_l2_ops);
	INSERT INTO ins SELECT * FROM syn_l2 WHERE id >= 30000 AND id < 40000;
});
$r = recall('ins', '<->');
cmp_ok($r, '>=', 0.95, "recall\@10 after 10k inserts $r");

# Heavy deletes and updates, then VACUUM; the index does not grow with churn.
$node->safe_psql('postgres', q{
	DELETE FROM ins WHERE id % 3 = 0;
	UPDATE ins SET v = v WHERE id % 7 = 0;
	VACUUM ins;
});
$r = recall('ins', '<->');
cmp_ok($r, '>=', 0.95, "recall\@10 after deletes, updates and VACUUM $r");
my $size1 = $node->safe_psql('postgres', "SELECT pg_relation_size('ins_idx')");
for my $round (1 .. 2) {
	$node->safe_psql('postgres', q{
		DELETE FROM ins WHERE id % 5 = 1;
		INSERT INTO ins SELECT id, v FROM syn_l2 WHERE id % 5 = 1 AND id < 40000 AND id % 3 <> 0;
		VACUUM ins;
	});
}
my $size2 = $node->safe_psql('postgres', "SELECT pg_relation_size('ins_idx')");
cmp_ok($size2, '<=', $size1 * 1.1, "index size stable under churn ($size1 -> $size2)");
$r = recall('ins', '<->');
cmp_ok($r, '>=', 0.95, "recall\@10 after churn $r");

# Filtered iterative scan returns k rows when k exist.
$node->safe_psql('postgres', q{
	CREATE TABLE filt AS SELECT id, id % 50 AS category, v FROM syn_l2;
	CREATE INDEX ON filt USING hnsw (v vector_l2_ops);
	ANALYZE filt;
});
my $q = q{SET enable_seqscan = off; SELECT count(*) FROM (SELECT id FROM filt WHERE category = 3 ORDER BY v <-> (SELECT v FROM syn_l2_q WHERE id = 0) LIMIT 10) s};
my $off = $node->safe_psql('postgres', $q);
cmp_ok($off, '<', 10, "without iterative scan a 1/50 filter finds fewer than 10 rows ($off)");
is($node->safe_psql('postgres', "SET hnsw.iterative_scan = relaxed_order; $q"), '10', 'relaxed_order iterative scan returns 10 rows');
is($node->safe_psql('postgres', "SET hnsw.iterative_scan = strict_order; $q"), '10', 'strict_order iterative scan returns 10 rows');

$node->stop;
done_testing();
