# The two commands: `make run` (serve the site on SQLite) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_TEST_URL ?= postgres://training:training@127.0.0.1:5432/training
REDIS_TEST_PORT ?= 6391
export DJANGO_SETTINGS_MODULE := training.settings

.PHONY: run test setup system system-run venv messages check-messages lint pytest pytest-pg bench clean lock lock-upgrade smoke pytest-rq pytest-faults

# Installs come from the lock (requirements/*.txt, exact versions with hashes), refreshed from
# pyproject.toml by `make lock`. The project itself runs from this folder: nothing to install.
$(VENV)/.installed: requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

venv: $(VENV)/.installed

system:
	bash scripts/ensure_system.sh

system-run:
	bash scripts/ensure_system.sh run

messages: venv
	$(PY) manage.py compilemessages -l fr --ignore=.venv >/dev/null

setup: system-run venv messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_course
	$(PY) manage.py seed_demo

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the task worker (Ctrl+C stops both)"
	PORT=$(PORT) $(PY) scripts/run_dev.py $(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

check-messages: venv
	$(PY) scripts/check_catalogue.py

pytest: venv messages
	$(VENV)/bin/pytest -n 2 -q -m "not faults"

# The README's production deployment, end to end: fresh virtualenv from the lock, PostgreSQL,
# gunicorn behind a real nginx, Chromium through it (scripts/smoke_production.sh).
smoke: system venv
	bash scripts/smoke_production.sh

pytest-pg: venv messages
	bash scripts/ensure_postgres.sh
	DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_TEST_URL)} $(VENV)/bin/pytest -n 2 -q -m "not e2e and not faults"; \
	  status=$$?; bash scripts/ensure_postgres.sh stop; exit $$status

# Fault injection against a real gunicorn (workers killed, database read-only or locked), one
# test at a time: each starts its own server on a copy of the demo (tests/faults/).
pytest-faults: venv messages
	$(VENV)/bin/pytest -p no:xdist -q -m faults

# The task test module again, on the RQ backend against a real redis-server (private port,
# started and stopped here).
pytest-rq: venv messages
	REDIS_TEST_PORT=$(REDIS_TEST_PORT) bash scripts/redis_test.sh start
	TASKS_BACKEND=rq REDIS_URL=redis://127.0.0.1:$(REDIS_TEST_PORT)/0 $(VENV)/bin/pytest -q \
	  -p no:cacheprovider tests/background/test_tasks.py; \
	  status=$$?; REDIS_TEST_PORT=$(REDIS_TEST_PORT) bash scripts/redis_test.sh stop; exit $$status

test: system venv lint check-messages messages
	$(PY) manage.py makemigrations --check --dry-run
	@tmp=$$(mktemp -d) && SQLITE_PATH=$$tmp/check.sqlite3 DATABASE_URL= $(PY) manage.py migrate -v0 \
	  && SQLITE_PATH=$$tmp/check.sqlite3 DATABASE_URL= $(PY) manage.py load_course --dry-run >/dev/null \
	  && rm -rf $$tmp && echo "Course content valid (load_course --dry-run on a fresh database)."
	$(MAKE) --no-print-directory pytest
	$(MAKE) --no-print-directory pytest-faults
	$(MAKE) --no-print-directory pytest-pg
	$(MAKE) --no-print-directory pytest-rq
	$(MAKE) --no-print-directory smoke

# Refresh the lock from pyproject.toml: `make lock` adds and removes what pyproject.toml changed
# and keeps every other pin; `make lock-upgrade` moves every pin to the newest release allowed
# (security updates). Both write requirements/base.txt (production) and requirements/dev.txt.
UV_PIN = $(shell sed -n 's/^uv==\([0-9.]*\).*/==\1/p' requirements/dev.txt 2>/dev/null)
LOCK_OPTIONS = --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet "uv$(UV_PIN)"
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_OPTIONS) $(LOCK_UPGRADE) -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev $(LOCK_OPTIONS) $(LOCK_UPGRADE) \
	  -c requirements/base.txt -o requirements/dev.txt
	@echo "Lock refreshed: requirements/base.txt, requirements/dev.txt (next make installs it)."

lock-upgrade:
	$(MAKE) --no-print-directory lock LOCK_UPGRADE=--upgrade

bench: system venv messages
	bash scripts/ensure_postgres.sh
	$(PY) tests/bench/run.py; status=$$?; bash scripts/ensure_postgres.sh stop; exit $$status

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles media/documents
