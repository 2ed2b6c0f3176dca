#!/usr/bin/env bash
# Load test: gunicorn (production settings, 2 workers) on 127.0.0.1 with synthetic content,
# driven by wrk with a mix of trial-finder and trial pages, then the same server's static-file
# throughput for comparison. Bounded: DURATION seconds per run (default 10) and, for the
# pages, MAX_REQUESTS requests (default 20,000).
#   bash scripts/loadtest.sh              # SQLite
#   bash scripts/loadtest.sh --postgres   # PostgreSQL + Redis cache (throw-away servers)
# Needs wrk (apt-get install wrk); --postgres needs postgresql and redis-server.
source "$(dirname "$0")/venv.sh"
ensure_venv requirements.txt
source scripts/services.sh
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }

duration=${DURATION:-10}
max_requests=${MAX_REQUESTS:-20000}
trials=${TRIALS:-1000}
port=${LOADTEST_PORT:-8765}
services_tmp=$(mktemp -d /tmp/netinfo-load.XXXXXX)
chmod 755 "$services_tmp"

export DJANGO_ENV=production
export SECRET_KEY="loadtest-$(head -c 48 /dev/urandom | base64 -w0)"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false
if [ "${1:-}" = "--postgres" ]; then
  start_postgres
  start_redis
  psql "$PG_URL_BASE/postgres" -qc "CREATE DATABASE netinfo_load"
  export DATABASE_URL="$PG_URL_BASE/netinfo_load" CACHE_URL="$REDIS_URL"
  label="PostgreSQL + Redis"
else
  export DATABASE_URL="sqlite:///$services_tmp/load.sqlite3"
  label="SQLite"
fi

echo "== preparing $label with $trials synthetic trials"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py synthesize --trials "$trials"
.venv/bin/python manage.py collectstatic --noinput -v 0

.venv/bin/gunicorn netinfo.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
  --log-level "${GUNICORN_LOG_LEVEL:-warning}" --pid "$services_tmp/gunicorn.pid" &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null; services_cleanup' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

# A quarter common finder searches (five, each cached after its first visit), a quarter
# searches made up at random from a site, a phase, a grade, a word and a page (over 10,000
# of them, so most are worked out afresh, from the finder index), and half trial pages picked
# at random from every trial (so many are a first visit too).
# Each thread stops after its share of MAX_REQUESTS.
cat > "$services_tmp/mix.lua" <<LUA
local searches = {
  "/trials/", "/trials/?site=pancreas", "/trials/?site=small-bowel&phase=2",
  "/trials/?q=lanreotide", "/trials/?status=closed&status=results&page=2",
}
local sites = {"pancreas", "small-bowel", "lung", "stomach", "appendix", "rectum", "colon"}
local phases = {"1", "2", "3", "2_3"}
local grades = {"g1", "g2", "g3", "nec"}
local words = {"lanreotide", "scan", "liver", "tablets", "surgery", "blood", "tumour", "net"}
local function pick(list) return list[math.random(#list)] end
local limit = math.floor($max_requests / 2)
local done_here = 0
request = function()
  local roll = math.random(4)
  if roll == 1 then
    return wrk.format("GET", searches[math.random(#searches)])
  elseif roll == 2 then
    return wrk.format("GET", "/trials/?site=" .. pick(sites) .. "&phase=" .. pick(phases)
      .. "&grade=" .. pick(grades) .. "&q=" .. pick(words) .. "&status=all&page=" .. math.random(3))
  end
  return wrk.format("GET", "/trials/bench-" .. (math.random($trials) - 1) .. "/")
end
response = function(status, headers, body)
  done_here = done_here + 1
  if done_here >= limit then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  io.write(string.format("errors: %d http (status >= 400), %d connect, %d read, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.timeout))
end
LUA

# Pages as most visitors get them: already worked out, from the page cache. A short run first
# puts each page in every worker's cache (and builds each worker's finder index), so every
# request of the measured run is a cache hit.
cached_pages=("/" "/trials/" "/trials/?site=pancreas" "/trials/bench-1/" "/glossary/" "/tumour-sites/")
lua_list=$(printf '"%s", ' "${cached_pages[@]}")
cat > "$services_tmp/cached.lua" <<LUA
local pages = { $lua_list }
request = function() return wrk.format("GET", pages[math.random(#pages)]) end
LUA
wrk -t2 -c4 -d3s -s "$services_tmp/cached.lua" "http://127.0.0.1:$port" >/dev/null

curl -s -o /dev/null -w "home page: %{http_code}\n" "http://127.0.0.1:$port/trials/"
static=$(curl -fs "http://127.0.0.1:$port/" | grep -o '/static/css/site[^"]*\.css' | head -n 1)
echo "== cached pages (${#cached_pages[@]} addresses), $duration s, 2 threads, 20 connections ($label)"
wrk -t2 -c20 -d"${duration}s" --latency -s "$services_tmp/cached.lua" "http://127.0.0.1:$port" | tee "$services_tmp/cached.txt"
echo "== static file $static, $duration s ($label)"
wrk -t2 -c20 -d"${duration}s" --latency "http://127.0.0.1:$port$static" | tee "$services_tmp/static.txt"
# Last: the mixed run leaves slow requests queued behind it.
echo "== mixed finder + trial pages, $duration s or $max_requests requests, 2 threads, 20 connections ($label)"
wrk -t2 -c20 -d"${duration}s" --latency -s "$services_tmp/mix.lua" "http://127.0.0.1:$port" | tee "$services_tmp/mix.txt"
mix=$(awk '/Requests\/sec/ {print $2}' "$services_tmp/mix.txt")
cached=$(awk '/Requests\/sec/ {print $2}' "$services_tmp/cached.txt")
stat=$(awk '/Requests\/sec/ {print $2}' "$services_tmp/static.txt")
echo "== summary ($label, $trials trials): static $stat req/s;" \
  "cached pages $cached req/s, ratio $(python3 -c "print(round($cached / $stat, 3))");" \
  "mixed pages $mix req/s, ratio $(python3 -c "print(round($mix / $stat, 3))")"
