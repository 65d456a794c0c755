# Scale-out with PostgreSQL's own engine: a coordinator whose table is hash
# partitioned into postgres_fdw foreign tables on 3 shard clusters. Checks that
# ORDER BY <distance> reaches every shard (EXPLAIN VERBOSE, Remote SQL), that
# each shard answers from its vector_ext index (auto_explain on the shards),
# that results equal a single-node table (exact settings) or keep its recall
# (glove-25, default settings), that inserts through the coordinator land on
# the right shard, and that a streaming standby of a shard answers the same.
#
# Access methods are a list (@AMS): each entry names its operator classes and
# the shard setting that makes its search exact (hnsw 1x/32x/4x, ivf 1x with
# every list probed, binary with its default 32x codes for vector columns and a
# large oversample); every check runs for each.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $shared = $ENV{VX_SHARED};
my $fdw = `pg_config --sharedir`;
chomp $fdw;
plan skip_all => 'postgres_fdw is not installed' unless -f "$fdw/extension/postgres_fdw.control";

my $DIM = 32;
my $BITS = 64;
my $ROWS = 2400;    # about 800 per shard: hnsw with ef_search 1000 is exact there
my $NSHARDS = 3;

# [column, operator class suffix, operator, rows compared by id (else by distance: ties)]
my @OPS = (
	[ 'v', 'vector_l2_ops', '<->', 1 ],
	[ 'v', 'vector_ip_ops', '<#>', 1 ],
	[ 'v', 'vector_cosine_ops', '<=>', 1 ],
	[ 'v', 'vector_l1_ops', '<+>', 1 ],
	[ 'bv', 'bytevector_l2_ops', '<->', 0 ],
	[ 'bv', 'bytevector_ip_ops', '<#>', 0 ],
	[ 'bv', 'bytevector_cosine_ops', '<=>', 0 ],
	[ 'bits', 'bitvector_hamming_ops', '<~>', 0 ],
	[ 'bits', 'bitvector_jaccard_ops', '<%>', 0 ],
);

# Index configurations: access method, index options, libpq options that make
# the shards' search exact (hnsw: ef_search >= rows of a shard; quantized codes
# are rescored on the shard against its own heap, so distances stay exact),
# and the operator classes it supports.
my @VEC = qw(vector_l2_ops vector_ip_ops vector_cosine_ops);
my @AMS = (
	{ am => 'hnsw', label => 'hnsw', with => '', exact => '-c hnsw.ef_search=1000', opclasses => [ map { $_->[1] } @OPS ] },
	{ am => 'hnsw', label => 'hnsw 32x', with => "WITH (mode = 'on_disk')", exact => '-c hnsw.ef_search=1000', opclasses => \@VEC },
	{ am => 'hnsw', label => 'hnsw 4x', with => "WITH (mode = 'on_disk', compression_level = '4x')", exact => '-c hnsw.ef_search=1000', opclasses => [ 'vector_l2_ops' ] },
	{ am => 'ivf', label => 'ivf', with => 'WITH (lists = 4)', exact => '-c ivf.probes=4', opclasses => [ map { $_->[1] } @OPS ] },
	{ am => '"binary"', label => 'binary', with => '', exact => '-c vector_ext.oversample_factor=100', opclasses => [ map { $_->[1] } @OPS ] },
);

my $coord = PostgreSQL::Test::Cluster->new('coord');
$coord->init;
$coord->append_conf('postgresql.conf', "max_parallel_workers_per_gather = 0\nshared_buffers = 64MB");
$coord->start;

my @shards;
for my $i (1 .. $NSHARDS) {
	my $s = PostgreSQL::Test::Cluster->new("shard$i");
	$s->init(allows_streaming => ($i == 1));
	# auto_explain shows which plan the shard ran for each remote cursor.
	$s->append_conf('postgresql.conf', qq{
shared_buffers = 64MB
max_parallel_workers_per_gather = 0
session_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = 0
auto_explain.log_verbose = on
});
	$s->start;
	push @shards, $s;
}

my $cols = "id bigint NOT NULL, cat int, v vector($DIM), bv bytevector($DIM), bits bitvector($BITS)";
for my $s (@shards) {
	$s->safe_psql('postgres', "CREATE EXTENSION vector_ext; CREATE TABLE items ($cols, PRIMARY KEY (id));");
}

# Sets the libpq options every shard connection starts with (e.g. the AM's
# search settings): GUCs set on the coordinator do not travel to the shards.
sub shard_options {
	my ($opts) = @_;
	my $sql = '';
	for my $i (1 .. $NSHARDS) {
		$sql .= "ALTER SERVER shard$i OPTIONS (SET options '$opts');\n";
	}
	$coord->safe_psql('postgres', $sql);
}

