#!/usr/bin/env bash
# Install what the tests need and run every test: lint, then the whole suite (browser tests
# included) on SQLite, then again on a throw-away PostgreSQL server with a shared Redis cache
# when those are installed (.ci/run installs them; in CI their absence is a failure).
source "$(dirname "$0")/venv.sh"
ensure_venv requirements-dev.txt

export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's event loop and the ORM share a thread
export DB_CONN_MAX_AGE=0  # the live server thread must not keep a connection open at teardown
in_ci=${CI:-false}
# pytest-xdist: a process per core, four at most (each has its own test database and, on the
# PostgreSQL run, its own Redis database); the browser tests all go to one of them.
parallel=(-n auto --maxprocesses 4 --dist loadgroup)

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite"
.venv/bin/pytest -p no:cacheprovider "${parallel[@]}" "$@"

source scripts/services.sh
if ! have_postgres || ! have_redis; then
  if [ "$in_ci" = "true" ]; then
    echo "PostgreSQL or Redis is not installed: CI must run the suite on them." >&2
    exit 1
  fi
  echo "== PostgreSQL/Redis not installed here: skipped the second run"
  echo "   (apt-get install postgresql redis-server to run it)"
  exit 0
fi

echo "== tests on PostgreSQL with a shared Redis cache"
start_postgres
start_redis
DATABASE_URL="$PG_URL_BASE/netinfo" CACHE_URL="$REDIS_URL" .venv/bin/pytest -p no:cacheprovider "${parallel[@]}" "$@"
