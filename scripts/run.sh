#!/usr/bin/env bash
# Set up and serve the site with the real content on SQLite: http://127.0.0.1:8000/
# (PORT=127.0.0.1:8101 or PORT=0.0.0.0:8080 to listen elsewhere: scripts/address.sh).
# Safe to run again: it migrates, loads the starting content only into an empty database,
# and creates the local admin account only once.
source "$(dirname "$0")/venv.sh"
ensure_venv requirements.txt

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_content
.venv/bin/python manage.py ensure_admin
source scripts/address.sh
echo
announce_address
echo "Press Ctrl+C to stop."
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
