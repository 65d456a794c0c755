# Crash torture: for a fixed seed and a bounded number of rounds, pgbench
# clients run concurrent inserts, updates of the vector column, deletes and
# VACUUM on an hnsw (1x, m = 4, and 32x), ivf (1x and 32x) and binary (32x) index;
# at a seeded random moment the whole server dies by SIGKILL (the postmaster
# and every backend at once, like a machine crash: WAL already written to the
# OS survives, nothing else does), restarts and recovers. Then, with no VACUUM
# in between (autovacuum is off), every index passes vector_ext_index_check
# with heapallindexed, and an index scan with an unbounded search budget
# returns exactly the rows a sequential scan sees, i.e. every committed row.
#
# Long variant: VX_TORTURE_ROUNDS=40 scripts/tap.sh test/t/171_crash_torture.pl
# (VX_TORTURE_SEED picks another seed).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time usleep);

my $seed = $ENV{VX_TORTURE_SEED} // 151;
my $rounds = $ENV{VX_TORTURE_ROUNDS} // 4;
srand($seed);
note("seed $seed, $rounds rounds");

my $node = PostgreSQL::Test::Cluster->new('torture');
$node->init;
$node->append_conf('postgresql.conf', "autovacuum = off\nmax_connections = 20");
$node->start;

my @cases = (
	[ 'hnsw_1x',    'hnsw',     "WITH (m = 8, ef_construction = 32)" ],
	# m = 4: full lists, so nearly every insert re-chooses lists and drops neighbours.
	[ 'hnsw_m4',    'hnsw',     "WITH (m = 4, ef_construction = 16)" ],
	[ 'hnsw_32x',   'hnsw',     "WITH (m = 8, ef_construction = 32, mode = 'on_disk')" ],
	[ 'ivf_1x',     'ivf',      "WITH (lists = 8)" ],
	[ 'ivf_32x',    'ivf',      "WITH (lists = 8, mode = 'on_disk')" ],
	[ 'binary_32x', '"binary"', "WITH (mode = 'on_disk')" ],
);
$node->safe_psql('postgres', qq{
	CREATE EXTENSION vector_ext;
	CREATE FUNCTION rv() RETURNS vector(16) VOLATILE LANGUAGE sql
		AS 'SELECT array_agg(random()::real)::vector(16) FROM generate_series(1, 16)';
	SELECT setseed(0.151);
	CREATE TABLE q AS SELECT i AS id, rv() AS v FROM generate_series(1, 2) i;
});
my $dir = PostgreSQL::Test::Utils::tempdir;
my @scripts;
for my $c (@cases) {
	my ($name, $am, $with) = @$c;
	$node->safe_psql('postgres', qq{
		CREATE TABLE t_$name (id serial PRIMARY KEY, v vector(16));
		INSERT INTO t_$name (v) SELECT rv() FROM generate_series(1, 1500);
		CREATE INDEX i_$name ON t_$name USING $am (v vector_l2_ops) $with;
	});
	my %body = (
		ins => "INSERT INTO t_$name (v) SELECT rv() FROM generate_series(1, 3);",
		upd => "\\set k random(1, 20000)\nUPDATE t_$name SET v = rv() WHERE id = :k;",
		del => "\\set k random(1, 20000)\nDELETE FROM t_$name WHERE id IN (SELECT id FROM t_$name WHERE id >= :k ORDER BY id LIMIT 4);",
		vac => "VACUUM t_$name;",
	);
	my %weight = (ins => 12, upd => 3, del => 4, vac => 1);
	for my $k (sort keys %body) {
		my $f = "$dir/${k}_$name.sql";
		open(my $fh, '>', $f) or die "$f: $!";
		print $fh "$body{$k}\n";
		close $fh;
		push @scripts, '-f', "$f\@$weight{$k}";
	}
}

