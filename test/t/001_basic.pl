# The extension loads in a fresh cluster and survives a restart.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('basic');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION vector_ext');
is($node->safe_psql('postgres', "SELECT extversion FROM pg_extension WHERE extname = 'vector_ext'"),
   '0.1.0', 'extension installed');
$node->restart;
is($node->safe_psql('postgres', "SELECT count(*) FROM pg_extension WHERE extname = 'vector_ext'"),
   '1', 'extension still there after restart');
$node->stop;
done_testing();