my $setup = qq{
	CREATE EXTENSION vector_ext;
	CREATE EXTENSION postgres_fdw;
	CREATE TABLE items ($cols) PARTITION BY HASH (id);
};
for my $i (1 .. $NSHARDS) {
	my ($s, $r) = ($shards[ $i - 1 ], $i - 1);
	my ($host, $port) = ($s->host, $s->port);
	$setup .= qq{
	CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
		OPTIONS (host '$host', port '$port', dbname 'postgres', extensions 'vector_ext',
		         fetch_size '100', batch_size '100', options '');
	CREATE USER MAPPING FOR CURRENT_USER SERVER shard$i;
	CREATE FOREIGN TABLE items_s$i PARTITION OF items FOR VALUES WITH (MODULUS $NSHARDS, REMAINDER $r)
		SERVER shard$i OPTIONS (table_name 'items');
};
}
$coord->safe_psql('postgres', $setup);

# The single-node reference (a local table) and the query vectors; rows go to
# the shards through the coordinator.
$coord->safe_psql('postgres', qq{
	SELECT setseed(0.25);
	CREATE TABLE single ($cols, PRIMARY KEY (id));
	INSERT INTO single SELECT i, i % 7,
		ARRAY(SELECT random()::real FROM generate_series(1, $DIM) WHERE i > 0)::vector,
		ARRAY(SELECT (random() * 255 - 128)::int FROM generate_series(1, $DIM) WHERE i > 0)::bytevector,
		(SELECT string_agg(CASE WHEN random() < 0.5 THEN '0' ELSE '1' END, '') FROM generate_series(1, $BITS) WHERE i > 0)::bitvector
		FROM generate_series(1, $ROWS) i;
	CREATE TABLE q AS SELECT * FROM single WHERE false;
	INSERT INTO q SELECT i, i % 7,
		ARRAY(SELECT random()::real FROM generate_series(1, $DIM) WHERE i > 0)::vector,
		ARRAY(SELECT (random() * 255 - 128)::int FROM generate_series(1, $DIM) WHERE i > 0)::bytevector,
		(SELECT string_agg(CASE WHEN random() < 0.5 THEN '0' ELSE '1' END, '') FROM generate_series(1, $BITS) WHERE i > 0)::bitvector
		FROM generate_series(1, 10) i;
	INSERT INTO items SELECT * FROM single;
	ANALYZE single;
});
my $counts = join ',', map { $_->safe_psql('postgres', 'SELECT count(*) FROM items') } @shards;
my $sum = 0;
$sum += $_ for split /,/, $counts;
is($sum, $ROWS, "every row landed on a shard ($counts)");

# Coordinator EXPLAIN VERBOSE for one operator (Test::More owns "explain").
sub remote_plan {
	my ($col, $op, $where) = @_;
	return $coord->safe_psql('postgres', qq{EXPLAIN (VERBOSE, COSTS OFF)
		SELECT id FROM items $where ORDER BY $col $op (SELECT $col FROM q WHERE id = 1) LIMIT 10});
}

# Top-10 of every query vector, as "qid|{id:distance,...}" lines (ids left out
# when ties make them arbitrary).
sub topk_sql {
	my ($table, $col, $op, $by_id, $where) = @_;
	my $item = $by_id ? "x.id || ':' || round((x.$col $op q.$col)::numeric, 4)" : "round((x.$col $op q.$col)::numeric, 4)";
	return "SELECT q.id, array(SELECT $item FROM $table x $where ORDER BY x.$col $op q.$col LIMIT 10) FROM q ORDER BY q.id;";
}

# Log text each shard wrote since the offsets in $from (auto_explain plans).
sub shard_logs_since {
	my ($from) = @_;
	return map { substr(slurp_file($shards[$_]->logfile), $from->[$_]) } 0 .. $#shards;
}
sub log_offsets { return [ map { -s $_->logfile } @shards ]; }

my $exact_single = 'SET enable_indexscan = off; SET enable_bitmapscan = off;';

# A streaming standby of shard 1: each configuration below is also queried
# with shard 1's server pointed at it.
$shards[0]->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('shard1_standby');
$standby->init_from_backup($shards[0], 'b', has_streaming => 1);
$standby->start;

