# Sourced: start throw-away PostgreSQL and Redis servers on loopback, stopped on exit.
# After start_postgres, PG_URL_BASE is postgres://USER@127.0.0.1:PORT ; after start_redis,
# REDIS_URL is redis://127.0.0.1:PORT/0.
# Ports: PG_PORT and REDIS_PORT if set, otherwise a free port each. A port already in use is
# an error: the tests empty the Redis they are given, so they never share somebody else's.
# Only the servers started here are stopped.

services_tmp=""
services_redis_pid=""
services_cleanup() {
  if [ -n "${services_pgbin:-}" ] && [ -d "$services_tmp/data" ]; then
    services_as_pg "$services_pgbin/pg_ctl" -D "$services_tmp/data" -m fast stop >/dev/null 2>&1 || true
  fi
  if [ -n "$services_redis_pid" ]; then
    kill "$services_redis_pid" 2>/dev/null || true
    wait "$services_redis_pid" 2>/dev/null || true
  fi
  [ -n "$services_tmp" ] && rm -rf "$services_tmp"
  return 0
}
trap services_cleanup EXIT

services_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

have_postgres() { ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; }
have_redis() { command -v redis-server >/dev/null; }

# True when something answers on 127.0.0.1:PORT.
services_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

services_free_port() {
  local python=.venv/bin/python
  [ -x "$python" ] || python=python3
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# services_port NAME VARIABLE: the port to use (VARIABLE's value, or a free one), or an error.
services_port() {
  local name=$1 variable=$2 port=${!2:-}
  if [ -z "$port" ]; then
    services_free_port
    return
  fi
  if services_port_in_use "$port"; then
    echo "Port $port ($variable) is already in use, perhaps by somebody else's $name." >&2
    echo "Set $variable to a free port, or leave it unset to pick one." >&2
    return 1
  fi
  echo "$port"
}

start_postgres() {
  local port
  port=$(services_port PostgreSQL PG_PORT) || exit 1
  services_pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  services_tmp=${services_tmp:-$(mktemp -d /tmp/netinfo-services.XXXXXX)}
  chmod 755 "$services_tmp"
  local user
  user=$(id -un)
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$services_tmp"; user=postgres; fi
  services_as_pg "$services_pgbin/initdb" -D "$services_tmp/data" -U "$user" -A trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  services_as_pg "$services_pgbin/pg_ctl" -D "$services_tmp/data" -l "$services_tmp/pg.log" -w -o \
    "-p $port -k $services_tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  PG_PORT=$port
  PG_URL_BASE="postgres://$user@127.0.0.1:$port"
}

start_redis() {
  local port
  port=$(services_port Redis REDIS_PORT) || exit 1
  # In the foreground of a background job (not --daemonize, which reports success even when
  # the port is taken), so that its own process id is the one stopped on exit.
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    --loglevel warning >/dev/null &
  services_redis_pid=$!
  local tries=0
  until redis-cli -p "$port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    if ! kill -0 "$services_redis_pid" 2>/dev/null || [ "$tries" -gt 100 ]; then
      echo "Redis did not start on port $port (REDIS_PORT)." >&2
      exit 1
    fi
    sleep 0.1
  done
  REDIS_PORT=$port
  REDIS_URL="redis://127.0.0.1:$port/0"
}
