#!/usr/bin/env bash
# Run the state tests against a throwaway local PostgreSQL (initdb in a temp dir,
# pg_ctl on a free loopback port, removed afterwards). Needs initdb/pg_ctl on PATH
# (or PG_BIN) and psycopg installed. initdb refuses to run as root: as root the
# server runs as PG_USER (default: postgres).
set -euo pipefail

PY="${PY:-python}"
PG_BIN="${PG_BIN:-$(dirname "$(command -v initdb || echo /usr/local/bin/initdb)")}"
PG_USER="${PG_USER:-postgres}"
TESTS="${*:-tests/state tests/pio}"

tmp="$(mktemp -d)"
port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

as_pg() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" = "0" ]; then
  chown "$PG_USER" "$tmp"
  db_user="$PG_USER"
else
  db_user="$(id -un)"
fi

cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

as_pg "$PG_BIN/initdb" -D "$tmp/data" -U "$db_user" --auth=trust -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w \
  -o "-h 127.0.0.1 -p $port -k $tmp" start >/dev/null

export POLICYBOT_TEST_DATABASE_URL="postgresql+psycopg://$db_user@127.0.0.1:$port/postgres"
echo "PostgreSQL on 127.0.0.1:$port (data in $tmp)"
# shellcheck disable=SC2086
"$PY" -m pytest -q $TESTS
