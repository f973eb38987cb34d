# Two entry points, both idempotent, for a fresh machine:
#   make run   – environment, database, reference + demo data, then serve on http://127.0.0.1:8000/
#   make test  – environment, lint, migration check, then the whole suite (SQLite, and PostgreSQL when reachable)

PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/entraide
REFERENCE := fixtures/territories.json fixtures/movements.json fixtures/charter.json

.PHONY: run test setup lock lint test-sqlite test-postgres browser bench gettext messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12+ est requis (Django 6.1) : installez python3.13.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The lock (requirements-dev.txt: runtime + test tools, every file's hash) is the
# only source: a package or a file that is not in it refuses to install.
$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	$(BIN)/pip check
	touch $@

setup: $(VENV)/.installed messages

# The German and English catalogues (locale/*/LC_MESSAGES/django.po) are compiled here, never
# committed: msgfmt comes from GNU gettext, installed when missing and we may (root).
gettext:
	@command -v msgfmt >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else echo "msgfmt absent : installez gettext (apt-get install gettext)."; exit 1; fi; }

messages: $(VENV)/.installed gettext
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=staticfiles -v0

# Regenerate the locks from requirements*.in (README, "Dependencies"), keeping every
# version already locked unless asked: make lock LOCK_ARGS="--upgrade-package django".
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := $(VENV)/lock-tools
LOCK_ARGS ?=
COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(BIN)/python
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(COMPILE) --output-file requirements.txt requirements.in
	$(COMPILE) --output-file requirements-dev.txt requirements-dev.in

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddata $(REFERENCE) fixtures/demo.json
	$(BIN)/python manage.py populate_history --auto
	$(BIN)/python manage.py refresh_next_occurrences
	$(BIN)/python manage.py refresh_search
	$(BIN)/python manage.py refresh_exports
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

# What users get, at 1k, 10k and 100k meetings (PostgreSQL on 127.0.0.1, gunicorn as the Dockerfile runs it):
# not part of `make test`; takes tens of minutes; results in bench/results/, recorded in bench/RESULTS.md.
# A quicker re-measure: `make bench LABEL=final SIZES=10000,100000 ONLY=finder,territory` (groups: bench/http_bench.py).
bench: setup
	$(BIN)/python bench/http_bench.py --label $${LABEL:-run} $${SIZES:+--sizes $$SIZES} $${ONLY:+--only $$ONLY}
