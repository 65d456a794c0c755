# ivf recall@10 with quantized lists (every level) and product quantization on
# mnist-784-l2 and a 50k clustered set; inserts into a quantized index.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use VxUtil;

my $shared = $ENV{VX_SHARED} or plan skip_all => 'VX_SHARED not set';
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $py = '/usr/bin/python3';

my $node = PostgreSQL::Test::Cluster->new('ivf_quant');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 256MB\nmaintenance_work_mem = 512MB\nmax_parallel_maintenance_workers = 1");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION vector_ext');

# Tables $t and ${t}_q from COPY files (VxUtil).
sub load { load_vectors($node, @_) }

# SET commands run before every top-k query (the index's probes).
our $extra;

# recall@10 of the index against exact search (VxUtil), after $extra.
sub recall { my ($t, $op, $where) = @_; VxUtil::recall($node, $t, $op, where => $where, set => $extra) }

# mnist-784-l2 (9000 rows, 100 queries), lists = 30, ivf.probes = 10, and a
# 50k x 64 clustered l2 set (default lists and probes): recall@10 of every
# on_disk compression level (rescored with the level's default oversample),
# 4x in_memory (no rescoring), and product quantization (rescored).
my $m = "$shared/data/mnist-784-l2";
load('mnist', 784, fvecs_to_tsv("$m/base.fvecs", "$tmp/mnist.tsv", 0), fvecs_to_tsv("$m/query.fvecs", "$tmp/mnist_q.tsv", 100));
my $dir = "$tmp/syn";
system($py, "$shared/tools/make_synthetic.py", '--rows', 50000, '--dim', 64, '--metric', 'l2',
	'--queries', 100, '--k', 10, '--out', $dir) == 0 or die 'make_synthetic';
load('syn', 64, fvecs_to_tsv("$dir/base.fvecs", "$dir/base.tsv", 0), fvecs_to_tsv("$dir/query.fvecs", "$dir/query.tsv", 0));

my %min = ('on_disk 2x' => 0.95, 'on_disk 4x' => 0.95, 'on_disk 8x' => 0.95, 'on_disk 16x' => 0.9,
	'on_disk 32x' => 0.8, 'in_memory 4x' => 0.9, 'pq' => 0.9);
for my $set (['mnist', 'WITH (lists = 30', 'SET ivf.probes = 10;', 16], ['syn', 'WITH (lists = 50', '', 8]) {
	my ($t, $with, $probes, $pq) = @$set;
	$extra = $probes;
	for my $cfg (['on_disk 2x', "mode = on_disk, compression_level = '2x'"], ['on_disk 4x', "mode = on_disk, compression_level = '4x'"],
		['on_disk 8x', "mode = on_disk, compression_level = '8x'"], ['on_disk 16x', "mode = on_disk, compression_level = '16x'"],
		['on_disk 32x', "mode = on_disk"], ['in_memory 4x', "compression_level = '4x'"], ['pq', "pq_m = $pq"]) {
		my ($name, $opts) = @$cfg;
		$node->safe_psql('postgres', "CREATE INDEX ${t}_qi ON $t USING ivf (v vector_l2_ops) $with, $opts)");
		my $r = recall($t, '<->');
		cmp_ok($r, '>=', $min{$name}, "$t $name recall\@10 $r");
		$node->safe_psql('postgres', "DROP INDEX ${t}_qi");
	}
}

# Inserts into a quantized index are encoded with its quantizer; rescoring keeps order exact.
$extra = '';
$node->safe_psql('postgres', q{
	CREATE TABLE ins (id int, v vector(64));
	CREATE TABLE ins_q AS SELECT * FROM syn_q;
	INSERT INTO ins SELECT * FROM syn WHERE id < 30000;
	CREATE INDEX ins_idx ON ins USING ivf (v vector_l2_ops) WITH (mode = on_disk, compression_level = '8x');
	INSERT INTO ins SELECT * FROM syn WHERE id >= 30000 AND id < 40000;
	DELETE FROM ins WHERE id % 3 = 0;
	VACUUM ins;
});
my $r = recall('ins', '<->');
cmp_ok($r, '>=', 0.95, "8x recall\@10 after 10k inserts, deletes and VACUUM $r");
my $size = $node->safe_psql('postgres', "SELECT pg_relation_size('ins_idx') < pg_relation_size('ins') / 3");
is($size, 't', '8x lists are much smaller than the table');
is($node->safe_psql('postgres', "SELECT vector_ext_index_check('ins_idx', heapallindexed => true)"), '', 'index check passes');

$node->stop;
done_testing();
