# Sourced by run.sh: the address runserver listens on (PORT, as runserver takes it: "8080",
# "127.0.0.1:8101", "0.0.0.0:8080", "[::1]:8000"), told as addresses a browser can open.
# Unless they are set already, ALLOWED_HOSTS gets the host names the site is reached by
# (on 0.0.0.0 that includes this machine's name and addresses, so another machine on the
# network can open it) and SITE_URL the address (used in the feeds).

announce_address() {
  local bind=${PORT:-127.0.0.1:8000}
  local host port
  if [[ $bind =~ ^[0-9]+$ ]]; then
    host=127.0.0.1 port=$bind
  else
    host=${bind%:*} port=${bind##*:}
  fi
  local local_hosts="localhost,127.0.0.1,[::1]"
  local shown=$host others=""
  case $host in
    0 | 0.0.0.0 | "[::]")
      shown=127.0.0.1
      local name addresses
      name=$(hostname 2>/dev/null || true)
      addresses=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -v ':' | tr '\n' ' ' || true)
      others="$name $addresses"
      ;;
  esac
  if [ -z "${ALLOWED_HOSTS:-}" ]; then
    ALLOWED_HOSTS=$local_hosts
    case $host in 127.0.0.1 | localhost | "[::1]") ;; *) [ "$shown" = "$host" ] && ALLOWED_HOSTS+=",$host" ;; esac
    for other in $others; do ALLOWED_HOSTS+=",$other"; done
    export ALLOWED_HOSTS
  fi
  export SITE_URL=${SITE_URL:-http://$shown:$port}
  echo "The site is at http://$shown:$port/ and the editing area at http://$shown:$port/admin/"
  for other in $others; do
    echo "From another machine: http://$other:$port/"
  done
  if [ -n "$others" ]; then
    echo "(The site answers to these names: ALLOWED_HOSTS=$ALLOWED_HOSTS)"
  fi
}