for my $am (@AMS) {
	my $name = $am->{label};
	my %has = map { $_ => 1 } @{ $am->{opclasses} };
	my @ops = grep { $has{ $_->[1] } } @OPS;
	for my $s (@shards) {
		$s->safe_psql('postgres', join('', map { "CREATE INDEX items_$_->[1] ON items USING $am->{am} ($_->[0] $_->[1]) $am->{with};\n" } @ops) . 'ANALYZE items;');
	}
	# Exact settings on the shards; seqscan off so that even these small
	# shards answer from the index (the planner prefers a sort below a few
	# thousand rows; the glove-25 part below checks its own choice).
	shard_options("$am->{exact} -c enable_seqscan=off");

	for my $o (@ops) {
		my ($col, $opc, $op, $by_id) = @$o;
		for my $where ('', 'WHERE cat = 3') {
			my $plan = remote_plan($col, $op, $where);
			my $filter = $where ? 'WHERE \(\(cat = 3\)\) ' : '';
			my $pushed = () = $plan =~ /Remote SQL: SELECT [^\n]+? FROM public\.items ${filter}ORDER BY \($col OPERATOR\(public\.\Q$op\E\) \$1::public\.\w+(\(\d+\))?\) ASC NULLS LAST/g;
			my $label = $where ? " with $where" : '';
			is($pushed, $NSHARDS, "$name $opc$label: ORDER BY $col $op is sent to every shard")
				or diag $plan;
			ok($plan =~ /Merge Append/ && $plan !~ /->\s+Sort\b/, "$name $opc$label: the coordinator merges sorted shard streams");

			my $off = log_offsets();
			my $where_x = $where ? 'WHERE x.cat = 3' : '';
			my $got = $coord->safe_psql('postgres', topk_sql('items', $col, $op, $by_id, $where_x));
			my $want = $coord->safe_psql('postgres', $exact_single . topk_sql('single', $col, $op, $by_id, $where_x));
			is($got, $want, "$name $opc$label: 3 shards return the rows of a single node");
			my @logs = shard_logs_since($off);
			my $used = grep { /Index Scan using items_$opc on public\.items/ } @logs;
			is($used, $NSHARDS, "$name $opc$label: every shard answered from its $name index");
		}
	}

	# Without extensions 'vector_ext' postgres_fdw may not ship our operator:
	# the shard sends every row and the coordinator sorts.
	if ($am == $AMS[0]) {
		my ($host, $port) = ($shards[0]->host, $shards[0]->port);
		my $plan = $coord->safe_psql('postgres', qq{
			CREATE SERVER noext FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '$host', port '$port', dbname 'postgres');
			CREATE USER MAPPING FOR CURRENT_USER SERVER noext;
			CREATE FOREIGN TABLE items_noext ($cols) SERVER noext OPTIONS (table_name 'items');
			EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items_noext ORDER BY v <-> (SELECT v FROM q WHERE id = 1) LIMIT 10;
			DROP SERVER noext CASCADE;});
		ok($plan =~ /->\s+Sort\b/ && $plan !~ /Remote SQL:.*ORDER BY/, 'without extensions the ORDER BY stays on the coordinator');
	}

	# Inserts through the coordinator land on the shard the hash picks and are
	# found by the shard's index right away.
	$coord->safe_psql('postgres', qq{
		INSERT INTO items SELECT id + 100000, cat, l2_normalize(v), bv, bits FROM q;
	});
	my $where = $coord->safe_psql('postgres', 'SELECT id, tableoid::regclass FROM items WHERE id > 100000 ORDER BY id');
	my $ok = 1;
	for (split /\n/, $where) {
		my ($id, $part) = split /\|/;
		my ($n) = $part =~ /items_s(\d+)/;
		for my $i (1 .. $NSHARDS) {
			my $c = $shards[ $i - 1 ]->safe_psql('postgres', "SELECT count(*) FROM items WHERE id = $id");
			$ok = 0 if $c != ($i == $n ? 1 : 0);
		}
	}
	ok($ok && $where =~ tr/\n// == 9, "$name: rows inserted through the coordinator are on exactly the shard the hash picks");
	is($coord->safe_psql('postgres', 'SELECT bool_and((SELECT x.id FROM items x ORDER BY x.v <=> q.v LIMIT 1) = q.id + 100000) FROM q'),
		't', "$name: each inserted row is found as its own nearest neighbour through the coordinator");
	$coord->safe_psql('postgres', 'DELETE FROM items WHERE id > 100000');

	# The standby of shard 1 answers the same.
	$shards[0]->wait_for_catchup($standby, 'replay');
	my $sql = join '', map { topk_sql('items', $_->[0], $_->[2], $_->[3], '') } @ops;
	my $primary = $coord->safe_psql('postgres', $sql);
	my ($host, $port) = ($shards[0]->host, $shards[0]->port);
	$coord->safe_psql('postgres', sprintf("ALTER SERVER shard1 OPTIONS (SET host '%s', SET port '%s')", $standby->host, $standby->port));
	my $off = -s $standby->logfile;
	is($coord->safe_psql('postgres', $sql), $primary, "$name: with shard 1 served by its streaming standby the rows are the same");
	my $log = substr(slurp_file($standby->logfile), $off);
	my $used = grep { $log =~ /Index Scan using items_$_->[1] on public\.items/ } @ops;
	ok($used == @ops && $log !~ /Seq Scan on public\.items/, "$name: the standby answered every query from its index");
	$coord->safe_psql('postgres', "ALTER SERVER shard1 OPTIONS (SET host '$host', SET port '$port')");

	$_->safe_psql('postgres', join('', map { "DROP INDEX items_$_->[1];\n" } @ops)) for @shards;
}
$standby->stop;

