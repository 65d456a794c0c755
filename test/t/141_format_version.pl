# Page format versions (README "Upgrades"): an index whose metapage carries a
# version this build does not read (newer, or older than the oldest it reads)
# is refused by every access path (scan, insert, VACUUM, index_info,
# index_check) with an error whose hint is a REINDEX command that works; after
# it the index answers again. The same for every access method.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('format_version');
$node->init;
$node->start;

# The versions each AM reads, from its page.h.
my %range;
for my $am ('hnsw', 'ivf', 'binary') {
	my $h = slurp_file("$ENV{VX_SOURCE}/src/pg/$am/page.h");
	my ($new) = $h =~ /#define \U$am\E_FORMAT_VERSION (\d+)/;
	my ($old) = $h =~ /#define \U$am\E_OLDEST_READ_VERSION (\d+)/;
	ok(defined $new && defined $old && $old >= 1 && $old <= $new, "$am reads versions $old to $new");
	$range{$am} = [$old, $new];
}

# One table and index per access method; the binary one in a schema off the
# search path under a name that needs quotes, so the hint must qualify and quote.
$node->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	CREATE SCHEMA "other s";
	CREATE TABLE t (id int, v vector(4));
	INSERT INTO t SELECT i, ARRAY[sin(i), cos(i), sin(2 * i), cos(3 * i)]::real[]::vector FROM generate_series(1, 600) i;
	CREATE TABLE t_ivf (LIKE t); INSERT INTO t_ivf SELECT * FROM t;
	CREATE TABLE t_flat (LIKE t); INSERT INTO t_flat SELECT * FROM t;
	CREATE TABLE "other s".t_bin (LIKE t); INSERT INTO "other s".t_bin SELECT * FROM t;
	CREATE INDEX i_hnsw ON t USING hnsw (v vector_l2_ops);
	CREATE INDEX i_ivf ON t_ivf USING ivf (v vector_l2_ops) WITH (lists = 4, mode = 'on_disk');
	CREATE INDEX i_flat ON t_flat USING ivfflat (v vector_l2_ops) WITH (lists = 4);
	CREATE INDEX "Bin Idx" ON "other s".t_bin USING "binary" (v vector_l2_ops) WITH (compression_level = '8x');
});

# index => [AM whose page.h it follows, table, name in SQL, hint]
my @cases = (
	['i_hnsw', 'hnsw', 't', 'i_hnsw', 'REINDEX INDEX i_hnsw;'],
	['i_ivf', 'ivf', 't_ivf', 'i_ivf', 'REINDEX INDEX i_ivf;'],
	['i_flat', 'ivf', 't_flat', 'i_flat', 'REINDEX INDEX i_flat;'],
	['Bin Idx', 'binary', '"other s".t_bin', '"other s"."Bin Idx"', 'REINDEX INDEX "other s"."Bin Idx";'],
);

# The metapage is block 0; magic and version are its first two uint32s after
# the page header.
sub set_version {
	my ($sqlname, $version) = @_;
	my $file = $node->data_dir . '/' . $node->safe_psql('postgres', "SELECT pg_relation_filepath('$sqlname')");
	$node->stop;
	open(my $fh, '+<:raw', $file) or die "open $file: $!";
	seek($fh, 28, 0);
	print $fh pack('V', $version);
	close $fh;
	$node->start;
}

# Through the index (all lists probed, so exact) and by a sequential scan.
my $nearest = "SELECT id FROM %s ORDER BY v <-> '[0.5,0.5,0.5,0.5]' LIMIT 3";
my $by_index = 'SET enable_seqscan = off; SET ivf.probes = 4; SET ivfflat.probes = 4; ' . $nearest;
my $by_seqscan = 'SET enable_indexscan = off; SET enable_bitmapscan = off; ' . $nearest;
my $deleted = 600;
# README's check of every index of the extension.
my $check_all = q{
DO $$
DECLARE i regclass;
BEGIN
  FOR i IN SELECT c.oid FROM pg_class c JOIN pg_am a ON a.oid = c.relam
           WHERE a.amname IN ('hnsw', 'ivf', 'ivfflat', 'binary') LOOP
    BEGIN
      PERFORM vector_ext_index_check(i);
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING '%: %', i, SQLERRM;
    END;
  END LOOP;
END $$;
};

for my $case (@cases) {
	my ($name, $am, $table, $sqlname, $hint) = @$case;
	my ($oldest, $newest) = @{ $range{$am} };
	like($node->safe_psql('postgres', sprintf("SET enable_seqscan = off; EXPLAIN (COSTS OFF) $nearest", $table)),
		qr/Index Scan using "?\Q$name\E"? on/, "$name: the query uses the index");
	for my $bad ($newest + 1, $oldest - 1) {
		my $label = "$name at version $bad";
		set_version($sqlname, $bad);
		my %access = (
			scan => sprintf($by_index, $table),
			insert => "INSERT INTO $table VALUES (0, '[1,2,3,4]')",
			vacuum => "DELETE FROM $table WHERE id = @{[ $deleted-- ]}; VACUUM $table",
			index_info => "SELECT * FROM vector_ext_index_info('$sqlname')",
			index_check => "SELECT vector_ext_index_check('$sqlname')",
		);
		for my $what (sort keys %access) {
			my ($ret, $out, $err) = $node->psql('postgres', $access{$what});
			like($err, qr/\Q$am\E(flat)? index "\Q$name\E" has page format version $bad; this version of vector_ext reads version/,
				"$label: $what is refused");
			like($err, qr/HINT:\s+\Q$hint\E/, "$label: $what hints $hint");
		}
		my ($ret, $out, $err) = $node->psql('postgres', $check_all);
		like($err, qr/WARNING:  \Q$sqlname\E: \Q$am\E(flat)? index "\Q$name\E" has page format version $bad/,
			"$label: README's loop over all indexes names it");
		is(() = $err =~ /WARNING/g, 1, "$label: and no other index");
		$node->safe_psql('postgres', $hint);
		my $want = $node->safe_psql('postgres', sprintf($by_seqscan, $table));
		like($want, qr/^\d+\n\d+\n\d+$/, "$label: 3 nearest rows by a sequential scan");
		is($node->safe_psql('postgres', sprintf($by_index, $table)), $want, "$label: after the hint's REINDEX the index answers");
		is($node->safe_psql('postgres', "SELECT vector_ext_index_check('$sqlname', true)"), '',
			"$label: after the REINDEX the index passes the check");
	}
}
ok(!$node->log_contains('terminated by signal'), 'no backend crashed');
$node->stop;
done_testing();
