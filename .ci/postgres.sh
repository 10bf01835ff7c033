#!/usr/bin/env bash
# Start a local PostgreSQL server for the tests (installing it from the distribution's
# packages if needed) and print the URL the tests use (MENTORKIT_TEST_PG).
set -euo pipefail
# Only the URL goes to stdout (the caller captures it); everything the tools print goes to stderr.
exec 3>&1 1>&2
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
read -r version cluster port _ < <(pg_lsclusters --no-header | head -n 1)
if ! pg_lsclusters --no-header | head -n 1 | grep -q online; then
  if [ "$(id -u)" = 0 ]; then pg_ctlcluster "$version" "$cluster" start 3>&-; else
    sudo pg_ctlcluster "$version" "$cluster" start 3>&-; fi
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$port" && break
  sleep 1
done
as_postgres psql -q -p "$port" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE
  rolname = 'mentorkit') THEN CREATE ROLE mentorkit LOGIN SUPERUSER PASSWORD 'mentorkit';
  END IF; END \$\$;" >/dev/null
as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_database WHERE datname = 'mentorkit_test'" \
  | grep -q 1 || as_postgres createdb -p "$port" -O mentorkit mentorkit_test
echo "postgresql://mentorkit:mentorkit@localhost:$port/mentorkit_test" >&3
