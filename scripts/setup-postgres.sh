#!/usr/bin/env bash
# Makes sure the local PostgreSQL server runs and has the role and database Quarry's
# server-mode tests use, with pgvector available. Safe to run twice.
set -euo pipefail

DB_USER="${QUARRY_PG_USER:-quarry}"
DB_PASSWORD="${QUARRY_PG_PASSWORD:-quarry}"
DB_NAME="${QUARRY_PG_DATABASE:-quarry_test}"

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

as_postgres() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $*"; }

if [ "$(as_postgres "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'\"")" != "1" ]; then
  as_postgres "-c \"CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASSWORD'\""
fi
if [ "$(as_postgres "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'\"")" != "1" ]; then
  as_postgres "-c \"CREATE DATABASE $DB_NAME OWNER $DB_USER\""
fi
as_postgres "-d $DB_NAME -c \"CREATE EXTENSION IF NOT EXISTS vector\""
echo "postgres: postgres://$DB_USER:***@127.0.0.1:5432/$DB_NAME ready"
