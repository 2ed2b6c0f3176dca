# Sourced by the other scripts: make .venv and install a requirements file into it, once per
# change of that file (a stamp holds its checksum). Run on its own by the Makefile:
#   bash scripts/venv.sh requirements-dev.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_venv() {
  local requirements=$1
  local python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null || python=python3
  if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv"
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed-$(basename "$requirements")"
  local sum
  sum=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "Installing $requirements"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$sum" > "$stamp"
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_venv "${1:?which requirements file}"
fi
