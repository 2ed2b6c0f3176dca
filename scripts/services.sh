# Sourced: start throw-away PostgreSQL and Redis servers on loopback, stopped on exit.
# After start_postgres, PG_URL_BASE is postgres://USER@127.0.0.1:PORT ; after start_redis,
# REDIS_URL is redis://127.0.0.1:PORT/0.

services_tmp=""
services_cleanup() {
  if [ -n "${services_pgbin:-}" ] && [ -d "$services_tmp/data" ]; then
    services_as_pg "$services_pgbin/pg_ctl" -D "$services_tmp/data" -m fast stop >/dev/null 2>&1 || true
  fi
  if [ -n "${REDIS_PORT:-}" ]; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  [ -n "$services_tmp" ] && rm -rf "$services_tmp"
  return 0
}
trap services_cleanup EXIT

services_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

have_postgres() { ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; }
have_redis() { command -v redis-server >/dev/null; }

start_postgres() {
  services_pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  services_tmp=${services_tmp:-$(mktemp -d /tmp/netinfo-services.XXXXXX)}
  chmod 755 "$services_tmp"
  local user
  user=$(id -un)
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$services_tmp"; user=postgres; fi
  local port=${PG_PORT:-54329}
  services_as_pg "$services_pgbin/initdb" -D "$services_tmp/data" -U "$user" -A trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  services_as_pg "$services_pgbin/pg_ctl" -D "$services_tmp/data" -l "$services_tmp/pg.log" -w -o \
    "-p $port -k $services_tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  PG_URL_BASE="postgres://$user@127.0.0.1:$port"
}

start_redis() {
  REDIS_PORT=${REDIS_PORT:-63799}
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
}
