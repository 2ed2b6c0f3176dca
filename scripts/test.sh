#!/usr/bin/env bash
# Install what the tests need and run every test: lint, then the whole suite (browser tests
# included) on SQLite, then again on a throw-away PostgreSQL server with a shared Redis cache
# when those are installed (.ci/run installs them; in CI their absence is a failure).
source "$(dirname "$0")/venv.sh"
ensure_venv requirements-dev.txt

export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's event loop and the ORM share a thread
in_ci=${CI:-false}

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite"
.venv/bin/pytest -p no:cacheprovider "$@"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || ! command -v redis-server >/dev/null; then
  if [ "$in_ci" = "true" ]; then
    echo "PostgreSQL or Redis is not installed: CI must run the suite on them." >&2
    exit 1
  fi
  echo "== PostgreSQL/Redis not installed here: skipped the second run"
  echo "   (apt-get install postgresql redis-server to run it)"
  exit 0
fi

echo "== tests on PostgreSQL with a shared Redis cache"
tmp=$(mktemp -d /tmp/netinfo-pg.XXXXXX)
chmod 755 "$tmp"
pg_user=$(id -un)
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$tmp"; pg_user=postgres; fi
pg_port=${PG_TEST_PORT:-54329}
redis_port=${REDIS_TEST_PORT:-63799}
cleanup() {
  run_pg "$pgbin/pg_ctl" -D "$tmp/data" -m fast stop >/dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
run_pg "$pgbin/initdb" -D "$tmp/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o \
  "-p $pg_port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null

DATABASE_URL="postgres://$pg_user@127.0.0.1:$pg_port/netinfo" \
CACHE_URL="redis://127.0.0.1:$redis_port/0" \
  .venv/bin/pytest -p no:cacheprovider "$@"
