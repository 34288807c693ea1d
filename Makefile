# povertycase: `make run` serves the demo county, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_HOUSEHOLDS ?= 2000

.PHONY: setup migrate run serve smoke worker beat test e2e bench load lint browser-deps

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py seed_demo --households $(DEMO_HOUSEHOLDS) --if-empty
	$(PY) manage.py run_checks >/dev/null  # the nightly scan once now, so the pages show violations
	PORT=$(PORT) PY=$(PY) scripts/run-all.sh

# Production (README "Production"): DATABASE_URL and REDIS_URL required; DEBUG=false.
serve: setup
	PY=$(PY) scripts/serve

# The CI production smoke stage: fresh PostgreSQL database povertycase_smoke, Redis db 14.
smoke: setup
	PY=$(PY) tests/smoke/run.sh

worker: setup
	$(VENV)/bin/celery -A povertycase worker --loglevel=info

beat: setup
	$(VENV)/bin/celery -A povertycase beat --loglevel=info

browser-deps:
	@command -v /usr/bin/chromium >/dev/null || scripts/install-browser.sh

# Tests keep their own var/ (database file, broker folder, media) apart from `make run`'s.
test: setup browser-deps
	$(PY) manage.py compile_translations
	POVERTYCASE_VAR_DIR=$(CURDIR)/var/test $(VENV)/bin/pytest $(PYTEST_ARGS)

e2e: setup browser-deps
	POVERTYCASE_VAR_DIR=$(CURDIR)/var/test $(VENV)/bin/pytest tests/browser $(PYTEST_ARGS)

# Figures on PostgreSQL with 50,000 demo households (created and seeded on first use).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/povertycase_bench
bench: setup
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(PY) tests/bench/run.py $(BENCH_ARGS)

# 50 users (1 s think time) against gunicorn with the production settings; p50/p95/p99, worker RSS.
load: setup
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(PY) tests/bench/load.py $(LOAD_ARGS)

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
