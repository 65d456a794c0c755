#!/bin/bash
# Developer aid, not used by CI: makes a private copy of the system PostgreSQL 15
# installation under /opt/vx-pg/NAME (PostgreSQL finds its files relative to its
# binaries) and prints its pg_config. With VX_PG_CONFIG set to that path,
# scripts/regress.sh, tap.sh and with_cluster.sh install into and test against
# the copy, so parallel checkouts do not wait on each other's install lock.
#   export VX_PG_CONFIG=$(scripts/private_pg.sh mybranch)
set -euo pipefail
name=${1:?usage: private_pg.sh NAME}
root=/opt/vx-pg/$name
if [ ! -x "$root/lib/postgresql/15/bin/pg_config" ]; then
  mkdir -p "$root/lib/postgresql" "$root/share/postgresql"
  cp -a /usr/lib/postgresql/15 "$root/lib/postgresql/"
  cp -a /usr/share/postgresql/15 "$root/share/postgresql/"
  ln -sfn /usr/include "$root/include"
fi
echo "$root/lib/postgresql/15/bin/pg_config"
