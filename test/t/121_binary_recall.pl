# binary access method on mnist-784-l2 (all 9000 base rows, 100 queries):
# recall@10 of the default 32x codes with the default oversample (3.0, so
# 300 candidates rescored per pass), rows in exact distance order, rescoring
# off is worse, other levels, inserts after the build, more rows than one
# pass yields, and vector_ext_index_check with heapallindexed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use VxUtil;

my $shared = $ENV{VX_SHARED} or plan skip_all => 'VX_SHARED not set';
plan skip_all => "no data sets under $shared" unless -d "$shared/data/mnist-784-l2";
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $py = '/usr/bin/python3';

my $node = PostgreSQL::Test::Cluster->new('binary_recall');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 256MB\nmaintenance_work_mem = 256MB\njit = off");
$node->start;
my $m = "$shared/data/mnist-784-l2";
my ($base, $query) = (fvecs_to_tsv("$m/base.fvecs", "$tmp/mnist.tsv", 0), fvecs_to_tsv("$m/query.fvecs", "$tmp/mnist_q.tsv", 100));
$node->safe_psql('postgres', qq{
	CREATE EXTENSION vector_ext;
	CREATE TABLE mnist (id int, v vector(784));
	CREATE TABLE mnist_q (id int, v vector(784));
	COPY mnist FROM '$base';
	COPY mnist_q FROM '$query';
	ANALYZE mnist;
});
my $gt = groundtruth("$m/groundtruth.ivecs", 100, 10);

# recall@10 against ground truth and rows out of distance order.
sub check {
	my ($t, $set) = @_;
	$set //= '';
	my $out = $node->safe_psql('postgres', qq{
		SET enable_seqscan = off; $set
		SELECT q.id, array(SELECT b.id FROM $t b ORDER BY b.v <-> q.v LIMIT 10),
		       array(SELECT b.v <-> q.v FROM $t b ORDER BY b.v <-> q.v LIMIT 10)
		FROM mnist_q q ORDER BY q.id;
	});
	my ($hits, $total, $disorder) = (0, 0, 0);
	for (split /\n/, $out) {
		my ($q, $i, $d) = split /\|/;
		s/[{}]//g for ($i, $d);
		my %w = map { $_ => 1 } @{ $gt->[$q] };
		$hits += grep { $w{$_} } split /,/, $i;
		$total += 10;
		my @d = split /,/, $d;
		for my $j (1 .. $#d) { $disorder++ if $d[$j] < $d[ $j - 1 ]; }
	}
	return ($hits / $total, $disorder);
}

$node->safe_psql('postgres', 'CREATE INDEX mnist_idx ON mnist USING "binary" (v vector_l2_ops)');
is($node->safe_psql('postgres', "SELECT compression_level || ' ' || encoding || ' ' || oversample || ' ' || rescore FROM vector_ext_index_info('mnist_idx')"),
	'32x bq1 3 true', 'default: 32x binary codes, oversample 3, rescoring');
my $plan = $node->safe_psql('postgres', q{SET enable_seqscan = off;
	EXPLAIN (COSTS OFF) SELECT id FROM mnist ORDER BY v <-> (SELECT v FROM mnist_q WHERE id = 0) LIMIT 10});
like($plan, qr/Index Scan using mnist_idx/, 'the query uses the index');
my ($r, $disorder) = check('mnist');
cmp_ok($r, '>=', 0.95, "32x recall\@10 $r with the default oversample");
is($disorder, 0, '32x: rows in exact distance order');
my ($off) = check('mnist', 'SET vector_ext.rescore = off;');
cmp_ok($off, '<', $r, "32x without rescoring ($off) is below rescored ($r)");
diag("mnist 32x recall\@10: $r rescored (default oversample), $off without rescoring");
my $size32 = $node->safe_psql('postgres', "SELECT pg_relation_size('mnist_idx')");
$node->safe_psql('postgres', 'SELECT vector_ext_index_check(\'mnist_idx\', true)');
pass('vector_ext_index_check(heapallindexed) passes');

# More rows than one pass: every row once.
is($node->safe_psql('postgres', q{SET enable_seqscan = off; SET vector_ext.binary_batch_size = 10;
	SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM mnist ORDER BY v <-> (SELECT v FROM mnist_q WHERE id = 1) LIMIT 2500) s}),
	'2500|2500', 'passes after the first continue without repeating rows');
$node->safe_psql('postgres', 'DROP INDEX mnist_idx');

# Other levels at their on_disk defaults, and 1x (exact).
for my $c (['1x', 1.0], ['4x', 0.95], ['8x', 0.95]) {
	my ($l, $floor) = @$c;
	$node->safe_psql('postgres', "CREATE INDEX mnist_$l ON mnist USING \"binary\" (v vector_l2_ops) WITH (mode = 'on_disk', compression_level = '$l')");
	my ($rl, $dl) = check('mnist');
	cmp_ok($rl, '>=', $floor, "$l recall\@10 $rl");
	diag("mnist $l recall\@10: $rl");
	is($dl, 0, "$l: rows in exact distance order");
	if ($l eq '1x') {
		my $size1 = $node->safe_psql('postgres', "SELECT pg_relation_size('mnist_$l')");
		cmp_ok($size32 * 20, '<=', $size1, "32x index ($size32 bytes) <= 1/20 of 1x ($size1)");
	}
	$node->safe_psql('postgres', "DROP INDEX mnist_$l");
}

# Inserts after the build use the trained quantizer: build on half, insert the rest.
$node->safe_psql('postgres', q{
	CREATE TABLE half (id int, v vector(784));
	INSERT INTO half SELECT * FROM mnist WHERE id % 2 = 0;
	CREATE INDEX half_idx ON half USING "binary" (v vector_l2_ops);
	INSERT INTO half SELECT * FROM mnist WHERE id % 2 = 1;
});
($r, $disorder) = check('half');
cmp_ok($r, '>=', 0.95, "32x after inserting half the rows: recall\@10 $r");
is($disorder, 0, 'rows in exact order after inserts');
is($node->safe_psql('postgres', "SELECT elements FROM vector_ext_index_info('half_idx')"), '9000',
	'vector_ext_index_info counts every entry');
$node->safe_psql('postgres', q{DELETE FROM half WHERE id % 5 = 0; VACUUM half;});
is($node->safe_psql('postgres', "SELECT elements FROM vector_ext_index_info('half_idx')"), '7200',
	'VACUUM removed the deleted rows');
$node->safe_psql('postgres', 'SELECT vector_ext_index_check(\'half_idx\', true)');
pass('vector_ext_index_check after VACUUM passes');

$node->stop;
done_testing();
