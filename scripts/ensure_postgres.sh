#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster and create the test role (CREATEDB) if needed;
# `ensure_postgres.sh stop` stops it again, only if this script is the one that started it
# (a cluster that was already running is left alone). Skipped when TEST_DATABASE_URL points
# elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
MARK=.pg-started-by-tests
if [ -n "${TEST_DATABASE_URL:-}" ]; then exit 0; fi
if [ "${1:-}" = "stop" ]; then
  if [ -f "$MARK" ]; then
    pg_ctlcluster 15 main stop || true
    rm -f "$MARK"
  fi
  exit 0
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ "$(id -u)" = "0" ]; then
    pg_ctlcluster 15 main start || { pg_createcluster 15 main >/dev/null && pg_ctlcluster 15 main start; }
    touch "$MARK"
  else
    echo "PostgreSQL is not running on 127.0.0.1:5432 and this user cannot start it." >&2
    exit 1
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
if [ "$(id -u)" = "0" ]; then
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='training'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE ROLE training LOGIN PASSWORD 'training' CREATEDB\""
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='training'\"" | grep -q 1 \
    || su postgres -c "createdb -O training training"
fi
