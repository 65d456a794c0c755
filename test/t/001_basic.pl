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
   '0.2.0', 'extension installed');
# Loading the library must not start threads (OpenBLAS's pthread build would):
# threads are only for the duration of one call (DESIGN §6).
is($node->safe_psql('postgres', q{SELECT l2_distance('[1,2]'::vector, '[3,4]') > 0;
    SELECT substring(pg_read_file('/proc/self/status') from 'Threads:\s*(\d+)')}),
   "t\n1", 'a backend that loaded vector_ext runs one thread');
$node->restart;
is($node->safe_psql('postgres', "SELECT count(*) FROM pg_extension WHERE extname = 'vector_ext'"),
   '1', 'extension still there after restart');
$node->stop;
done_testing();
