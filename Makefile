# The portal's commands. `make help` lists them; `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
HOST ?= 127.0.0.1
# The site's public address, which links in emails, QR codes, feeds and sitemaps use: what `make
# run` serves unless given (PORTAL_BASE_URL=https://… make run behind a proxy). `migrate` gives the
# Wagtail Site the same hostname and port.
PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
export PORTAL_BASE_URL
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install requirements upgrade-requirements setup run serve worker periodic migrate messages makemessages demo test test-postgres e2e lint format collectstatic flush-views bench bench-quick soak clean

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-21s\033[0m %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

# pip-compile keeps the pins already in the output files unless told to upgrade. This machine's
# package indexes, find-links and hosts stay out of the pinned files. requirements-dev.in is
# constrained by requirements.txt, and requirements-dev.txt starts with `-r requirements.txt`
# (pip-compile cannot write that line, so sed puts it back after the header).
define compile_requirements
	CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet $(1) --strip-extras \
		--no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		--output-file requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet $(1) --strip-extras \
		--no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		--output-file requirements-dev.txt requirements-dev.in
	sed -i '0,/^[^#]/s/^[^#]/-r requirements.txt\n&/' requirements-dev.txt
endef

requirements: install ## Regenerate requirements*.txt from requirements*.in (pip-tools), keeping existing pins
	$(call compile_requirements,--no-upgrade)

upgrade-requirements: install ## Like requirements, but move every pin to the newest release allowed
	$(call compile_requirements,--upgrade)

messages: $(STAMP) ## Compile the translation catalogs (GNU msgfmt, or Babel where it is missing)
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages --ignore=.venv --verbosity 0; \
	else \
		for po in locale/*/LC_MESSAGES/*.po; do $(BIN)/pybabel compile -i $$po -o $${po%.po}.mo; done; \
	fi

makemessages: $(STAMP) ## Extract translatable strings into locale/*/django.po
	$(MANAGE) makemessages --locale en --ignore=.venv --ignore=static --ignore=media --no-obsolete

migrate: $(STAMP) ## Apply database migrations
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo content (re-runnable)
	$(MANAGE) load_demo

setup: install messages migrate demo ## Everything `run` needs, without serving

run: setup ## Set up everything and serve on http://$(HOST):$(PORT) (PORT=… to change; links use PORTAL_BASE_URL)
	@$(MANAGE) demo_logins
	@# The periodic jobs (scheduled publishing, view counts, reminders) run beside the server.
	@$(MANAGE) run_periodic & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

# Production's processes (docs/deployment.md): the settings are portal.settings.production unless
# DJANGO_SETTINGS_MODULE says otherwise, and they need its environment (DJANGO_SECRET_KEY,
# DATABASE_URL, REDIS_URL, PORTAL_BASE_URL…). PORTAL_BASE_URL is not given this Makefile's
# development default: production refuses to start without the real one.
PROD_ENV = DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-portal.settings.production} \
	$(if $(filter file,$(origin PORTAL_BASE_URL)),env -u PORTAL_BASE_URL)

serve: install ## Serve with gunicorn and production settings on $(HOST):$(PORT) (WEB_CONCURRENCY workers, default 2×cores+1)
	$(PROD_ENV) HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py

# WORKER_ARGS: more of db_worker's options, e.g. --batch (run what is due, then stop).
WORKER_ARGS ?=

worker: install ## Run the task worker (emails, heavy jobs) for production's database task backend
	$(PROD_ENV) $(MANAGE) db_worker --queue-name '*' $(WORKER_ARGS)

periodic: install ## Run the periodic jobs in a loop (make run starts them too)
	$(MANAGE) run_periodic

# The suite runs on every core (pytest-xdist); `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto

test: install messages ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(MANAGE) makemigrations --check --dry-run --settings=portal.settings.test
	$(BIN)/pytest -n $(TEST_WORKERS)

test-postgres: install messages ## Run the suite against PostgreSQL on 127.0.0.1:5432 (database test); Redis as the cache with REDIS_URL (CI)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n $(TEST_WORKERS)

e2e: install messages ## Drive headless Chromium through the portal (needs Debian's chromium)
	$(BIN)/pytest tests/e2e --e2e

lint: install ## ruff lint and format check, djhtml check of templates, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(git ls-files 'templates/*.html')
	$(BIN)/lint-imports

format: install ## Format Python and templates in place
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $$(git ls-files 'templates/*.html')

flush-views: install ## Write pending news view counts from the cache to the database
	$(MANAGE) flush_page_views

collectstatic: install ## Collect static files (production)
	$(MANAGE) collectstatic --noinput

# The bench's options are environment variables (bench/README.md): SCALE=small|demo|city|both|all,
# ROUNDS, DURATION, PHASES, DATABASE_URL, STORM_DATABASE_URL… It prints PASS/FAIL against
# issue 11's targets but never fails on them; it is not part of .ci/run.
bench: install messages ## Measure pages, admin lists and API at city scale against a small city (load_demo --scale 3000), in-process and under gunicorn + wrk (bench/README.md)
	$(PY) bench/run.py

bench-quick: install messages ## The bench at demo scale, few rounds, short loads (a smoke run of `make bench`)
	SCALE=$${SCALE:-demo} ROUNDS=$${ROUNDS:-3} DURATION=$${DURATION:-2} SERVER_ROUNDS=$${SERVER_ROUNDS:-1} $(PY) bench/run.py

soak: install messages ## Ten minutes of mixed traffic at 80% of capacity on PostgreSQL + Redis: 0 errors, flat memory (bench/README.md)
	$(PY) bench/soak.py

clean: ## Remove the virtualenv, database and collected files
	rm -rf $(VENV) db.sqlite3 static media media-test artifacts
