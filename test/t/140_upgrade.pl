# ALTER EXTENSION vector_ext UPDATE from the previous release, as a user meets
# it: a cluster runs the released library and SQL (scripts/release_pg.sh builds
# the git tag; tap.sh passes its bindir), tables of each type and an index of
# each access method (quantized ones too) are made there, then the same data
# directory starts under this build's library and the extension is updated.
# The indexes written by the old library must answer exactly, take inserts and
# pass the index check; the updated extension's catalog contents must equal a
# fresh install's, object by object (a new SQL object left out of the upgrade
# script, README "Upgrades", fails here); and the old SQL script must still load
# against this library (every C function it names exists).
use strict;
use warnings;
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $new = (slurp_file("$ENV{VX_SOURCE}/vector_ext.control") =~ /^default_version = '(.*)'/m)[0];
my $old = (slurp_file("$ENV{VX_SOURCE}/Makefile") =~ /^PREV_VERSION\s*=\s*(\S+)/m)[0];
my $release_bindir = $ENV{VX_RELEASE_BINDIR} or die "VX_RELEASE_BINDIR is not set: run through scripts/tap.sh, which builds $old from its git tag"
	. ' (scripts/release_pg.sh; see its message above)';
my $this_bindir = `pg_config --bindir`;
chomp $this_bindir;

my $node = PostgreSQL::Test::Cluster->new('upgrade', install_path => dirname($release_bindir));
$node->init;
$node->start;

$node->safe_psql('postgres', "CREATE EXTENSION vector_ext");
is($node->safe_psql('postgres', "SELECT extversion FROM pg_extension WHERE extname = 'vector_ext'"),
   $old, "the release's library installs $old");
# One column per index, so that each query can only use its own index.
# Values are deterministic (sines), rows 1..2000 now, 2001..2200 after the update.
my $rows = sub {
	my ($from, $to) = @_;
	return qq{
	INSERT INTO t SELECT i, v, v, v, v, v, v, v, bv, bv, bits, bits FROM (
		SELECT i,
			(SELECT array_agg(sin(i * 0.37 * k + k))::real[] FROM generate_series(1, 8) k)::vector AS v,
			(SELECT '[' || string_agg(round(100 * sin(i * 0.53 * k + 2 * k))::int::text, ',') || ']'
			   FROM generate_series(1, 8) k)::bytevector AS bv,
			(SELECT string_agg(CASE WHEN sin(i * 1.31 * k + k) > 0 THEN '1' ELSE '0' END, '')
			   FROM generate_series(1, 64) k)::bitvector AS bits
		FROM generate_series($from, $to) i) s;
	};
};
$node->safe_psql('postgres', qq{
	CREATE TABLE t (id int PRIMARY KEY,
		v_hnsw vector(8), v_hnsw_q vector(8), v_ivf vector(8), v_ivf_q vector(8),
		v_ivfflat vector(8), v_bin vector(8), v_bin_q vector(8),
		b_hnsw bytevector(8), b_bin bytevector(8), bits_hnsw bitvector(64), bits_bin bitvector(64));
	@{[ $rows->(1, 2000) ]}
	CREATE INDEX i_hnsw ON t USING hnsw (v_hnsw vector_l2_ops) WITH (m = 8);
	CREATE INDEX i_hnsw_q ON t USING hnsw (v_hnsw_q vector_cosine_ops) WITH (mode = 'on_disk');
	CREATE INDEX i_ivf ON t USING ivf (v_ivf vector_l2_ops) WITH (lists = 8);
	CREATE INDEX i_ivf_q ON t USING ivf (v_ivf_q vector_ip_ops) WITH (lists = 8, mode = 'on_disk', compression_level = '4x');
	CREATE INDEX i_ivfflat ON t USING ivfflat (v_ivfflat vector_l2_ops) WITH (lists = 8);
	CREATE INDEX i_bin ON t USING "binary" (v_bin vector_l1_ops);
	CREATE INDEX i_bin_q ON t USING "binary" (v_bin_q vector_cosine_ops) WITH (compression_level = '8x');
	CREATE INDEX i_b_hnsw ON t USING hnsw (b_hnsw bytevector_l2_ops);
	CREATE INDEX i_b_bin ON t USING "binary" (b_bin bytevector_ip_ops);
	CREATE INDEX i_bits_hnsw ON t USING hnsw (bits_hnsw bitvector_hamming_ops);
	CREATE INDEX i_bits_bin ON t USING "binary" (bits_bin bitvector_jaccard_ops);
});

# The same data directory under this build (the same PostgreSQL binaries; only
# the extension's files differ). Cluster.pm has no setter for install_path.
my $versions = "SELECT string_agg(version, ',' ORDER BY version) FROM pg_available_extension_versions WHERE name = 'vector_ext'";
is($node->safe_psql('postgres', $versions), $old, "the release's installation offers $old only");
$node->stop;
$node->{_install_path} = dirname($this_bindir);
$node->start;
like($node->safe_psql('postgres', $versions), qr/^(.*,)?\Q$new\E(,.*)?$/, "this build's installation offers $new");

