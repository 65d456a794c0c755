# Cancellation: statement_timeout and pg_cancel_backend stop a build, a scan
# and a VACUUM of every access method (hnsw, ivf, ivfflat, binary) within a
# second, and leave a usable index (or none, for a build).
#
# Each operation runs in its own session on data large enough that it takes
# several seconds. Latencies are measured on the server: for pg_cancel_backend
# from the signal to the moment the victim's backend goes idle; for
# statement_timeout from query_start + timeout to that moment
# (pg_stat_activity.state_change). The assertion allows 2 s for a loaded
# 2-core box; the measured figures are printed (diag).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time usleep);

my $limit = 2.0;
my $node = PostgreSQL::Test::Cluster->new('cancel');
$node->init;
$node->append_conf('postgresql.conf',
	"autovacuum = off\nmaintenance_work_mem = 1GB\nmax_parallel_maintenance_workers = 1\nshared_buffers = 256MB");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION vector_ext;
	SELECT setseed(0.152);
	CREATE UNLOGGED TABLE base AS SELECT i AS id, (SELECT array_agg(random()::real) FROM generate_series(1, 32) WHERE i > 0)::vector(32) AS v
		FROM generate_series(1, 2000) i;
	-- 1M rows for the builds (sums of two random vectors: distinct, cheap to make).
	CREATE UNLOGGED TABLE big AS SELECT b.id * 1000 + p.id AS id, (b.v + p.v)::vector(32) AS v FROM base b, base p WHERE p.id <= 500;
	CREATE TABLE q AS SELECT id, v FROM base WHERE id <= 400;
	-- The latency of the end of a victim's statement: after pg_cancel_backend
	-- (cancel = true) or after query_start + timeout; waits for it to end.
	CREATE FUNCTION end_latency(p int, q text, cancel bool, timeout float8) RETURNS float8 LANGUAGE plpgsql AS $$
	DECLARE t0 timestamptz; st text; qs timestamptz; sc timestamptz; cur text;
	BEGIN
		t0 := clock_timestamp();
		IF cancel THEN PERFORM pg_cancel_backend(p); END IF;
		LOOP
			PERFORM pg_stat_clear_snapshot();
			SELECT state, query_start, state_change, query INTO st, qs, sc, cur FROM pg_stat_activity WHERE pid = p;
			EXIT WHEN st IS DISTINCT FROM 'active' OR cur IS DISTINCT FROM q OR clock_timestamp() - t0 > interval '60 s';
			PERFORM pg_sleep(0.005);
		END LOOP;
		IF NOT cancel THEN t0 := qs + timeout * interval '1 s'; END IF;
		RETURN extract(epoch FROM coalesce(sc, clock_timestamp()) - t0);
	END $$;
});

