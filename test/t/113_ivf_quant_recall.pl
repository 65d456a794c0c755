# ivf recall@10 with quantized lists (every level) and product quantization on
# mnist-784-l2 and a 50k clustered set; inserts into a quantized index.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $shared = $ENV{VX_SHARED} or plan skip_all => 'VX_SHARED not set';
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $py = '/usr/bin/python3';

# fvecs -> "id<TAB>[x,...]" lines for COPY (first n rows; all when n = 0).
my $conv = "$tmp/conv.py";
open(my $fh, '>', $conv) or die;
print $fh <<'PY';
import sys
sys.path.insert(0, sys.argv[4])
import vecs
a = vecs.read_fvecs(sys.argv[1])
n = int(sys.argv[3]) or len(a)
with open(sys.argv[2], 'w') as f:
    for i, v in enumerate(a[:n]):
        f.write('%d\t[%s]\n' % (i, ','.join('%.6g' % x for x in v)))
PY
close $fh;

sub tsv {
	my ($fvecs, $out, $n) = @_;
	system($py, $conv, $fvecs, $out, $n, "$shared/tools") == 0 or die "conv $fvecs";
	return $out;
}

my $node = PostgreSQL::Test::Cluster->new('ivf_quant');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 256MB\nmaintenance_work_mem = 512MB\nmax_parallel_maintenance_workers = 1");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION vector_ext');

# Loads base (table $t) and queries ($t_q) from tsv files.
sub load {
	my ($t, $dim, $base, $query) = @_;
	$node->safe_psql('postgres', qq{
		CREATE TABLE $t (id int, v vector($dim));
		CREATE TABLE ${t}_q (id int, v vector($dim));
		COPY $t FROM '$base';
		COPY ${t}_q FROM '$query';
		ANALYZE $t;
	});
}

# SET commands run before every top-k query (the index's probes).
our $extra;

# Top-10 ids per query, with the index or exactly (index scans off).
sub topk {
	my ($t, $op, $exact, $where) = @_;
	$where //= '';
	my $set = ($extra // '') . ($exact ? 'SET enable_indexscan = off; SET enable_bitmapscan = off;' : 'SET enable_seqscan = off;');
	my $out = $node->safe_psql('postgres', qq{
		$set
		SELECT q.id, array(SELECT b.id FROM $t b $where ORDER BY b.v $op q.v LIMIT 10) FROM ${t}_q q ORDER BY q.id;
	});
	my %r;
	for (split /\n/, $out) {
		my ($q, $ids) = split /\|/;
		$ids =~ s/[{}]//g;
		$r{$q} = [ split /,/, $ids ];
	}
	return \%r;
}

# recall@10 of the index against exact search.
sub recall {
	my ($t, $op, $where) = @_;
	my $got = topk($t, $op, 0, $where);
	my $want = topk($t, $op, 1, $where);
	my ($hits, $total) = (0, 0);
	for my $q (keys %$want) {
		my %w = map { $_ => 1 } @{ $want->{$q} };
		$hits += grep { $w{$_} } @{ $got->{$q} // [] };
		$total += scalar @{ $want->{$q} };
	}
	return $total ? $hits / $total : 0;
}

# mnist-784-l2 (9000 rows, 100 queries), lists = 30, ivf.probes = 10, and a
# 50k x 64 clustered l2 set (default lists and probes): recall@10 of every
# on_disk compression level (rescored with the level's default oversample),
# 4x in_memory (no rescoring), and product quantization (rescored).
my $m = "$shared/data/mnist-784-l2";
load('mnist', 784, tsv("$m/base.fvecs", "$tmp/mnist.tsv", 0), tsv("$m/query.fvecs", "$tmp/mnist_q.tsv", 100));
my $dir = "$tmp/syn";
system($py, "$shared/tools/make_synthetic.py", '--rows', 50000, '--dim', 64, '--metric', 'l2',
	'--queries', 100, '--k', 10, '--out', $dir) == 0 or die 'make_synthetic';
load('syn', 64, tsv("$dir/base.fvecs", "$dir/base.tsv", 0), tsv("$dir/query.fvecs", "$dir/query.tsv", 0));

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