# index => [column, operator]
my %indexes = (
	i_hnsw => ['v_hnsw', '<->'], i_hnsw_q => ['v_hnsw_q', '<=>'],
	i_ivf => ['v_ivf', '<->'], i_ivf_q => ['v_ivf_q', '<#>'], i_ivfflat => ['v_ivfflat', '<->'],
	i_bin => ['v_bin', '<+>'], i_bin_q => ['v_bin_q', '<=>'],
	i_b_hnsw => ['b_hnsw', '<->'], i_b_bin => ['b_bin', '<#>'],
	i_bits_hnsw => ['bits_hnsw', '<~>'], i_bits_bin => ['bits_bin', '<%>'],
);
# Search wide enough that every index answers exactly on 2200 rows.
my $wide = 'SET hnsw.ef_search = 1000; SET ivf.probes = 8; SET ivfflat.probes = 8;
	SET vector_ext.oversample_factor = 100;';

# The 10 nearest distances to row $q's value, through the index and by a
# sequential scan (distances, not ids, so that ties cannot differ).
sub check_queries {
	my ($label, @queries) = @_;
	for my $idx (sort keys %indexes) {
		my ($col, $op) = @{ $indexes{$idx} };
		for my $q (@queries) {
			my $sql = "SELECT string_agg(round(d::numeric, 4)::text, ',' ORDER BY d) FROM (
				SELECT $col $op (SELECT $col FROM t WHERE id = $q) AS d FROM t
				ORDER BY $col $op (SELECT $col FROM t WHERE id = $q) LIMIT 10) s";
			my $plan = $node->safe_psql('postgres', "SET enable_seqscan = off; EXPLAIN (COSTS OFF) $sql");
			like($plan, qr/Index Scan using $idx on t/, "$label: $idx is used");
			my $got = $node->safe_psql('postgres', "$wide SET enable_seqscan = off; $sql");
			my $want = $node->safe_psql('postgres', "SET enable_indexscan = off; SET enable_bitmapscan = off; $sql");
			ok($want =~ /^-?[\d.]+(,-?[\d.]+){9}$/, "$label: 10 exact distances for row $q");
			is($got, $want, "$label: $idx answers the query of row $q exactly");
		}
	}
}

