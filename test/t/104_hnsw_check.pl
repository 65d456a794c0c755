# vector_ext_index_check finds corruption written into index pages and names
# where; scans over a corrupted index end in an error, never a crash.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('hnsw_check');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE TABLE t (id int, v vector(4));
	INSERT INTO t SELECT i, ARRAY[random(), random(), random(), random()]::real[]::vector FROM generate_series(1, 3000) i;
	CREATE INDEX t_idx ON t USING hnsw (v vector_l2_ops) WITH (m = 16);
});
is($node->safe_psql('postgres', "SELECT vector_ext_index_check('t_idx', true)"), '', 'a healthy index passes');

my $pgdata = $node->data_dir;
my $file = $pgdata . '/' . $node->safe_psql('postgres', "SELECT pg_relation_filepath('t_idx')");
my $blcksz = 8192;
# Element slot 1 of block 1: 16-byte header (heap TID, level, flags, count0,
# upper ref), 2m = 32 neighbour ids, 16-byte code; slots sit from the special
# area (12 bytes, MAXALIGN 16) down.
my $slot = 16 + 4 * 32 + 16;
my $slot1 = $blcksz + $blcksz - 16 - $slot;

sub patch {
	my ($pos, $bytes) = @_;
	open(my $fh, '+<:raw', $file) or die "open $file: $!";
	seek($fh, $pos, 0);
	my $old;
	read($fh, $old, length $bytes);
	seek($fh, $pos, 0);
	print $fh $bytes;
	close $fh;
	return $old;
}

sub with_patch {
	my ($pos, $bytes, $sql) = @_;
	$node->stop;
	my $old = patch($pos, $bytes);
	$node->start;
	my ($ret, $out, $err) = $node->psql('postgres', $sql);
	$node->stop;
	patch($pos, $old);
	$node->start;
	return $err;
}

my $check = "SELECT vector_ext_index_check('t_idx', true)";
my $err = with_patch($slot1 + 16, pack('V', 0xFFFFFFF0), $check);
like($err, qr/hnsw index "t_idx" is corrupt at block 1, offset 1.*beyond the end/s, 'a neighbour id beyond the end is found');
$err = with_patch($slot1 + 7, pack('C', 0x40), $check);
like($err, qr/corrupt at block 1, offset 1.*Unknown slot flags/s, 'unknown slot flags are found');
$err = with_patch($slot1 + 7, pack('C', 0x01), $check);
like($err, qr/heap tuple \(\d+,\d+\) of table "t" is not in index "t_idx"/, 'heapallindexed finds a row the index lost');
$err = with_patch(0 + 24, pack('V', 0x12345678), $check);
like($err, qr/not an hnsw index of vector_ext|corrupt at block 0/, 'a bad metapage is found');
$err = with_patch(0 + 28, pack('V', 99), $check);
like($err, qr/page format version 99.*REINDEX INDEX t_idx/s, 'an unknown format version asks for REINDEX');

# Scans over a corrupted list: an error or rows, but the server stays up.
my $scan = "SET enable_seqscan = off; SET hnsw.iterative_scan = relaxed_order; SET hnsw.max_scan_tuples = 1000000;
	SELECT count(*) FROM (SELECT id FROM t ORDER BY v <-> '[0.5,0.5,0.5,0.5]' LIMIT 100000) s";
for my $bad (0xFFFFFFF0, 3, 100000) {
	with_patch($slot1 + 16, pack('V', $bad), $scan);
	is($node->safe_psql('postgres', 'SELECT 1'), '1', sprintf('server up after a scan over neighbour id 0x%x', $bad));
}
ok(!$node->log_contains('terminated by signal'), 'no backend crashed');
is($node->safe_psql('postgres', $check), '', 'the restored index passes again');
$node->stop;
done_testing();
