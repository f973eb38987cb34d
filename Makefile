# Two entry points, both idempotent, for a fresh machine:
#   make run   – environment, database, reference + demo data, then serve on http://127.0.0.1:8000/
#   make test  – environment, lint, migration check, then the whole suite (SQLite, and PostgreSQL when reachable)

PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/entraide
REFERENCE := fixtures/territories.json fixtures/movements.json fixtures/charter.json

.PHONY: run test setup lint test-sqlite test-postgres browser

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12+ est requis (Django 6.1) : installez python3.13.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddata $(REFERENCE) fixtures/demo.json
	$(BIN)/python manage.py populate_history --auto
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium; install it when missing and we may (root).
browser:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium absent : les tests navigateur seront sautés (apt-get install chromium)."; fi; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: setup
	$(BIN)/pytest

test-postgres: setup
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3)" 2>/dev/null; then \
		echo "== PostgreSQL"; DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL injoignable sur $(PG_URL) : obligatoire en CI."; exit 1; \
	else echo "PostgreSQL injoignable sur $(PG_URL) : suite PostgreSQL sautée."; fi

test: lint browser test-sqlite test-postgres