check_queries("this library, still at $old", 17);
is($node->safe_psql('postgres', "SELECT path FROM pg_extension_update_paths('vector_ext')
	WHERE source = '$old' AND target = '$new'"), "$old--$new", "an update path $old -> $new exists");
$node->safe_psql('postgres', 'ALTER EXTENSION vector_ext UPDATE');
is($node->safe_psql('postgres', "SELECT extversion FROM pg_extension WHERE extname = 'vector_ext'"),
   $new, "updated to $new");
check_queries('after the update', 1234);
$node->safe_psql('postgres', $rows->(2001, 2200));
check_queries('after inserts', 2050, 2199);
for my $idx (sort keys %indexes) {
	is($node->safe_psql('postgres', "SELECT vector_ext_index_check('$idx', true)"), '', "$idx passes the index check");
}

# The extension's catalog contents, one line per fact, with names instead of OIDs.
my $catalog = q{
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'vector_ext'),
m AS (SELECT classid, objid, objsubid, pg_describe_object(classid, objid, objsubid) AS obj
	FROM pg_depend, ext WHERE refclassid = 'pg_extension'::regclass AND refobjid = ext.oid AND deptype = 'e'),
facts(line) AS (
	SELECT 'member ' || obj FROM m
	UNION ALL
	SELECT 'extension ' || concat_ws(' ', extrelocatable, extnamespace::regnamespace, extconfig, extcondition)
	FROM pg_extension WHERE extname = 'vector_ext'
	UNION ALL
	SELECT 'function ' || m.obj || E'\n' || CASE WHEN p.prokind = 'a' THEN
			(SELECT concat_ws(' ', aggkind, aggnumdirectargs, aggtransfn::regprocedure, aggfinalfn::regprocedure,
				aggcombinefn::regprocedure, aggserialfn::regprocedure, aggdeserialfn::regprocedure,
				aggmtransfn::regprocedure, aggminvtransfn::regprocedure, aggmfinalfn::regprocedure,
				aggfinalextra, aggmfinalextra, aggfinalmodify, aggmfinalmodify, aggsortop::regoperator,
				aggtranstype::regtype, aggtransspace, aggmtranstype::regtype, aggmtransspace, agginitval, aggminitval)
			 FROM pg_aggregate WHERE aggfnoid = p.oid)
		ELSE pg_get_functiondef(p.oid) END
		|| E'\nacl ' || coalesce(p.proacl::text, 'default') || ' support ' || p.prosupport::regprocedure
	FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	UNION ALL
	SELECT 'type ' || m.obj || ' ' || concat_ws(' ', typlen, typbyval, typtype, typcategory, typispreferred,
		typdelim, typsubscript::regprocedure, typelem::regtype, typarray::regtype, typinput::regprocedure,
		typoutput::regprocedure, typreceive::regprocedure, typsend::regprocedure, typmodin::regprocedure,
		typmodout::regprocedure, typanalyze::regprocedure, typalign, typstorage, typnotnull,
		typbasetype::regtype, typtypmod, typndims, typcollation, typdefault, coalesce(typacl::text, 'default'))
	FROM m JOIN pg_type ty ON m.classid = 'pg_type'::regclass AND ty.oid = m.objid
	UNION ALL
	SELECT 'operator ' || m.obj || ' ' || concat_ws(' ', oprkind, oprcanmerge, oprcanhash, oprresult::regtype,
		oprcom::regoperator, oprnegate::regoperator, oprcode::regprocedure, oprrest::regprocedure, oprjoin::regprocedure)
	FROM m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
	UNION ALL
	SELECT 'opclass ' || m.obj || ' ' || concat_ws(' ', pg_describe_object('pg_opfamily'::regclass, opcfamily, 0),
		opcintype::regtype, opcdefault, opckeytype::regtype)
	FROM m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
	UNION ALL
	SELECT 'amop ' || pg_describe_object('pg_amop'::regclass, a.oid, 0) || ' ' || concat_ws(' ', amoppurpose,
		amopopr::regoperator, pg_describe_object('pg_opfamily'::regclass, amopsortfamily, 0))
	FROM m JOIN pg_amop a ON m.classid = 'pg_opfamily'::regclass AND a.amopfamily = m.objid
	UNION ALL
	SELECT 'amproc ' || pg_describe_object('pg_amproc'::regclass, a.oid, 0) || ' ' || a.amproc::regprocedure
	FROM m JOIN pg_amproc a ON m.classid = 'pg_opfamily'::regclass AND a.amprocfamily = m.objid
	UNION ALL
	SELECT 'cast ' || m.obj || ' ' || concat_ws(' ', castfunc::regprocedure, castcontext, castmethod)
	FROM m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
	UNION ALL
	SELECT 'am ' || m.obj || ' ' || concat_ws(' ', amtype, amhandler::regprocedure)
	FROM m JOIN pg_am a ON m.classid = 'pg_am'::regclass AND a.oid = m.objid
	UNION ALL
	SELECT 'comment ' || m.obj || ': ' || d.description
	FROM m JOIN pg_description d ON d.classoid = m.classid AND d.objoid = m.objid AND d.objsubid = m.objsubid
	UNION ALL
	SELECT 'initprivs ' || m.obj || ' ' || i.privtype::text || ' ' || i.initprivs::text
	FROM m JOIN pg_init_privs i ON i.classoid = m.classid AND i.objoid = m.objid AND i.objsubid = m.objsubid)
SELECT replace(line, E'\n', '\n') FROM facts ORDER BY line COLLATE "C";
};

$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION vector_ext');
is($node->safe_psql('fresh', "SELECT extversion FROM pg_extension WHERE extname = 'vector_ext'"),
   $new, "a fresh install is $new");

# Lines in one listing and not the other, marked "updated:" / "fresh:".
sub catalog_diff {
	my ($updated) = @_;
	my %seen;
	$seen{$_} .= 'u' for split /\n/, $node->safe_psql($updated // 'postgres', $catalog);
	$seen{$_} .= 'f' for split /\n/, $node->safe_psql('fresh', $catalog);
	return join "\n", map { ($seen{$_} eq 'u' ? 'updated: ' : 'fresh: ') . $_ }
		grep { $seen{$_} ne 'uf' } sort keys %seen;
}

# The old script against this library: CREATE FUNCTION ... LANGUAGE C finds
# every symbol it names, and the update from there gives the same catalog.
$node->safe_psql('postgres', 'CREATE DATABASE old_sql');
$node->safe_psql('old_sql', "CREATE EXTENSION vector_ext VERSION '$old'; ALTER EXTENSION vector_ext UPDATE");
is(catalog_diff('old_sql'), '', "${old}'s script loaded by this library and updated equals a fresh $new");

my $members = $node->safe_psql('fresh', "SELECT count(*) FROM pg_depend WHERE deptype = 'e'
	AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'vector_ext')");
cmp_ok($members, '>', 100, "the fresh install has $members member objects");
is(catalog_diff(), '', "$old + UPDATE has the same catalog contents as a fresh $new");

# The comparison sees a difference: a function body, a comment and a member.
$node->safe_psql('fresh', q{
	ALTER FUNCTION vector_dims(vector) COST 7;
	COMMENT ON TYPE bitvector IS 'changed';
	CREATE FUNCTION vx_extra() RETURNS int LANGUAGE sql AS 'SELECT 1';
	ALTER EXTENSION vector_ext ADD FUNCTION vx_extra();
});
my $diff = catalog_diff();
like($diff, qr/^fresh: function function vector_dims\(vector\).*COST 7/ms, 'a changed function is seen');
like($diff, qr/^fresh: comment type bitvector: changed/m, 'a changed comment is seen');
like($diff, qr/^fresh: member function vx_extra\(\)/m, 'an added member is seen');

$node->stop;
done_testing();
