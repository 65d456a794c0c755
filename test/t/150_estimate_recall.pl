# vector_ext_estimate_recall against a direct measurement of recall@10 over
# 1000 other query rows (the same rule: a returned row is a hit when its exact
# distance is at most the 10th exact distance): a good setting (hnsw,
# ef_search = 400) and a deliberately bad one (ivf, 200 lists, probes = 1).
# Each estimate's 95 % interval must contain the directly measured recall.
# Also: setseed makes the estimate repeatable, a cancel (statement_timeout)
# leaves no setting changed, and vector_ext_index_info's structure agrees
# with the table.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('estimate_recall');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 128MB\nmax_parallel_workers_per_gather = 0");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION vector_ext');

# 12000 rows around 40 random centres in 24 dimensions.
$node->safe_psql('postgres', q{
	SELECT setseed(0.42);
	CREATE TABLE centre AS SELECT g AS cid, ARRAY(SELECT random() * 2 - 1 + g * 0 FROM generate_series(1, 24)) AS c
		FROM generate_series(0, 39) g;
	CREATE TABLE t (id int, v vector(24));
	INSERT INTO t SELECT i, ARRAY(SELECT centre.c[j] + (random() - 0.5) * 0.8 FROM generate_series(1, 24) j)::real[]::vector
		FROM generate_series(1, 12000) i JOIN centre ON centre.cid = i % 40;
	ANALYZE t;
});

# Top-10 distances per query row (id % 12 = 5: 1000 rows), through the index
# ($set applied) or exactly; the exact ones are computed once.
my $topq = q{SELECT q.id, array(SELECT b.v <-> q.v FROM t b ORDER BY b.v <-> q.v LIMIT 10) FROM t q WHERE q.id % 12 = 5 ORDER BY q.id};
sub top10 {
	my ($set) = @_;
	return { map { split /\|/ } split /\n/, $node->safe_psql('postgres', "$set; $topq") };
}
my $want = top10('SET enable_indexscan = off; SET enable_bitmapscan = off');

# Directly measured recall@10 of the current index under $set.
sub direct_recall {
	my ($set) = @_;
	my $got = top10("$set; SET enable_seqscan = off");
	my ($sum, $n) = (0, 0);
	for my $id (keys %$want) {
		my @w = split /,/, ($want->{$id} =~ tr/{}//dr);
		my @g = split /,/, (($got->{$id} // '{}') =~ tr/{}//dr);
		my $hits = grep { $_ <= $w[-1] } @g;
		$hits = @w if $hits > @w;
		$sum += $hits / @w;
		$n++;
	}
	is($n, 1000, 'direct measurement ran 1000 queries');
	return $sum / $n;
}

# The function's estimate under $set ($samples samples, default 300; k = 10).
sub estimate {
	my ($index, $set, $samples) = @_;
	$samples //= 300;
	my ($recall, $low, $high, $sampled) = split /\|/, $node->safe_psql('postgres',
		"$set; SELECT setseed(0.7); SELECT recall, ci_low, ci_high, sampled FROM vector_ext_estimate_recall('$index', $samples, 10)");
	$recall =~ s/^\s+//;
	return ($recall, $low, $high, $sampled);
}

# hnsw with a large ef_search: recall close to 1.
$node->safe_psql('postgres', 'CREATE INDEX t_hnsw ON t USING hnsw (v vector_l2_ops)');
my $good_set = 'SET hnsw.ef_search = 400';
my $good_direct = direct_recall($good_set);
my ($good, $good_low, $good_high, $sampled) = estimate('t_hnsw', $good_set);
note "hnsw ef_search=400: estimate $good [$good_low, $good_high], direct $good_direct";
is($sampled, 300, '300 sampled queries');
cmp_ok($good, '>=', 0.98, "hnsw ef_search = 400: estimated recall $good");
cmp_ok($good_direct, '>=', 0.98, "hnsw ef_search = 400: direct recall $good_direct");
ok($good_low <= $good_direct && $good_direct <= $good_high,
	"interval [$good_low, $good_high] contains the direct recall $good_direct");

# The same seed gives the same estimate; the session's settings are measured.
my @first = estimate('t_hnsw', 'SET hnsw.ef_search = 10', 100);
my @again = estimate('t_hnsw', 'SET hnsw.ef_search = 10', 100);
is("@again", "@first", 'setseed makes the estimate repeatable');
cmp_ok($first[0], '<', $good, "hnsw.ef_search = 10 estimates lower recall ($first[0])");

my $info = $node->safe_psql('postgres', q{
	SELECT elements, (SELECT sum(x::bigint) FROM jsonb_array_elements_text(structure->'levels') x),
	       (SELECT sum(x::bigint) FROM jsonb_array_elements_text(structure->'layers'->0->'degree_histogram') x)
	FROM vector_ext_index_info('t_hnsw')});
is($info, '12000|12000|12000', 'hnsw info: levels and the layer-0 histogram count every element');
note $node->safe_psql('postgres', q{SELECT jsonb_pretty(to_jsonb(i) - 'structure') || E'\n' || (structure - 'layers')::text
	|| E'\n' || (structure->'layers'->0)::text FROM vector_ext_index_info('t_hnsw') i});
$node->safe_psql('postgres', 'DROP INDEX t_hnsw');

# ivf with many lists and one probe: clearly lower recall.
$node->safe_psql('postgres', q{CREATE INDEX t_ivf ON t USING ivf (v vector_l2_ops) WITH (lists = 200, mode = 'on_disk', compression_level = '4x')});
my $bad_set = 'SET ivf.probes = 1';
my $bad_direct = direct_recall($bad_set);
my ($bad, $bad_low, $bad_high) = estimate('t_ivf', $bad_set);
note "ivf lists=200 probes=1: estimate $bad [$bad_low, $bad_high], direct $bad_direct";
cmp_ok($bad, '<=', 0.85, "ivf probes = 1 of 200 lists: estimated recall $bad");
cmp_ok($bad, '<', $good - 0.1, 'clearly below the good setting');
ok($bad_low <= $bad_direct && $bad_direct <= $bad_high,
	"interval [$bad_low, $bad_high] contains the direct recall $bad_direct");
$info = $node->safe_psql('postgres', q{
	SELECT elements, round((structure->'list_size'->>'mean')::numeric * (structure->>'lists')::int),
	       structure->>'lists', quantizer->>'encoding'
	FROM vector_ext_index_info('t_ivf')});
is($info, '12000|12000|200|sq8', 'ivf info: list sizes add up to the entries');
note $node->safe_psql('postgres', q{SELECT structure::text || E'\n' || quantizer::text FROM vector_ext_index_info('t_ivf')});

# A cancel in the middle (statement_timeout) changes no setting.
my ($out, $err) = ('', '');
$node->psql('postgres', q{
	SET statement_timeout = '300ms';
	SELECT * FROM vector_ext_estimate_recall('t_ivf', 100000, 1000);
	RESET statement_timeout;
	SHOW enable_seqscan; SHOW enable_sort; SHOW ivf.probes;},
	stdout => \$out, stderr => \$err, on_error_stop => 0);
like($err, qr/canceling statement due to statement timeout/, 'a long estimate is cancellable');
is($out, "on\non\n10", 'and leaves the settings as they were');

$node->safe_psql('postgres', "SELECT vector_ext_index_check('t_ivf')");
$node->stop;
done_testing();
