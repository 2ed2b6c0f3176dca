# The two commands of the README. Each installs what it needs into .venv first.
.PHONY: run test lint bench loadtest audit

run:  ## set up and serve the site with the real content on SQLite
	bash scripts/run.sh

test:  ## install what the tests need and run every test (SQLite, then PostgreSQL if installed)
	bash scripts/test.sh

lint:
	bash scripts/venv.sh requirements-dev.txt
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:  ## speed and size figures at 100, 1,000 and 10,000 trials (throw-away database)
	bash scripts/venv.sh requirements.txt
	.venv/bin/python manage.py bench

loadtest:  ## wrk against gunicorn with production settings (LOADTEST_ARGS=--postgres for PostgreSQL)
	bash scripts/loadtest.sh $(LOADTEST_ARGS)

audit:  ## Lighthouse scores for each page type against a production-mode server
	bash scripts/audit.sh