my $n = 0;
my %lat;
# Runs $sql in a victim session; with $phase_sql (a query on the victim's
# pid returning true when it is in the phase to interrupt) it sends
# pg_cancel_backend $delay s after that, else statement_timeout = $timeout.
# Returns (latency, stderr of the victim).
sub victim {
	my (%a) = @_;
	my $app = 'victim_' . ++$n;
	# Separate -c commands: VACUUM cannot share a query string.
	my @pre = map { ('-c', $_) } grep { $_ } ($a{setup}, $a{timeout} ? "SET statement_timeout = '$a{timeout}s'" : '');
	my ($in, $out, $err) = ('', '', '');
	my $h = IPC::Run::start(
		[ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('postgres') . " application_name=$app",
			@pre, '-c', $a{sql} ],
		\$in, \$out, \$err);
	my $pid = '';
	my $deadline = time + 120;
	while ($pid eq '' && time < $deadline) {
		$pid = $node->safe_psql('postgres', "SELECT pid FROM pg_stat_activity WHERE application_name = '$app' AND state = 'active' AND query = \$q\$$a{sql}\$q\$");
		usleep(20_000) if $pid eq '';
	}
	die "victim $app did not start: $err" if $pid eq '';
	my $phase = '';
	if ($a{phase_sql}) {
		my $sql = $a{phase_sql} =~ s/\$pid/$pid/gr;
		until ($node->safe_psql('postgres', "SELECT coalesce(($sql), false)") eq 't' || time > $deadline) {
			usleep(20_000);
		}
		usleep(int($a{delay} * 1e6));
		$phase = $node->safe_psql('postgres', $a{phase_name} =~ s/\$pid/$pid/gr) if $a{phase_name};
	}
	my $l = $node->safe_psql('postgres',
		"SELECT end_latency($pid, \$q\$$a{sql}\$q\$, " . ($a{timeout} ? 'false' : 'true') . ", " . ($a{timeout} // 0) . ")");
	$h->finish;
	return ($l, $err, $phase);
}

sub record {
	my ($what, $l, $err, $how, $phase) = @_;
	my $msg = $how eq 'timeout' ? qr/canceling statement due to statement timeout/ : qr/canceling statement due to user request/;
	like($err, $msg, "$what: $how cancels it" . ($phase ? " (in phase '$phase')" : ''));
	cmp_ok($l, '<', $limit, sprintf('%s: %s lands in %.3f s', $what, $how, $l));
	$lat{$what}{$how} = $l;
}

# Builds on 1M rows, sized to take several seconds on an idle 2-core machine
# (ivf: 2000 lists, so k-means and assignment are long; 100 lists finished
# inside a 1 s timeout).
my @builds = (
	[ 'hnsw',    'hnsw',     'WITH (m = 16, ef_construction = 64)', 'building graph' ],
	[ 'ivf',     'ivf',      'WITH (lists = 2000)',                  'assigning tuples' ],
	[ 'ivfflat', 'ivfflat',  'WITH (lists = 1000)',                  'performing k-means' ],
	[ 'binary',  '"binary"', "WITH (compression_level = '1x')",      'loading tuples' ],
);
for my $b (@builds) {
	my ($name, $am, $with, $phase) = @$b;
	my $sql = "CREATE INDEX big_$name ON big USING $am (v vector_l2_ops) $with";
	# A binary build of 1M rows is one short pass (0.3-2.5 s, with the
	# machine's speed and load): time one, then cancel a third of the way in.
	my $early = $name eq 'binary';
	my ($timeout, $delay) = (1, 0.2);
	if ($early) {
		my $t0 = time;
		$node->safe_psql('postgres', $sql);
		my $full = time - $t0;
		$node->safe_psql('postgres', "DROP INDEX big_$name");
		($timeout, $delay) = (sprintf('%.3f', $full / 3), $full / 10);
		note(sprintf('binary build: %.3f s uncancelled', $full));
	}
	my ($l, $err) = victim(sql => $sql, timeout => $timeout);
	record("$name build", $l, $err, 'timeout');
	# A build that beat its cancel fails above; drop it so the next case
	# still measures a cancel.
	$node->safe_psql('postgres', "DROP INDEX IF EXISTS big_$name");
	my $ph;
	($l, $err, $ph) = victim(sql => $sql,
		phase_sql => "SELECT phase LIKE '%$phase' FROM pg_stat_progress_create_index WHERE pid = \$pid", delay => $delay,
		phase_name => "SELECT phase FROM pg_stat_progress_create_index WHERE pid = \$pid");
	record("$name build", $l, $err, 'pg_cancel_backend', $ph);
	is($node->safe_psql('postgres', "SELECT count(*) FROM pg_class WHERE relname = 'big_$name'"), '0', "$name build: no index left behind");
}

# Scans and VACUUM: one 30k-row table per AM.
my @small = (
	[ 'hnsw',    'hnsw',     'WITH (m = 16, ef_construction = 32)' ],
	[ 'ivf',     'ivf',      'WITH (lists = 50)' ],
	[ 'ivfflat', 'ivfflat',  'WITH (lists = 50)' ],
	[ 'binary',  '"binary"', "WITH (compression_level = '1x')" ],
);
for my $s (@small) {
	my ($name, $am, $with) = @$s;
	$node->safe_psql('postgres', "CREATE TABLE s_$name AS SELECT id, v FROM big WHERE id % 33 = 0;
		CREATE INDEX s_${name}_idx ON s_$name USING $am (v vector_l2_ops) $with; VACUUM ANALYZE s_$name");
}
my $scan_gucs = 'SET enable_seqscan = off; SET hnsw.iterative_scan = relaxed_order; SET hnsw.max_scan_tuples = 100000000;
	SET ivf.probes = 50; SET ivfflat.probes = 50;';
for my $s (@small) {
	my $name = $s->[0];
	# Full ordered scans of the table for each of 400 queries.
	my $sql = "SELECT count(*) FROM q, LATERAL (SELECT t.id FROM s_$name t ORDER BY t.v <-> q.v LIMIT 100000) x";
	my $plan = $node->safe_psql('postgres', "$scan_gucs EXPLAIN (COSTS OFF) $sql");
	like($plan, qr/Index Scan using s_${name}_idx/, "$name scan: the query uses the index");
	my ($l, $err) = victim(setup => $scan_gucs, sql => $sql, timeout => 1);
	record("$name scan", $l, $err, 'timeout');
	($l, $err) = victim(setup => $scan_gucs, sql => $sql,
		phase_sql => "SELECT now() - query_start > interval '1 s' FROM pg_stat_activity WHERE pid = \$pid", delay => 0);
	record("$name scan", $l, $err, 'pg_cancel_backend');
}

# VACUUM after deleting half the rows. ivf, ivfflat and binary clean a page in
# microseconds, so their VACUUM runs with a cost-based delay to stay several
# seconds in the index phase; hnsw's repair is slow by itself.
for my $s (@small) {
	my $name = $s->[0];
	# Rows to remove before each attempt (a cancelled VACUUM may have done
	# part of the work).
	$node->safe_psql('postgres', "DELETE FROM s_$name WHERE id % 4 = 0");
	my $setup = $name eq 'hnsw' ? '' : "SET vacuum_cost_delay = '2ms'; SET vacuum_cost_limit = 20;";
	my ($l, $err) = victim(setup => $setup, sql => "VACUUM s_$name", timeout => 1);
	record("$name VACUUM", $l, $err, 'timeout');
	my $ph;
	$node->safe_psql('postgres', "DELETE FROM s_$name WHERE id % 4 = 1");
	($l, $err, $ph) = victim(setup => $setup, sql => "VACUUM s_$name",
		phase_sql => "SELECT phase = 'vacuuming indexes' FROM pg_stat_progress_vacuum WHERE pid = \$pid", delay => 0.3,
		phase_name => "SELECT phase FROM pg_stat_progress_vacuum WHERE pid = \$pid");
	record("$name VACUUM", $l, $err, 'pg_cancel_backend', $ph);
}

# Afterwards every index is usable: it passes the check before and after a
# VACUUM that runs to its end, and answers like a sequential scan.
for my $s (@small) {
	my $name = $s->[0];
	is($node->safe_psql('postgres', "SELECT vector_ext_index_check('s_${name}_idx', true)"), '', "$name: the check passes after the cancels");
	$node->safe_psql('postgres', "VACUUM s_$name");
	is($node->safe_psql('postgres', "SELECT vector_ext_index_check('s_${name}_idx', true)"), '', "$name: the check passes after a full VACUUM");
	my $sql = "SELECT string_agg(id::text, ',' ORDER BY id) FROM (SELECT t.id FROM s_$name t ORDER BY t.v <-> (SELECT v FROM q WHERE id = 7) LIMIT 100000) x";
	is($node->safe_psql('postgres', "$scan_gucs $sql"), $node->safe_psql('postgres', "SET enable_indexscan = off; $sql"),
		"$name: a full index scan returns every row");
}

diag(sprintf("%-16s %10s %18s", 'cancel latency', 'timeout', 'pg_cancel_backend'));
for my $what (sort keys %lat) {
	diag(sprintf("%-16s %9.3fs %17.3fs", $what, $lat{$what}{timeout}, $lat{$what}{pg_cancel_backend}));
}
$node->stop;
done_testing();
