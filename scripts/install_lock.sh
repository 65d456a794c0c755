# Sourced by regress.sh, tap.sh and with_cluster.sh: installs this checkout into
# the PostgreSQL under test and holds that installation's lock until the caller
# exits, so parallel checkouts never test each other's build. The installation
# is the system one, or a private copy named by VX_PG_CONFIG (scripts/private_pg.sh).
PG_CONFIG=${VX_PG_CONFIG:-pg_config}
if [ -n "${VX_PG_CONFIG:-}" ]; then
  exec 9>"$(dirname "$VX_PG_CONFIG")/../.install.lock"
else
  exec 9>/tmp/vector_ext-install.lock
fi
flock 9
make -s install PG_CONFIG="$PG_CONFIG" >/dev/null
# throwaway_cluster CMD...: runs CMD against a throwaway cluster with PGHOST,
# PGPORT, PGUSER and PGDATABASE set.
throwaway_cluster() {
  if [ -z "${VX_PG_CONFIG:-}" ]; then pg_virtualenv -v 15 "$@"; return; fi
  local bindir dir port status=0
  bindir=$("$PG_CONFIG" --bindir)
  dir=$(mktemp -d /tmp/vx_cluster.XXXXXX); chown postgres: "$dir"
  port=$(( 20000 + RANDOM % 20000 ))
  su postgres -s /bin/sh -c "$bindir/initdb -A trust -U postgres -D $dir/data >/dev/null &&
    $bindir/pg_ctl -D $dir/data -w -l $dir/log -o \"-p $port -k $dir -c listen_addresses=''\" start >/dev/null"
  PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres "$@" || status=$?
  su postgres -s /bin/sh -c "$bindir/pg_ctl -D $dir/data -m immediate stop >/dev/null"
  rm -rf "$dir"
  return $status
}
