#!/usr/bin/env bash
# Install (if missing) and start the services Vägval's CI and a developer machine need outside
# the virtualenv: PostgreSQL and Redis on loopback, and Debian's Chromium for the browser tests.
#
# Idempotent: safe to run again; it installs only what is missing, starts only what is down and
# creates the role and database only once. Works as root in a fresh Debian 12 container without
# systemd. Logs go to stderr; stdout carries only the `export` lines, so a caller can do
#     eval "$(scripts/ci-services.sh)"
#
# Variables (all optional):
#   VAGVAL_DB_NAME / VAGVAL_DB_USER / VAGVAL_DB_PASSWORD   default vagval / vagval / vagval
#   VAGVAL_PG_PORT (5432)  VAGVAL_REDIS_PORT (6379)
#   VAGVAL_SKIP_CHROMIUM=1   do not install Chromium (e.g. a benchmark-only machine)
set -euo pipefail

DB_NAME="${VAGVAL_DB_NAME:-vagval}"
DB_USER="${VAGVAL_DB_USER:-vagval}"
# A loopback-only, throw-away credential for tests and benchmarks, never a production secret.
DB_PASSWORD="${VAGVAL_DB_PASSWORD:-vagval}"
PG_PORT="${VAGVAL_PG_PORT:-5432}"
REDIS_PORT="${VAGVAL_REDIS_PORT:-6379}"

log() { printf '[ci-services] %s\n' "$*" >&2; }
die() { printf '[ci-services] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "run as root or install sudo"
    SUDO="sudo"
fi

# --- packages ---------------------------------------------------------------------------------
need=()
dpkg -s postgresql >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
dpkg -s redis-server >/dev/null 2>&1 || need+=(redis-server)
# WeasyPrint (CV and cover-letter PDFs) needs Pango and a font.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${VAGVAL_SKIP_CHROMIUM:-0}" != "1" ]; then
    dpkg -s chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    # policy-rc.d may forbid starting services in a container; we start them ourselves below.
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
else
    log "packages already installed"
fi

# --- PostgreSQL -------------------------------------------------------------------------------
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
[ -n "$PG_VERSION" ] || die "no PostgreSQL server found under /usr/lib/postgresql"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
    log "creating PostgreSQL $PG_VERSION cluster 'main' on port $PG_PORT"
    $SUDO pg_createcluster --port "$PG_PORT" "$PG_VERSION" main >&2
fi
status="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}')"
cluster_port="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')"
if [ "$status" != "online" ]; then
    log "starting PostgreSQL $PG_VERSION/main (port $cluster_port, listening on localhost only)"
    # Debian's default listen_addresses is 'localhost'; say so explicitly in case it was changed.
    $SUDO pg_ctlcluster "$PG_VERSION" main start -- -o "-c listen_addresses=127.0.0.1" >&2 \
        || $SUDO pg_ctlcluster "$PG_VERSION" main start >&2
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$cluster_port" && break
    sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$cluster_port" || die "PostgreSQL did not come up on port $cluster_port"
PG_PORT="$cluster_port"

# Administrative SQL runs as the postgres superuser over the local socket (peer auth).
psql_admin() {
    if [ -n "$SUDO" ]; then
        sudo -u postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"
    else
        su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"
    fi
}
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]; then
    log "creating role $DB_USER (LOGIN CREATEDB)"
    psql_admin -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
else
    # Keep the password and CREATEDB in step with this script (tests create test_$DB_NAME*).
    psql_admin -c "ALTER ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    log "creating database $DB_NAME"
    psql_admin -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\" ENCODING 'UTF8' TEMPLATE template0"
fi

# --- Redis ------------------------------------------------------------------------------------
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Redis already answering on 127.0.0.1:$REDIS_PORT"
else
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    # No persistence: the broker and cache of a test machine hold nothing worth keeping.
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' \
        --appendonly no --dir /tmp --logfile /tmp/vagval-redis-"$REDIS_PORT".log >&2
    for _ in $(seq 1 30); do
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.5
    done
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 \
        || die "Redis did not come up on port $REDIS_PORT"
fi

log "ready"
echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
