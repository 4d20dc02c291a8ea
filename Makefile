# The ASCN Portal. `make run` serves it; `make test` runs the whole suite.
# Without DATABASE_URL / REDIS_URL both use the embedded PostgreSQL and Redis under var/.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
SECRET := var/secret_key
WITH_SERVICES := $(PY) -m ascn_portal.embedded exec --

.PHONY: run test lint format stop services bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(RUN_STAMP)

$(SECRET):
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# A local .env (never committed, never overwritten) so that manage.py works in a second terminal.
.env: | $(SECRET)
	@printf '# Written by `make run` for local development; production sets these in its environment.\nDJANGO_DEBUG=1\nDJANGO_SECRET_KEY=%s\n' "$$(cat $(SECRET))" > $@
	@chmod 600 $@
	@echo "Wrote .env for local development (DJANGO_DEBUG=1 and a secret key)."

## run: install, start PostgreSQL and Redis, migrate, load reference data, serve with Celery worker and beat
run: $(RUN_STAMP) $(SECRET) .env
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-1} DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat $(SECRET))}; \
	$(WITH_SERVICES) bash -c '$(PY) manage.py migrate --noinput && $(PY) manage.py seed_ascn && \
	  echo "ASCN Portal on http://127.0.0.1:8000/ (Ctrl-C stops everything)" && \
	  exec $(VENV)/bin/honcho --no-prefix start -f Procfile'

## test: the whole suite on real PostgreSQL, Redis, a Celery worker and Chromium
test: $(DEV_STAMP)
	@scripts/ensure-chromium.sh
	@$(WITH_SERVICES) bash -c 'DJANGO_SETTINGS_MODULE=ascn_portal.settings.test $(PY) manage.py makemigrations --check --dry-run >/dev/null \
	  || { echo "Models changed without a migration: run manage.py makemigrations"; exit 1; }; \
	  $(VENV)/bin/lint-imports --no-cache --no-logo >/dev/null || { $(VENV)/bin/lint-imports --no-cache --no-logo; exit 1; }; \
	  $(PY) -m pytest $(PYTEST_ARGS)'

## lint: ruff, djLint and the import contracts (docs/layers.md)
lint: $(DEV_STAMP)
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## bench: query counts and timings of the list endpoints at two sizes, as ratios
bench: $(DEV_STAMP)
	@$(WITH_SERVICES) bash -c 'DJANGO_SETTINGS_MODULE=ascn_portal.settings.test $(PY) -m pytest -q -m bench -s bench'

## services: start the embedded PostgreSQL and Redis and leave them running
services: $(RUN_STAMP)
	$(PY) -m ascn_portal.embedded up

## stop: stop the embedded PostgreSQL and Redis, including ones left by a killed run
stop:
	@if [ -x $(PY) ]; then $(PY) -m ascn_portal.embedded down; fi

clean: stop
	rm -rf $(VENV) var/staticfiles .pytest_cache
