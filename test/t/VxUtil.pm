# Helpers shared by the TAP recall tests: data sets from ../shared as COPY
# files, top-k through an index or exactly, recall@k, ground truth files.
package VxUtil;
use strict;
use warnings;
use Exporter 'import';
use PostgreSQL::Test::Utils;

our @EXPORT = qw(fvecs_to_tsv load_vectors groundtruth);

my $py = '/usr/bin/python3';
my $conv;

# fvecs -> "id<TAB>[x,...]" lines for COPY (first n rows; all when n = 0).
# %.9g keeps every float32 exactly, so exact search in SQL agrees with the
# data set's ground truth.
sub fvecs_to_tsv {
	my ($fvecs, $out, $n) = @_;
	my $shared = $ENV{VX_SHARED} or die 'VX_SHARED not set';
	unless ($conv) {
		$conv = PostgreSQL::Test::Utils::tempdir . '/conv.py';
		open(my $fh, '>', $conv) or die "$conv: $!";
		print $fh <<'PY';
import sys
sys.path.insert(0, sys.argv[4])
import vecs
a = vecs.read_fvecs(sys.argv[1])
n = int(sys.argv[3]) or len(a)
with open(sys.argv[2], 'w') as f:
    for i, v in enumerate(a[:n]):
        f.write('%d\t[%s]\n' % (i, ','.join('%.9g' % x for x in v)))
PY
		close $fh;
	}
	system($py, $conv, $fvecs, $out, $n, "$shared/tools") == 0 or die "converting $fvecs";
	return $out;
}

# Tables $t (base) and ${t}_q (queries), (id int, v vector(dim)), from COPY files.
sub load_vectors {
	my ($node, $t, $dim, $base, $query) = @_;
	$node->safe_psql('postgres', qq{
		CREATE TABLE $t (id int, v vector($dim));
		CREATE TABLE ${t}_q (id int, v vector($dim));
		COPY $t FROM '$base';
		COPY ${t}_q FROM '$query';
		ANALYZE $t;
	});
}

# Top-k ids per query id of ${t}_q: through an index (seq scans off) or, with
# exact => 1, exactly (index scans off). Options: where (a WHERE clause on the
# base rows, alias b), set (SQL run first, e.g. SET ivf.probes), k (10).
sub topk {
	my ($node, $t, $op, %o) = @_;
	my $where = $o{where} // '';
	my $k = $o{k} // 10;
	my $mode = $o{exact} ? 'SET enable_indexscan = off; SET enable_bitmapscan = off;' : 'SET enable_seqscan = off;';
	my $out = $node->safe_psql('postgres', qq{
		$mode @{[ $o{set} // '' ]}
		SELECT q.id, array(SELECT b.id FROM $t b $where ORDER BY b.v $op q.v LIMIT $k) FROM ${t}_q q ORDER BY q.id;
	});
	my %r;
	for (split /\n/, $out) {
		my ($q, $ids) = split /\|/;
		$ids =~ s/[{}]//g;
		$r{$q} = [ split /,/, $ids ];
	}
	return \%r;
}

# recall@k of the index against exact search (same options as topk).
sub recall {
	my ($node, $t, $op, %o) = @_;
	my $got = topk($node, $t, $op, %o, exact => 0);
	my $want = topk($node, $t, $op, %o, exact => 1);
	my ($hits, $total) = (0, 0);
	for my $q (keys %$want) {
		my %w = map { $_ => 1 } @{ $want->{$q} };
		$hits += grep { $w{$_} } @{ $got->{$q} // [] };
		$total += scalar @{ $want->{$q} };
	}
	return $total ? $hits / $total : 0;
}

# The first k ids of each of the first n rows of an ivecs ground truth file.
sub groundtruth {
	my ($file, $n, $k) = @_;
	open(my $g, '<:raw', $file) or die "$file: $!";
	my @gt;
	for my $q (0 .. $n - 1) {
		read($g, my $d, 4) == 4 or die "short $file";
		my $dim = unpack('l<', $d);
		read($g, my $ids, 4 * $dim) == 4 * $dim or die "short $file";
		push @gt, [ (unpack("l<$dim", $ids))[ 0 .. $k - 1 ] ];
	}
	return \@gt;
}

1;
