# The two commands: `make run` (serve the site on SQLite) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_TEST_URL ?= postgres://training:training@127.0.0.1:5432/training
export DJANGO_SETTINGS_MODULE := training.settings

.PHONY: run test setup system system-run venv messages check-messages lint pytest pytest-pg pytest-faults bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
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
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

check-messages: venv
	$(PY) scripts/check_catalogue.py

pytest: venv messages
	$(VENV)/bin/pytest -n 2 -q -m "not faults"

pytest-pg: venv messages
	bash scripts/ensure_postgres.sh
	DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_TEST_URL)} $(VENV)/bin/pytest -n 2 -q -m "not e2e and not faults"

# Fault injection against a real gunicorn (workers killed, database read-only or locked), one
# test at a time: each starts its own server on a copy of the demo (tests/faults/).
pytest-faults: venv messages
	$(VENV)/bin/pytest -p no:xdist -q -m faults

test: system venv lint check-messages messages
	$(PY) manage.py makemigrations --check --dry-run
	@tmp=$$(mktemp -d) && SQLITE_PATH=$$tmp/check.sqlite3 DATABASE_URL= $(PY) manage.py migrate -v0 \
	  && SQLITE_PATH=$$tmp/check.sqlite3 DATABASE_URL= $(PY) manage.py load_course --dry-run >/dev/null \
	  && rm -rf $$tmp && echo "Course content valid (load_course --dry-run on a fresh database)."
	$(MAKE) --no-print-directory pytest
	$(MAKE) --no-print-directory pytest-faults
	$(MAKE) --no-print-directory pytest-pg

bench: system venv messages
	bash scripts/ensure_postgres.sh
	$(PY) tests/bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles media/documents
