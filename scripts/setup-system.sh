#!/usr/bin/env bash
# Installs the system parts Quarry's server mode and tests need on Debian bookworm:
# pgvector for the local PostgreSQL 15 (built from Debian trixie's source package, since
# bookworm has no binary one) and Chromium for the browser tests. Safe to run twice.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

pgvector_installed() {
  [ -f "/usr/share/postgresql/${PG_MAJOR}/extension/vector.control" ]
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! pgvector_installed; then
  if ! grep -rqs "trixie" /etc/apt/sources.list.d/quarry-trixie-src.list; then
    echo "deb-src http://deb.debian.org/debian trixie main" |
      $SUDO tee /etc/apt/sources.list.d/quarry-trixie-src.list >/dev/null
  fi
  apt_updated=0
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev >/dev/null
  build_dir="$(mktemp -d)"
  (
    cd "$build_dir"
    apt-get source -qq pgvector >/dev/null 2>&1
    cd pgvector-*/
    make -s PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config" >/dev/null
    $SUDO make -s install PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config" >/dev/null
  )
  rm -rf "$build_dir"
fi

pgvector_installed && echo "pgvector: installed for PostgreSQL ${PG_MAJOR}"
command -v chromium >/dev/null && echo "chromium: $(chromium --version 2>/dev/null | head -1)"
