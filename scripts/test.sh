#!/usr/bin/env bash
# The README's test command. Installs, starts a real PostgreSQL and Redis on loopback unless
# DATABASE_URL / REDIS_URL are given, runs lint checks and the whole pytest suite, stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev

WORK="$(mktemp -d /tmp/routetool-test.XXXXXX)"
chmod 755 "$WORK"
PG_STARTED=""; REDIS_PID=""
cleanup() {
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  if [ -n "$PG_STARTED" ]; then pg_as "$PG_CTL" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# PostgreSQL refuses to run as root: run it as the `postgres` user when we are root.
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ -z "${DATABASE_URL:-}" ]; then
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$PGBIN" ]; then scripts/apt.sh postgresql; PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"; fi
  PG_CTL="$PGBIN/pg_ctl"
  PG_PORT="$(free_port)"
  mkdir -p "$WORK/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres "$WORK/pg"
  pg_as "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Durability is not needed for a throw-away test cluster; speed is.
  pg_as "$PG_CTL" -D "$WORK/pg" -l "$WORK/pg/log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  PG_STARTED=1
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres routetool
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/routetool"
  echo "==> PostgreSQL op 127.0.0.1:$PG_PORT"
fi

if [ -z "${REDIS_URL:-}" ]; then
  command -v redis-server >/dev/null || scripts/apt.sh redis-server
  REDIS_PORT="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "==> Redis op 127.0.0.1:$REDIS_PORT"
fi

# Browser tests: Debian's Chromium (never a downloaded browser) and axe-core from the npm registry.
[ -x /usr/bin/chromium ] || scripts/apt.sh chromium fonts-dejavu-core
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

export ROUTETOOL_VAR_DIR="$WORK/var"
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> lint-imports"
.venv/bin/lint-imports
echo "==> makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
echo "==> pytest"
.venv/bin/python -m pytest "$@"

# The embedded default (SQLite) gets the access matrix, the write side and the smoke test of
# every page for every persona (tests marked `sqlite`). Part of the whole run; with arguments
# only when asked (ROUTETOOL_SQLITE=1).
if [ "$#" -eq 0 ] || [ "${ROUTETOOL_SQLITE:-}" = "1" ]; then
  echo "==> pytest op SQLite (-m sqlite)"
  mkdir -p "$WORK/sqlite"
  DATABASE_URL="sqlite:///$WORK/sqlite/routetool.sqlite3" .venv/bin/python -m pytest -m sqlite -q
fi
