# districtwiki — one command per task. `make run` serves the wiki; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: run test test-sqlite test-postgres test-browser lint format bench chromium clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_INSTALLED): pyproject.toml $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

run: $(INSTALLED)
	$(VENV)/bin/districtwiki serve

# The browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: $(TEST_INSTALLED) chromium
	$(VENV)/bin/districtwiki content check
	$(MAKE) test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) test-postgres; else echo "DATABASE_URL not set: skipped the PostgreSQL pass"; fi

test-sqlite: $(TEST_INSTALLED)
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest

test-postgres: $(TEST_INSTALLED)
	$(PY) -m pytest

# Only the browser journeys, accessibility and XSS checks (Chromium); `make test` already runs them.
test-browser: $(TEST_INSTALLED) chromium
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -m browser

lint: $(TEST_INSTALLED)
	$(VENV)/bin/ruff check districtwiki bench conftest.py
	$(VENV)/bin/ruff format --check districtwiki bench conftest.py

format: $(TEST_INSTALLED)
	$(VENV)/bin/ruff format districtwiki bench conftest.py
	$(VENV)/bin/ruff check --fix districtwiki bench conftest.py

bench: $(TEST_INSTALLED)
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
