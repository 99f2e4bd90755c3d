#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 cluster for the tests, owned by the `postgres`
# system user (PostgreSQL refuses to run as root), listening on 127.0.0.1 only.
#   scripts/postgres.sh start DIR PORT   -> prints the admin URL on stdout
#   scripts/postgres.sh stop DIR
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
action=$1 dir=$2
run_as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
case "$action" in
  start)
    port=$3
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    run_as_postgres "$BIN/initdb -D '$dir/data' -A trust -U dessine -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
    # Tests trade durability for speed; PG_DURABLE=1 (the benchmark) keeps PostgreSQL's defaults.
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-}" = 1 ] && fast=""
    run_as_postgres "$BIN/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 $fast -c max_connections=300\" start >/dev/null"
    echo "postgres://dessine@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && run_as_postgres "$BIN/pg_ctl -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
esac
