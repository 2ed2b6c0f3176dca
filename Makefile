# The two commands of the README. Each installs what it needs into .venv first.
.PHONY: run test lint bench audit

run:  ## set up and serve the site with the real content on SQLite
	bash scripts/run.sh

test:  ## install what the tests need and run every test (SQLite, then PostgreSQL if installed)
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
