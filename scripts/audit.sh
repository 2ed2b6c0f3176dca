#!/usr/bin/env bash
# Lighthouse audit: serve the real content with production settings (gunicorn, collected and
# compressed static files) on 127.0.0.1 and print the four Lighthouse scores for each page
# type, with the reason for any accessibility point lost. Not part of `make test`. Needs
# Node/npm and Debian's chromium. The full reports (JSON and HTML, one per page type) are kept
# in audit-results/ (ignored by git; AUDIT_RESULTS=<folder> to change it).
source "$(dirname "$0")/venv.sh"
ensure_venv requirements.txt
command -v npm >/dev/null || { echo "npm is needed: apt-get install nodejs npm" >&2; exit 1; }
[ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund --loglevel=error

port=${AUDIT_PORT:-8777}
tmp=$(mktemp -d /tmp/netinfo-audit.XXXXXX)
results=${AUDIT_RESULTS:-audit-results}
rm -rf "$results" && mkdir -p "$results"
export DJANGO_ENV=production SECRET_KEY="audit-$(head -c 48 /dev/urandom | base64 -w0)"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false DATABASE_URL="sqlite:///$tmp/audit.sqlite3"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_content
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn netinfo.wsgi:application --bind "127.0.0.1:$port" --workers 2 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
pages=(
  "home /"
  "trial-finder /trials/?site=small-bowel&status=results&status=open"
  "trial-finder-empty /trials/?q=nothing-matches-this"
  "trial /trials/calm-net/"
  "treatments /treatments/"
  "treatment /treatments/prrt/"
  "tumour-site /tumour-sites/pancreas/"
  "glossary /glossary/"
  "glossary-term /glossary/biomarker/"
  "site-page /about-nets/"
  "admin-login /admin/login/"
  "not-found /no-such-page/"
)
printf "%-20s %11s %13s %14s %5s\n" page performance accessibility best-practices seo
for entry in "${pages[@]}"; do
  name=${entry%% *}; url="http://127.0.0.1:$port${entry#* }"
  for attempt in 1 2; do
    node_modules/.bin/lighthouse "$url" --chrome-path=/usr/bin/chromium --chrome-flags="$flags" \
      --output=json --output=html --output-path="$results/$name" --quiet \
      ${LIGHTHOUSE_PRESET:+--preset=$LIGHTHOUSE_PRESET} >/dev/null 2>&1 || true
    # About 1 run in 15 fails to record a trace (NO_NAVSTART): try once more. A page served
    # with an error status (the 404 page) is never audited, so there is no point retrying.
    node -e '
      const r = require(process.argv[1]); const code = r.runtimeError && r.runtimeError.code;
      process.exit(code && code !== "ERRORED_DOCUMENT_REQUEST" ? 1 : 0);
    ' "$PWD/$results/$name.report.json" 2>/dev/null && break
  done
  node -e '
    const r = require(process.argv[1]); const c = r.categories;
    const s = k => c[k] && c[k].score !== null ? Math.round(c[k].score * 100) : "n/a";
    const code = r.runtimeError ? r.runtimeError.code : "";
    const note = code === "ERRORED_DOCUMENT_REQUEST"
      ? "(Lighthouse does not audit a page served as an error; tests/browser runs axe on it)"
      : code;
    console.log(process.argv[2].padEnd(20), String(s("performance")).padStart(11),
      String(s("accessibility")).padStart(13), String(s("best-practices")).padStart(14),
      String(s("seo")).padStart(5), note);
    // Say why a point was lost, so it can be fixed (performance only when it is below 90:
    // its timings wander a little from run to run on a busy machine).
    for (const [key, category] of Object.entries(c)) {
      if (key === "performance" && category.score >= 0.9) continue;
      for (const ref of category.auditRefs) {
        const audit = r.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          console.log("".padEnd(22) + `${key}: ${audit.id}: ${audit.title}`);
        }
      }
    }
  ' "$PWD/$results/$name.report.json" "$name"
done
echo "Full reports: $results/<page>.report.html"