# Ids an index scan returns with an unbounded budget, and ids in the heap.
sub index_ids {
	my ($name, $qid) = @_;
	return $node->safe_psql('postgres', qq{
		SET enable_seqscan = off; SET enable_bitmapscan = off;
		SET hnsw.iterative_scan = relaxed_order; SET hnsw.max_scan_tuples = 100000000; SET hnsw.ef_search = 1000;
		SET ivf.probes = 8;
		SELECT string_agg(id::text, ',' ORDER BY id) FROM
			(SELECT id FROM t_$name ORDER BY v <-> (SELECT v FROM q WHERE id = $qid) LIMIT 100000000) s});
}
sub heap_ids {
	my ($name) = @_;
	return $node->safe_psql('postgres', qq{SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;
		SELECT string_agg(id::text, ',' ORDER BY id) FROM t_$name});
}
sub diff_ids {
	my ($got, $want) = @_;
	my %g = map { $_ => 1 } split /,/, $got;
	my %w = map { $_ => 1 } split /,/, $want;
	my @missing = grep { !$g{$_} } sort { $a <=> $b } keys %w;
	my @extra = grep { !$w{$_} } sort { $a <=> $b } keys %g;
	return "missing [@missing[0 .. ($#missing < 9 ? $#missing : 9)]] (" . scalar(@missing) . "), extra ["
	  . "@extra[0 .. ($#extra < 9 ? $#extra : 9)]] (" . scalar(@extra) . ")";
}
my $plan = $node->safe_psql('postgres', "SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT id FROM t_hnsw_1x ORDER BY v <-> (SELECT v FROM q WHERE id = 1) LIMIT 100000000");
like($plan, qr/Index Scan using i_hnsw_1x/, 'the reachability scan uses the vector index');

my $t_start = time;
my $survived = 0;
for my $round (1 .. $rounds) {
	my ($in, $out, $err) = ('', '', '');
	my $bench = IPC::Run::start(
		[ 'pgbench', '-n', '-c', '4', '-T', '120', '--random-seed', $seed + $round, '--max-tries', '10',
			@scripts, $node->connstr('postgres') ],
		\$in, \$out, \$err);
	my $wait = 1 + rand(2);
	usleep(int($wait * 1e6));
	my $rows_before = $node->safe_psql('postgres', 'SELECT count(*) FROM t_hnsw_1x');

	# SIGKILL to the postmaster and all its children at the same moment.
	my $pm = $node->{_pid};
	die 'no postmaster pid' unless defined $pm && $pm > 1 && slurp_file("/proc/$pm/cmdline") =~ /postgres/;
	my @kids = grep { (proc_stat($_))[1] && (proc_stat($_))[1] == $pm } map { m{/proc/(\d+)$} ? $1 : () } glob('/proc/[0-9]*');
	kill 'KILL', $pm, @kids;
	$node->{_pid} = undef;
	note(sprintf('round %d: killed the server (%d backends) after %.2f s', $round, scalar @kids, $wait));
	$bench->finish;
	# Every killed process is gone (reaped: the new postmaster takes a
	# zombie's pid in postmaster.pid for a live server) before the restart.
	my $deadline = time + 60;
	for my $pid ($pm, @kids) {
		usleep(10_000) while -e "/proc/$pid" && time < $deadline;
	}
	$node->start;

	my $ok = 1;
	for my $c (@cases) {
		my $name = $c->[0];
		my $check = $node->psql('postgres', "SELECT vector_ext_index_check('i_$name', true)", stderr => \my $cerr);
		$ok &&= is($cerr, '', "round $round: $name passes the check with heapallindexed after crash recovery");
		my $heap = heap_ids($name);
		for my $qid (1) {
			my $got = index_ids($name, $qid);
			$ok &&= is($got eq $heap ? 'same' : diff_ids($got, $heap), 'same',
				"round $round: $name: an index scan (query $qid) returns every committed row");
		}
	}
	my $rows = $node->safe_psql('postgres', 'SELECT count(*) FROM t_hnsw_1x');
	note("round $round: t_hnsw_1x has $rows rows ($rows_before while the load ran)");
	$survived++ if $ok;
}
is($survived, $rounds, "$survived of $rounds crash rounds survived");
diag(sprintf("seed %d: %d of %d rounds survived in %.1f s", $seed, $survived, $rounds, time - $t_start));

# Fields of /proc/PID/stat after the command name: state, parent pid, ...
sub proc_stat {
	my ($pid) = @_;
	open(my $fh, '<', "/proc/$pid/stat") or return ();
	my $st = <$fh> // '';
	return split ' ', ($st =~ s/^.*\)//sr);
}

$node->stop;
done_testing();