# recall@10 on a real data set (glove-25, cosine, default settings): 3 shards
# against one node with the same index parameters, and the shards' planner
# picks the index by itself for the cursor postgres_fdw sends.
SKIP: {
	skip 'shared data (VX_SHARED) not found', 3 unless $shared && -d "$shared/data/glove-25";
	my $dir = "$shared/data/glove-25";
	my $tmp = PostgreSQL::Test::Utils::tempdir;
	open(my $fh, '>', "$tmp/conv.py") or die;
	print $fh <<'PY';
import sys
sys.path.insert(0, sys.argv[1] + '/tools')
import vecs
d = sys.argv[2]
for name, n in (('base', 0), ('query', 200)):
    a = vecs.read_fvecs(d + '/' + name + '.fvecs')
    with open(sys.argv[3] + '/' + name + '.tsv', 'w') as f:
        for i, v in enumerate(a[:n] if n else a):
            f.write('%d\t[%s]\n' % (i, ','.join('%.9g' % x for x in v)))
gt = vecs.read_ivecs(d + '/groundtruth.ivecs')[:200, :10]
with open(sys.argv[3] + '/gt.tsv', 'w') as f:
    for i, row in enumerate(gt):
        f.write('%d\t{%s}\n' % (i, ','.join(str(x) for x in row)))
PY
	close $fh;
	system('/usr/bin/python3', "$tmp/conv.py", $shared, $dir, $tmp) == 0 or die 'conv';
	for my $s (@shards) {
		$s->safe_psql('postgres', 'CREATE TABLE glove (id int PRIMARY KEY, v vector(25))');
	}
	my $sql = qq{
		CREATE TABLE glove (id int NOT NULL, v vector(25)) PARTITION BY HASH (id);
		CREATE TABLE glove_single (id int PRIMARY KEY, v vector(25));
		CREATE TABLE glove_q (id int, v vector(25));
		CREATE TABLE glove_gt (id int, ids int[]);
		COPY glove_single FROM '$tmp/base.tsv';
		COPY glove_q FROM '$tmp/query.tsv';
		COPY glove_gt FROM '$tmp/gt.tsv';
		CREATE INDEX ON glove_single USING hnsw (v vector_cosine_ops);
		ANALYZE glove_single;
	};
	for my $i (1 .. $NSHARDS) {
		my $r = $i - 1;
		$sql .= "CREATE FOREIGN TABLE glove_s$i PARTITION OF glove FOR VALUES WITH (MODULUS $NSHARDS, REMAINDER $r) SERVER shard$i OPTIONS (table_name 'glove');\n";
	}
	$sql .= 'INSERT INTO glove SELECT * FROM glove_single;';
	$coord->safe_psql('postgres', $sql);
	for my $s (@shards) {
		$s->safe_psql('postgres', 'CREATE INDEX glove_idx ON glove USING hnsw (v vector_cosine_ops); ANALYZE glove;');
	}
	shard_options('');
	my $recall = sub {
		my ($table) = @_;
		return $coord->safe_psql('postgres', qq{
			SELECT round(avg((SELECT count(*) FROM unnest(g.ids) t WHERE t = ANY (
				array(SELECT x.id FROM $table x ORDER BY x.v <=> q.v LIMIT 10))) / 10.0), 4)
			FROM glove_q q JOIN glove_gt g USING (id)});
	};
	my $off = log_offsets();
	my $sharded = $recall->('glove');
	my @logs = shard_logs_since($off);
	my $used = grep { /Index Scan using glove_idx/ && !/Seq Scan on public\.glove/ } @logs;
	is($used, $NSHARDS, 'glove-25: with default settings every shard plans an index scan for the remote cursor');
	my $single = $recall->('glove_single');
	cmp_ok($single, '>=', 0.8, "glove-25 single-node recall\@10 $single");
	diag "glove-25 recall\@10: 3 shards $sharded, single node $single";
	cmp_ok($sharded, '>=', $single - 0.01, "glove-25 recall\@10 on 3 shards $sharded (single node $single)");
}

$coord->stop;
$_->stop for @shards;
done_testing();
