#!/usr/bin/env bash
# Set up and serve the site with the real content on SQLite: http://127.0.0.1:8000/
# Safe to run again: it migrates, loads the starting content only into an empty database,
# and creates the local admin account only once.
source "$(dirname "$0")/venv.sh"
ensure_venv requirements.txt

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_content
.venv/bin/python manage.py ensure_admin
echo
echo "The site is at http://127.0.0.1:8000/ and the editing area at http://127.0.0.1:8000/admin/"
echo "Press Ctrl+C to stop."
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
